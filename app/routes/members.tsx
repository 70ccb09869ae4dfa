// Members of the account (admins): roles, removal, and invitations by one-time
// link. No email is sent from here: the admin passes the link on.
import { useEffect, useRef, useState } from "react";
import { useFetcher } from "react-router";
import type { Role } from "../../worker/domain/types";
import {
  adminRevoke,
  allConnections,
  type ConnectionView,
  changeMemberRole,
  INVITATION_TTL_DAYS,
  type InvitationView,
  inviteMember,
  listMembers,
  type MemberView,
  removeMemberWithConnections,
  revokeInvitation,
} from "../../worker/http/dashboard";
import { ActionStatus, FieldMessage } from "../components/ActionStatus";
import { ErrorView } from "../components/ErrorView";
import { Section } from "../components/Section";
import { ShownOnce } from "../components/ShownOnce";
import { accountAccess, envOf, toRouteError } from "../lib/access.server";
import { fieldError, inputClass, primaryButton, secondaryButton } from "../lib/connectors";
import { utcStamp } from "../lib/format";
import { type IntentResponse, intentAction } from "../lib/intent-action.server";
import type { Route } from "./+types/members";

export const meta: Route.MetaFunction = () => [{ title: "Members · Support Triage" }];

// Not imported from worker/identity/members.ts: the component must not pull server code into the browser.
const ROLES: Role[] = ["agent", "lead", "admin"];
type MembersIntent = "invite" | "role" | "remove" | "revokeInvite" | "revokeConnections" | "revokeAllConnections";
interface MembersActionResponse extends IntentResponse<MembersIntent> {
  /** Only in the answer to "invite": the one-time link, shown once. */
  link?: string;
  email?: string;
}

export async function loader({ context }: Route.LoaderArgs) {
  const { user, accountId } = accountAccess(context, "admin");
  try {
    const env = envOf(context);
    const [{ members, invitations }, connections] = await Promise.all([listMembers(env, user, accountId), allConnections(env, user, accountId)]);
    return { members, invitations, connections, me: user.id, ttlDays: INVITATION_TTL_DAYS };
  } catch (err) {
    toRouteError(err);
  }
}

const revokedMessage = (n: number) => `${n} connection${n === 1 ? "" : "s"} revoked`;

export const action = intentAction<MembersActionResponse>({
  role: "admin",
  handlers: {
    invite: async ({ env, user, accountId, text, request }) => {
      const { invitation, path } = await inviteMember(env, user, accountId, { email: text("email"), role: text("role") });
      return { email: invitation.email, link: new URL(path, request.url).toString(), message: `Invitation for ${invitation.email} created` };
    },
    role: async ({ env, user, accountId, text }) => {
      const changed = await changeMemberRole(env, user, accountId, text("userId"), { role: text("role") });
      return `${changed.email} is now ${changed.role}`;
    },
    remove: async ({ env, user, accountId, text }) => {
      await removeMemberWithConnections(env, user, accountId, text("userId"));
      return "Member removed";
    },
    revokeInvite: async ({ env, user, accountId, text }) => {
      await revokeInvitation(env, user, accountId, text("id"));
      return "Invitation revoked";
    },
    revokeConnections: async ({ env, user, accountId, text }) => {
      const { revoked } = await adminRevoke(env, user, accountId, { person: text("email") });
      return revokedMessage(revoked.length);
    },
    revokeAllConnections: async ({ env, user, accountId }) => {
      const { revoked } = await adminRevoke(env, user, accountId, {});
      return revokedMessage(revoked.length);
    },
  },
});

