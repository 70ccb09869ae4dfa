import type { WaitingCounts } from "../../lib/operations";
import { Card } from "./Card";
import { GlobalKillBadge } from "./GlobalKillBadge";
import { SwitchForm } from "./SwitchForm";
import type { SectionProps } from "./section";
import { hint } from "./styles";

/** The account's kill switch (confirmed before it goes on), what it holds, and the platform switch beside it. */
export function KillSwitchSection({ state, waiting, fetcher, actionUrl, frozen, status }: SectionProps & { waiting: WaitingCounts }) {
  return (
    <Card id="ops-kill" title="Kill switch">
      <div className="grid gap-4 lg:grid-cols-2">
        <div className="space-y-2">
          <SwitchForm
            fetcher={fetcher}
            actionUrl={actionUrl}
            intent="killSwitch"
            name="killSwitch"
            value={state.killSwitch}
            label="Stop triage for this account"
            testId="ops-kill-switch"
            disabled={frozen}
            danger
            confirm={{
              title: "Turn the kill switch on?",
              body: (
                <>
                  <p>
                    New tickets are still acknowledged and stored, but they are not triaged: they wait as <em>held</em> until the switch is turned off again.
                  </p>
                  <p>Running tasks stop before any external action: no reply is sent and no handoff is filed while the switch is on.</p>
                </>
              ),
              confirmLabel: "Turn kill switch on",
            }}
          />
          <p className={hint}>
            On: new tickets are acknowledged and stored but not triaged; running tasks stop before any external action. Off: held tickets start again, oldest
            first.
          </p>
          <p className="text-xs text-neutral-700" data-testid="ops-held">
            {waiting.held} ticket{waiting.held === 1 ? "" : "s"} held · {waiting.queued} queued for a free slot
          </p>
          {status}
        </div>
        <GlobalKillBadge on={state.globalKillSwitch} />
      </div>
    </Card>
  );
}
