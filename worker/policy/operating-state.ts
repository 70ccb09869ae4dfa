// The operating controls of an account (kill switch, rollout, limits, freeze,
// policy) and the platform's global kill switch, read from D1 at request time
// so they change without a deploy. Admins change them through
// worker/operations/settings.ts, the tables' one writer.
import type { schema } from "../db/client";
import { type AccountPolicy, readPolicy } from "./account-policy";

export const GLOBAL_KILL_SWITCH = "global_kill_switch";

export interface OperatingState {
  accountId: string;
  killSwitch: boolean;
  globalKillSwitch: boolean;
  rolloutPercent: number;
  ticketsPerMinute: number;
  decisionsPerMinute: number;
  maxInFlight: number;
  frozen: boolean;
  policy: AccountPolicy;
  updatedAt: string | null;
  updatedBy: string | null;
}

const DEFAULTS = { killSwitch: false, rolloutPercent: 100, ticketsPerMinute: 120, decisionsPerMinute: 30, maxInFlight: 50, frozen: false };

export async function operatingState(env: Env, accountId: string): Promise<OperatingState> {
  // Plain prepared statements: every Workflow step and decision reads this, and the ORM's query building cost more than the query.
  const [settings, global] = await env.DB.batch([
    env.DB.prepare(
      "select kill_switch, rollout_percent, tickets_per_minute, decisions_per_minute, max_in_flight, frozen, policy, updated_at, updated_by from account_settings where account_id = ?1",
    ).bind(accountId),
    env.DB.prepare("select value from system_settings where key = ?1").bind(GLOBAL_KILL_SWITCH),
  ]);
  return operatingStateFromRaw(accountId, settings!.results[0] as RawSettingsRow | undefined, global!.results[0] as { value: string } | undefined);
}

/** account_settings as D1 returns it (snake_case, integers for booleans, JSON as text). */
export interface RawSettingsRow {
  kill_switch: number;
  rollout_percent: number;
  tickets_per_minute: number;
  decisions_per_minute: number;
  max_in_flight: number;
  frozen: number;
  policy: string;
  updated_at: string;
  updated_by: string | null;
}

export function operatingStateFromRaw(accountId: string, s: RawSettingsRow | undefined, g: { value: string } | undefined): OperatingState {
  return operatingStateFrom(
    accountId,
    s && {
      accountId,
      killSwitch: !!s.kill_switch,
      rolloutPercent: s.rollout_percent,
      ticketsPerMinute: s.tickets_per_minute,
      decisionsPerMinute: s.decisions_per_minute,
      maxInFlight: s.max_in_flight,
      frozen: !!s.frozen,
      policy: JSON.parse(s.policy) as unknown,
      updatedAt: s.updated_at,
      updatedBy: s.updated_by,
    },
    g && { key: GLOBAL_KILL_SWITCH, value: JSON.parse(g.value) as unknown, updatedAt: "", updatedBy: null },
  );
}

type SettingsRow = typeof schema.accountSettings.$inferSelect;
type SystemRow = typeof schema.systemSettings.$inferSelect;

/** The same state from rows a caller already read (intake reads them in its one batch). */
function operatingStateFrom(accountId: string, row: SettingsRow | undefined, global: SystemRow | undefined): OperatingState {
  return {
    accountId,
    killSwitch: row?.killSwitch ?? DEFAULTS.killSwitch,
    globalKillSwitch: global?.value === true,
    rolloutPercent: row?.rolloutPercent ?? DEFAULTS.rolloutPercent,
    ticketsPerMinute: row?.ticketsPerMinute ?? DEFAULTS.ticketsPerMinute,
    decisionsPerMinute: row?.decisionsPerMinute ?? DEFAULTS.decisionsPerMinute,
    maxInFlight: row?.maxInFlight ?? DEFAULTS.maxInFlight,
    frozen: row?.frozen ?? DEFAULTS.frozen,
    policy: readPolicy(row?.policy),
    updatedAt: row?.updatedAt ?? null,
    updatedBy: row?.updatedBy ?? null,
  };
}

export const isKilled = (s: Pick<OperatingState, "killSwitch" | "globalKillSwitch">) => s.killSwitch || s.globalKillSwitch;
