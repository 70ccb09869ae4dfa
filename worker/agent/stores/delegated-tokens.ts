// Delegated tokens at rest: a table in the account agent's SQLite, one row per
// (person, provider), tokens sealed with AES-256-GCM (CONNECTOR_SECRETS_KEY)
// and bound to `<account>/<person>/<provider>/delegated` (+ `:access` /
// `:refresh`), so a sealed value cannot be replayed for another person, account
// or provider. Nothing here returns a token except `accessToken`, which the
// delivery path calls server-side.
//
// Used only inside AccountAgent (single-threaded, but calls interleave at each
// await: refreshes of one connection are serialised below, or two concurrent
// sends would each spend the same rotating refresh token).
import { openSecret, sealSecret } from "../../crypto/secret-box";
import type { DelegatedAccess } from "../../domain/types";
import { missingScopes } from "../../integrations/common/delegation-scopes";
import { type DelegatedTokenSet, DelegationRefused, oauthClientSettings, refreshTokens, revokeAtProvider } from "../../integrations/common/oauth-client";
import { type DelegationProviderId, isDelegationProvider } from "../../integrations/registry";

/** Refresh when the access token has less than this left. */
const REFRESH_BEFORE_MS = 5 * 60 * 1000;

type SqlValue = string | number | boolean | null;
export type Sql = <T = Record<string, SqlValue>>(strings: TemplateStringsArray, ...values: SqlValue[]) => T[];

/** What the store is given after a code exchange. */
export interface DelegatedTokenInput extends DelegatedTokenSet {
  scopesAsked: string[];
}

/** One connection as people and admins see it: never a token. */
export interface DelegatedConnection {
  person: string;
  provider: DelegationProviderId;
  scopesAsked: string[];
  scopesGranted: string[];
  /** When the current access token expires (null: the provider gave no lifetime). */
  expiresAt: string | null;
  refreshExpiresAt: string | null;
  connectedAt: string;
  /** The last refresh (automatic or an admin's rotation); null if never refreshed. */
  refreshedAt: string | null;
  /** Why the last refresh failed, when it did: the person must connect again. */
  lastError: string | null;
}

/** What the send path gets for one person and provider. */

export interface RotationResult {
  rotated: DelegatedConnection[];
  failed: { person: string; provider: DelegationProviderId; error: string }[];
}

interface Row {
  person: string;
  provider: string;
  access_sealed: string;
  refresh_sealed: string | null;
  expires_at: string | null;
  refresh_expires_at: string | null;
  scopes_asked: string;
  scopes_granted: string;
  connected_at: string;
  refreshed_at: string | null;
  last_error: string | null;
  updated_at: string;
}

export function createDelegationTable(sql: Sql) {
  sql`create table if not exists delegated_tokens (
    person text not null, provider text not null,
    access_sealed text not null, refresh_sealed text,
    expires_at text, refresh_expires_at text,
    scopes_asked text not null, scopes_granted text not null,
    connected_at text not null, refreshed_at text, last_error text, updated_at text not null,
    primary key (person, provider))`;
}

const now = () => new Date().toISOString();

function viewOf(r: Row): DelegatedConnection {
  return {
    person: r.person,
    provider: r.provider as DelegationProviderId,
    scopesAsked: JSON.parse(r.scopes_asked) as string[],
    scopesGranted: JSON.parse(r.scopes_granted) as string[],
    expiresAt: r.expires_at,
    refreshExpiresAt: r.refresh_expires_at,
    connectedAt: r.connected_at,
    refreshedAt: r.refreshed_at,
    lastError: r.last_error,
  };
}

function checkPerson(person: string) {
  if (!person || person === "*" || person.length > 200) throw new Error("a delegated token belongs to one person");
}

function checkProvider(provider: string): DelegationProviderId {
  if (!isDelegationProvider(provider)) throw new Error(`no delegation provider "${provider}"`);
  return provider;
}

export class DelegatedTokenStore {
  private readonly refreshing = new Map<string, Promise<Row | DelegationRefused>>();

  constructor(
    private readonly sql: Sql,
    private readonly env: Env,
    private readonly accountId: string,
  ) {}

