import { secondaryButton } from "../../lib/connectors";
import { Card } from "./Card";
import { SwitchForm } from "./SwitchForm";
import type { SectionProps } from "./section";
import { hint, subheading } from "./styles";

/** Freezing the account (read-only, confirmed first) and the audit trail export. */
export function DecommissionSection({ accountId, state, fetcher, actionUrl, frozen, status }: SectionProps & { accountId: string }) {
  const audit = `/api/accounts/${encodeURIComponent(accountId)}/audit`;
  return (
    <Card id="ops-decommission" title="Decommission">
      <div className="grid gap-4 lg:grid-cols-2">
        <div className="space-y-2">
          <SwitchForm
            fetcher={fetcher}
            actionUrl={actionUrl}
            intent="freeze"
            name="frozen"
            value={state.frozen}
            label="Freeze account (read-only)"
            testId="ops-freeze"
            confirm={{
              title: "Freeze this account?",
              body: (
                <>
                  <p>The account becomes read-only until it is unfrozen:</p>
                  <ul className="list-disc pl-5">
                    <li>no new tickets are accepted,</li>
                    <li>nobody can approve, edit, reject or send back proposals,</li>
                    <li>these settings are locked (only unfreezing is allowed).</li>
                  </ul>
                  <p>The data and the audit trail stay available for export.</p>
                </>
              ),
              confirmLabel: "Freeze account",
            }}
          />
          <p className={hint}>
            Read-only: no new tickets, no decisions, settings locked until unfrozen. {frozen ? "" : "Export the audit trail before you hand the account over."}
          </p>
          {status}
        </div>
        <div className="space-y-2">
          <h3 className={subheading}>Audit trail</h3>
          <div className="flex flex-wrap gap-2">
            <a href={`${audit}.jsonl`} download className={secondaryButton} data-testid="ops-export-jsonl">
              Download audit (JSONL)
            </a>
            <a href={`${audit}.csv`} download className={secondaryButton} data-testid="ops-export-csv">
              CSV
            </a>
          </div>
          <p className={hint}>Every event of this account, oldest first: who did what, when, before and after.</p>
        </div>
      </div>
    </Card>
  );
}
