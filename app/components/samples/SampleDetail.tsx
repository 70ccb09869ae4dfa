// One sample: what the model read (the system prompt and each message, the
// ticket's text in read_ticket's result) and what it proposed, with the
// redaction markers visible, beside the reviewer's decision and edit.
import type { Sample } from "../../../worker/http/dashboard";
import { percent, utcStamp } from "../../lib/format";
import { Redacted, RedactedJson } from "./Redacted";
import { decisionLabel, redactionSummary } from "./SamplesTable";

type Part = { type?: string; text?: string; toolName?: string; input?: unknown; output?: unknown; approved?: boolean; reason?: string };
type Message = { role?: string; content?: string | Part[] };

const heading = "text-xs font-semibold text-neutral-700";
const box = "space-y-3 rounded-lg border border-neutral-200 bg-white p-4";

export function SampleDetail({ sample }: { sample: Sample }) {
  const input = (sample.input ?? {}) as { system?: string; messages?: Message[]; truncated?: string };
  const output = (sample.output ?? {}) as {
    draft?: string | null;
    confidence?: number | null;
    citations?: { title?: string; url?: string }[];
    plan?: string[];
    toolCalls?: { name: string; input: unknown; status: string }[];
    truncated?: string;
  };
  return (
    <article className="space-y-4" data-testid="sample-detail" aria-label="Sample">
      <p className="text-xs text-neutral-600">
        Task <span className="font-mono">{sample.taskId}</span>, round {sample.round} · {sample.model} · kept {utcStamp(sample.createdAt)}, deleted after{" "}
        {utcStamp(sample.expiresAt)} · redacted: {redactionSummary(sample.redactions)}
      </p>

      {/* The draft beside what the reviewer did with it. */}
      <div className="grid items-start gap-4 lg:grid-cols-2">
        <section className={box} aria-labelledby="sample-output-heading" data-testid="sample-output">
          <h2 id="sample-output-heading" className={heading}>
            What the model proposed
          </h2>
          {output.truncated ? <p className="text-xs text-amber-800">{output.truncated}</p> : null}
          <RedactedJson value={output.draft ?? "(no draft)"} />
          <p className="text-xs text-neutral-600">Confidence {percent(output.confidence)}</p>
          {output.plan?.length ? <p className="text-xs text-neutral-600">Plan: {output.plan.join(" → ")}</p> : null}
          {output.citations?.length ? (
            <ul className="list-disc pl-5 text-xs text-neutral-600">
              {output.citations.map((c, i) => (
                <li key={i}>
                  <Redacted text={`${c.title ?? ""} ${c.url ?? ""}`} />
                </li>
              ))}
            </ul>
          ) : null}
          {output.toolCalls?.length ? (
            <ol className="space-y-1 text-xs">
              {output.toolCalls.map((c, i) => (
                <li key={i}>
                  <span className="font-mono">{c.name}</span> <span className="text-neutral-500">({c.status})</span>
                  <RedactedJson value={c.input} />
                </li>
              ))}
            </ol>
          ) : null}
        </section>
        <section className={box} aria-labelledby="sample-decision-heading" data-testid="sample-review">
          <h2 id="sample-decision-heading" className={heading}>
            The reviewer's decision
          </h2>
          {sample.decision ? (
            <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1 text-xs">
              <dt className="text-neutral-500">Action</dt>
              <dd data-testid="sample-review-action">{decisionLabel(sample.decision)}</dd>
              <dt className="text-neutral-500">By</dt>
              <dd>{sample.decision.by}</dd>
              {sample.decision.editRatioPermille !== null ? (
                <>
                  <dt className="text-neutral-500">Edit size</dt>
                  <dd>{(sample.decision.editRatioPermille / 10).toFixed(1)} % of the draft changed</dd>
                </>
              ) : null}
              {sample.decision.note !== undefined ? (
                <>
                  <dt className="text-neutral-500">Note</dt>
                  <dd data-testid="sample-review-note">
                    <Redacted text={sample.decision.note} />
                  </dd>
                </>
              ) : null}
              {sample.decision.body !== undefined ? (
                <>
                  <dt className="text-neutral-500">Sent instead</dt>
                  <dd data-testid="sample-review-edit">
                    <RedactedJson value={sample.decision.body} />
                  </dd>
                </>
              ) : null}
            </dl>
          ) : (
            <p className="text-xs text-neutral-500">No decision on this round yet.</p>
          )}
        </section>
      </div>

      <section className={box} aria-labelledby="sample-input-heading" data-testid="sample-input">
        <h2 id="sample-input-heading" className={heading}>
          What the model read
        </h2>
        {input.truncated ? <p className="text-xs text-amber-800">{input.truncated}</p> : null}
        {input.system ? (
          <details>
            <summary className="cursor-pointer text-xs text-neutral-600">System prompt</summary>
            <RedactedJson value={input.system} />
          </details>
        ) : null}
        <ol className="space-y-2">
          {(input.messages ?? []).map((m, i) => (
            <li key={i} className="space-y-1" data-testid="sample-message">
              <p className="text-[11px] font-medium uppercase tracking-wide text-neutral-500">{m.role ?? "message"}</p>
              {typeof m.content === "string" ? <RedactedJson value={m.content} /> : (m.content ?? []).map((p, j) => <MessagePart key={j} part={p} />)}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}

function MessagePart({ part }: { part: Part }) {
  const label = [part.type, part.toolName].filter(Boolean).join(" · ");
  const body = part.type === "text" ? part.text : part.type === "tool-call" ? part.input : part.type === "tool-result" ? part.output : part;
  return (
    <div>
      <p className="font-mono text-[11px] text-neutral-500">{label}</p>
      <RedactedJson value={body ?? ""} />
    </div>
  );
}