  private key(): string {
    if (!this.env.CONNECTOR_SECRETS_KEY) throw new Error("CONNECTOR_SECRETS_KEY is not set: delegated tokens cannot be stored or read");
    return this.env.CONNECTOR_SECRETS_KEY;
  }

  private purpose(person: string, provider: string, which: "access" | "refresh") {
    return `${this.accountId}/${person}/${provider}/delegated:${which}`;
  }

  private row(person: string, provider: string): Row | undefined {
    return this.sql<Row>`select * from delegated_tokens where person = ${person} and provider = ${provider}`[0];
  }

  private rows(person: string, provider: string): Row[] {
    if (person === "*" && provider === "*") return this.sql<Row>`select * from delegated_tokens order by person, provider`;
    if (person === "*") return this.sql<Row>`select * from delegated_tokens where provider = ${provider} order by person`;
    if (provider === "*") return this.sql<Row>`select * from delegated_tokens where person = ${person} order by provider`;
    return this.sql<Row>`select * from delegated_tokens where person = ${person} and provider = ${provider}`;
  }

  private async seal(person: string, provider: string, t: DelegatedTokenSet) {
    const key = this.key();
    return {
      access: await sealSecret(key, t.accessToken, this.purpose(person, provider, "access")),
      refresh: t.refreshToken ? await sealSecret(key, t.refreshToken, this.purpose(person, provider, "refresh")) : null,
    };
  }

  /** Stores (or replaces) a person's connection after the code exchange. */
  async store(person: string, providerId: string, t: DelegatedTokenInput): Promise<DelegatedConnection> {
    checkPerson(person);
    const provider = checkProvider(providerId);
    const sealed = await this.seal(person, provider, t);
    const at = now();
    this.sql`insert or replace into delegated_tokens (person, provider, access_sealed, refresh_sealed, expires_at, refresh_expires_at,
        scopes_asked, scopes_granted, connected_at, refreshed_at, last_error, updated_at)
      values (${person}, ${provider}, ${sealed.access}, ${sealed.refresh}, ${t.expiresAt}, ${t.refreshExpiresAt},
        ${JSON.stringify([...t.scopesAsked].sort())}, ${JSON.stringify(t.scopesGranted)}, ${at}, null, null, ${at})`;
    return viewOf(this.row(person, provider)!);
  }

  list(person: string): DelegatedConnection[] {
    return this.rows(person, "*").map(viewOf);
  }

  /**
   * Deletes connections (one person or "*", one provider or "*"), after asking
   * the provider to revoke each access token (best effort: a provider that is
   * unreachable does not keep a connection here).
   */
  async revoke(person: string, provider: string): Promise<DelegatedConnection[]> {
    if (provider !== "*") checkProvider(provider);
    const rows = this.rows(person, provider);
    for (const r of rows) {
      const client = await oauthClientSettings(this.env, this.accountId, r.provider as DelegationProviderId).catch(() => null);
      if (client) {
        const access = await openSecret(this.key(), r.access_sealed, this.purpose(r.person, r.provider, "access")).catch(() => null);
        if (access) await revokeAtProvider(client, access);
      }
      this.sql`delete from delegated_tokens where person = ${r.person} and provider = ${r.provider}`;
    }
    return rows.map(viewOf);
  }