export default function Members({ loaderData, params }: Route.ComponentProps) {
  const { members, invitations, connections, me, ttlDays } = loaderData;
  const actionUrl = `/accounts/${encodeURIComponent(params.account)}/members`;
  return (
    <div className="h-full overflow-y-auto">
      <div className="mx-auto max-w-[1000px] space-y-4 p-6">
        <div className="flex items-baseline justify-between gap-4">
          <h1 className="text-base font-semibold">Members</h1>
          <p className="text-xs text-neutral-500">
            {members.length} member{members.length === 1 ? "" : "s"} · every change is in the audit trail
          </p>
        </div>

        <Section title="People" id="members" aside={<RevokeAllConnections actionUrl={actionUrl} count={connections.length} />}>
          <table className="w-full text-left text-xs" data-testid="members-table">
            <thead className="text-[11px] text-neutral-500">
              <tr>
                <th className="py-1 pr-3 font-medium">Name</th>
                <th className="py-1 pr-3 font-medium">Email</th>
                <th className="py-1 pr-3 font-medium">Role</th>
                <th className="py-1 pr-3 font-medium">Connections</th>
                <th className="py-1 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <MemberRow
                  key={m.userId}
                  member={m}
                  isMe={m.userId === me}
                  actionUrl={actionUrl}
                  connections={connections.filter((c) => c.email === m.email)}
                />
              ))}
            </tbody>
          </table>
        </Section>

        <InviteForm key={params.account} actionUrl={actionUrl} ttlDays={ttlDays} />

        {invitations.length ? (
          <Section title="Open invitations" id="invitations">
            <ul className="divide-y divide-neutral-100 text-xs" data-testid="invitations-list">
              {invitations.map((i) => (
                <InvitationRow key={i.id} invitation={i} actionUrl={actionUrl} />
              ))}
            </ul>
          </Section>
        ) : null}
      </div>
    </div>
  );
}

function RevokeAllConnections({ actionUrl, count }: { actionUrl: string; count: number }) {
  const fetcher = useFetcher<MembersActionResponse>();
  const busy = fetcher.state !== "idle";
  return (
    <div className="flex items-center gap-2">
      <ActionStatus response={fetcher.data} busy={busy} testId="connections-revoke-all-result" />
      <fetcher.Form method="post" action={actionUrl}>
        <input type="hidden" name="intent" value="revokeAllConnections" />
        <button type="submit" className={secondaryButton} disabled={busy || count === 0} data-testid="connections-revoke-all">
          {busy ? "Revoking…" : `Revoke all connections (${count})`}
        </button>
      </fetcher.Form>
    </div>
  );
}

function MemberRow({ member, isMe, actionUrl, connections }: { member: MemberView; isMe: boolean; actionUrl: string; connections: ConnectionView[] }) {
  const fetcher = useFetcher<MembersActionResponse>();
  const revokeFetcher = useFetcher<MembersActionResponse>();
  const busy = fetcher.state !== "idle";
  const pendingRole = fetcher.formData?.get("intent") === "role" ? (fetcher.formData.get("role") as Role) : null;
  return (
    <tr className="border-t border-neutral-100 align-top" data-testid="member-row" data-email={member.email}>
      <td className="py-1.5 pr-3 font-medium text-neutral-900">
        {member.name}
        {isMe ? <span className="ml-1 text-[11px] font-normal text-neutral-500">(you)</span> : null}
      </td>
      <td className="py-1.5 pr-3 text-neutral-700">{member.email}</td>
      <td className="py-1.5 pr-3">
        <label className="sr-only" htmlFor={`member-role-${member.userId}`}>
          Role of {member.email}
        </label>
        <select
          id={`member-role-${member.userId}`}
          value={pendingRole ?? member.role}
          disabled={busy}
          onChange={(e) => fetcher.submit({ intent: "role", userId: member.userId, role: e.target.value }, { method: "post", action: actionUrl })}
          className={`${inputClass} w-28`}
          data-testid={`member-role-${member.email}`}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </td>
      <td className="py-1.5 pr-3" data-testid={`member-connections-${member.email}`}>
        {connections.length ? (
          <div className="flex items-center gap-2">
            <span title={connections.map((c) => `${c.provider}: ${c.scopesGranted.join(" ")}`).join("\n")}>
              {connections.map((c) => c.provider).join(", ")}
            </span>
            <revokeFetcher.Form method="post" action={actionUrl}>
              <input type="hidden" name="intent" value="revokeConnections" />
              <input type="hidden" name="email" value={member.email} />
              <button
                type="submit"
                className={secondaryButton}
                disabled={revokeFetcher.state !== "idle"}
                data-testid={`member-revoke-connections-${member.email}`}
                aria-label={`Revoke the connections of ${member.email}`}
              >
                Revoke connections
              </button>
            </revokeFetcher.Form>
          </div>
        ) : (
          <span className="text-neutral-400">none</span>
        )}
        <ActionStatus response={revokeFetcher.data} busy={revokeFetcher.state !== "idle"} />
      </td>
      <td className="py-1.5 text-right">
        <fetcher.Form method="post" action={actionUrl}>
          <input type="hidden" name="intent" value="remove" />
          <input type="hidden" name="userId" value={member.userId} />
          <button type="submit" className={secondaryButton} disabled={busy} data-testid={`member-remove-${member.email}`} aria-label={`Remove ${member.email}`}>
            {isMe ? "Leave" : "Remove"}
          </button>
        </fetcher.Form>
        <div className="mt-1 text-left" data-testid={`member-result-${member.email}`}>
          <ActionStatus response={fetcher.data} busy={busy} />
        </div>
      </td>
    </tr>
  );
}

