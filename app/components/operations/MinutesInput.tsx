import { useState } from "react";
import { inputClass } from "../../lib/connectors";
import { minutesLabel, SLA_MINUTES } from "../../lib/operations";
import { FieldMessage } from "../ActionStatus";

/** A whole number of minutes with its hours/days reading beside it. */
export function MinutesInput({
  id,
  name,
  label,
  defaultValue,
  message,
}: {
  id: string;
  name: string;
  label: string;
  defaultValue: number;
  message: string | undefined;
}) {
  const [value, setValue] = useState(String(defaultValue));
  const n = Number(value);
  return (
    <div className="min-w-0 max-w-[6.5rem]">
      <input
        id={id}
        name={name}
        type="number"
        inputMode="numeric"
        step={1}
        min={SLA_MINUTES.min}
        max={SLA_MINUTES.max}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        aria-label={label || undefined}
        aria-invalid={message ? true : undefined}
        aria-describedby={message ? `${id}-error` : undefined}
        data-testid={id}
        className={`${inputClass} tabular-nums`}
      />
      {message ? (
        <FieldMessage id={`${id}-error`} message={message} />
      ) : (
        <p className="mt-0.5 text-[10px] text-neutral-400" aria-hidden="true">
          {value.trim() && Number.isInteger(n) && n >= 60 ? minutesLabel(n) : "\u00a0"}
        </p>
      )}
    </div>
  );
}