  /** Refreshes now (new access and refresh token), whatever the expiry; the old access token is revoked at the provider. */
  async rotate(person: string, provider: string): Promise<RotationResult> {
    if (provider !== "*") checkProvider(provider);
    const result: RotationResult = { rotated: [], failed: [] };
    for (const r of this.rows(person, provider)) {
      const p = r.provider as DelegationProviderId;
      try {
        const refreshed = await this.refresh(r, { revokeOld: true });
        if (refreshed instanceof DelegationRefused) result.failed.push({ person: r.person, provider: p, error: refreshed.message });
        else result.rotated.push(viewOf(refreshed));
      } catch (err) {
        result.failed.push({ person: r.person, provider: p, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return result;
  }

  /**
   * The person's access token for a call that needs `required` scopes, refreshed
   * first (rotating the refresh token) when it expires within 5 minutes. A
   * transient failure of the provider's token endpoint throws (the caller retries).
   */
  async accessToken(person: string, providerId: string, required: readonly string[]): Promise<DelegatedAccess> {
    checkPerson(person);
    const provider = checkProvider(providerId);
    let row = this.row(person, provider);
    if (!row) return { status: "none" };
    const granted = JSON.parse(row.scopes_granted) as string[];
    const missing = missingScopes(granted, required);
    if (missing.length) return { status: "insufficient_scope", missing, granted };
    if (row.expires_at && Date.parse(row.expires_at) - Date.now() < REFRESH_BEFORE_MS) {
      const refreshed = await this.refresh(row, { revokeOld: false });
      if (refreshed instanceof DelegationRefused) return { status: "reconnect", reason: refreshed.message };
      row = refreshed;
      const after = JSON.parse(row.scopes_granted) as string[];
      const stillMissing = missingScopes(after, required);
      if (stillMissing.length) return { status: "insufficient_scope", missing: stillMissing, granted: after };
    }
    const accessToken = await openSecret(this.key(), row.access_sealed, this.purpose(person, provider, "access"));
    return { status: "ok", accessToken, scopesGranted: JSON.parse(row.scopes_granted) as string[] };
  }

  /** One refresh per connection at a time; later callers share the first one's result. */
  private refresh(row: Row, opts: { revokeOld: boolean }): Promise<Row | DelegationRefused> {
    const k = `${row.person}\u0000${row.provider}`;
    const running = this.refreshing.get(k);
    if (running) return running;
    const p = this.doRefresh(row.person, row.provider as DelegationProviderId, opts).finally(() => this.refreshing.delete(k));
    this.refreshing.set(k, p);
    return p;
  }

  private async doRefresh(person: string, provider: DelegationProviderId, opts: { revokeOld: boolean }): Promise<Row | DelegationRefused> {
    // Read again: an earlier refresh may have just stored a new pair.
    const row = this.row(person, provider);
    if (!row) return new DelegationRefused("the connection was revoked");
    // An automatic refresh that another call already did (the lock was released in between) is not repeated.
    if (!opts.revokeOld && row.expires_at && Date.parse(row.expires_at) - Date.now() >= REFRESH_BEFORE_MS) return row;
    const refused = (message: string) => {
      this.sql`update delegated_tokens set last_error = ${message}, updated_at = ${now()} where person = ${person} and provider = ${provider}`;
      return new DelegationRefused(message);
    };
    if (!row.refresh_sealed) return refused("the provider gave no refresh token");
    if (row.refresh_expires_at && row.refresh_expires_at <= now()) return refused("the refresh token has expired");
    const client = await oauthClientSettings(this.env, this.accountId, provider);
    if (!client) return refused("the account's OAuth client for this provider is no longer configured");
    const key = this.key();
    const refreshToken = await openSecret(key, row.refresh_sealed, this.purpose(person, provider, "refresh"));
    let next: DelegatedTokenSet;
    try {
      next = await refreshTokens(client, refreshToken, JSON.parse(row.scopes_granted) as string[]);
    } catch (err) {
      if (err instanceof DelegationRefused) return refused(err.message);
      throw err;
    }
    const sealed = await this.seal(person, provider, next);
    const at = now();
    // The old refresh token is spent at the provider: the new pair must be stored before anything else.
    this.sql`update delegated_tokens set access_sealed = ${sealed.access}, refresh_sealed = ${sealed.refresh},
        expires_at = ${next.expiresAt}, refresh_expires_at = ${next.refreshExpiresAt ?? row.refresh_expires_at},
        scopes_granted = ${JSON.stringify(next.scopesGranted)}, refreshed_at = ${at}, last_error = null, updated_at = ${at}
      where person = ${person} and provider = ${provider}`;
    if (opts.revokeOld) {
      const old = await openSecret(key, row.access_sealed, this.purpose(person, provider, "access")).catch(() => null);
      if (old && old !== next.accessToken) await revokeAtProvider(client, old);
    }
    return this.row(person, provider)!;
  }
}