function InvitationRow({ invitation, actionUrl }: { invitation: InvitationView; actionUrl: string }) {
  const fetcher = useFetcher<MembersActionResponse>();
  const busy = fetcher.state !== "idle";
  return (
    <li className="flex items-center justify-between gap-3 py-1.5" data-testid="invitation-row" data-email={invitation.email}>
      <span>
        <span className="font-medium text-neutral-900">{invitation.email}</span> as {invitation.role} · by {invitation.invitedBy.replace(/^user:/, "")} ·
        expires {utcStamp(invitation.expiresAt)}
      </span>
      <fetcher.Form method="post" action={actionUrl}>
        <input type="hidden" name="intent" value="revokeInvite" />
        <input type="hidden" name="id" value={invitation.id} />
        <button type="submit" className={secondaryButton} disabled={busy} data-testid={`invitation-revoke-${invitation.email}`}>
          Revoke
        </button>
      </fetcher.Form>
    </li>
  );
}

function InviteForm({ actionUrl, ttlDays }: { actionUrl: string; ttlDays: number }) {
  const fetcher = useFetcher<MembersActionResponse>();
  const busy = fetcher.state !== "idle";
  const response = fetcher.data?.intent === "invite" ? fetcher.data : undefined;
  const [shown, setShown] = useState<{ link: string; email: string } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const handled = useRef<MembersActionResponse | undefined>(undefined);

  useEffect(() => {
    if (fetcher.state !== "idle" || !response || handled.current === response) return;
    handled.current = response;
    if (response.ok && response.link && response.email) {
      setShown({ link: response.link, email: response.email });
      formRef.current?.reset();
    }
  }, [fetcher.state, response]);

  const emailError = fieldError(response?.fields, "email");
  const roleError = fieldError(response?.fields, "role");

  return (
    <Section title="Invite someone" id="invite">
      <fetcher.Form ref={formRef} method="post" action={actionUrl} className="space-y-2" noValidate>
        <input type="hidden" name="intent" value="invite" />
        <div className="grid grid-cols-[minmax(0,1fr)_140px_auto] items-start gap-2">
          <div>
            <label htmlFor="invite-email" className="sr-only">
              Email
            </label>
            <input
              id="invite-email"
              name="email"
              type="email"
              placeholder="colleague@company.com"
              className={inputClass}
              aria-invalid={emailError ? true : undefined}
              aria-describedby={emailError ? "invite-email-error" : undefined}
              data-testid="invite-email"
            />
            <FieldMessage id="invite-email-error" message={emailError} />
          </div>
          <div>
            <label htmlFor="invite-role" className="sr-only">
              Role
            </label>
            <select
              id="invite-role"
              name="role"
              defaultValue="agent"
              className={inputClass}
              data-testid="invite-role"
              aria-invalid={roleError ? true : undefined}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className={primaryButton} disabled={busy} data-testid="invite-submit">
            {busy ? "Inviting…" : "Create invitation link"}
          </button>
        </div>
        <p className="text-[11px] text-neutral-500">
          No email is sent: you get a one-time link to pass on. It works once, for {ttlDays} days, for this address only.
        </p>
        <ActionStatus response={response?.ok ? undefined : response} busy={busy} shownFields={["email"]} testId="invite-result" />
      </fetcher.Form>

      {shown ? (
        <ShownOnce
          message={
            <>
              Invitation link for <span className="font-medium">{shown.email}</span>. Send it to them yourself; it is shown only here, once.
            </>
          }
          value={shown.link}
          label="Invitation link"
          id="invite-link-value"
          testIds={{ box: "invite-created", value: "invite-link", copy: "invite-copy" }}
          onHide={() => setShown(null)}
        />
      ) : null}
    </Section>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorView error={error} compact />;
}
