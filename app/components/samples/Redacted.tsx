// Text of a sample with its redaction markers ("[email]", …) made visible. The
// text is customer content: React escapes it; only the markers get a style.

const MARKER = /(\[(?:email|phone|card|iban|address)\])/;

export function Redacted({ text }: { text: string }) {
  const parts = text.split(MARKER);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <mark key={i} className="rounded bg-amber-100 px-0.5 text-amber-900" data-testid="redaction-marker">
            {part}
          </mark>
        ) : (
          part
        ),
      )}
    </>
  );
}

/** A JSON value (a tool's input or output) as indented text, markers visible. */
export function RedactedJson({ value }: { value: unknown }) {
  return (
    <pre className="overflow-x-auto whitespace-pre-wrap break-words rounded bg-neutral-50 p-2 font-mono text-[11px] text-neutral-800">
      <Redacted text={typeof value === "string" ? value : JSON.stringify(value, null, 2)} />
    </pre>
  );
}
