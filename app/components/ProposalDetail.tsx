import type { ReactNode } from "react";
import { describeAttachment, type TicketAttachment } from "../../worker/domain/attachments";
import { ENTITLEMENT_SOURCE_LABELS } from "../../worker/domain/billing";
import type { HandoffReason } from "../../worker/domain/enums";
import type { Citation } from "../../worker/domain/knowledge";
import type { Proposal } from "../../worker/domain/types";
import { languageName, percent, timeAgo, utcStamp } from "../lib/format";
import { isHardStop, PriorityBadge, RiskBadges, RoundBadge, SlaBadge, StatusBadge, TierBadge } from "./Badges";
import { EnglishGloss } from "./EnglishGloss";
import { Field, Section } from "./Section";
import { ToolCallList } from "./ToolCallList";

/** Which rule chose the handoff queue, as the reviewer reads it. */
const HANDOFF_REASON_LABELS: Record<HandoffReason, string> = {
  "account-category": "the account category's queue",
  language: "the account's queue for this language",
  "category-queue": "the account's queue for this category",
  "built-in": "the built-in rule for this category",
};

interface Props {
  proposal: Proposal;
  now: number;
  /** The account's near-breach window (policy.nearBreachMinutes). */
  nearMinutes?: number;
  /** The decision controls and status, rendered by the route. */
  decision: ReactNode;
}

/** Only web links become links (an imported article's URL comes from a help desk). */
const isWebUrl = (url: string | null): url is string => !!url && /^https?:\/\//i.test(url);

/** The team's articles a reply answers from: title linking to the article, and where it matched. Article text is rendered as React text only. */
function Citations({ citations }: { citations: Citation[] }) {
  return (
    <aside aria-label="Cited sources" className="min-w-0 space-y-1.5 lg:border-l lg:border-neutral-100 lg:pl-3" data-testid="proposal-citations">
      <h4 className="text-[11px] font-semibold uppercase tracking-wide text-neutral-500">Sources</h4>
      <ol className="space-y-2">
        {citations.map((c) => (
          <li key={c.articleId} className="text-xs" data-testid="proposal-citation">
            {isWebUrl(c.url) ? (
              <a href={c.url} target="_blank" rel="noopener noreferrer" className="font-medium text-indigo-700 underline-offset-2 hover:underline">
                {c.title}
              </a>
            ) : (
              <span className="font-medium text-neutral-900">{c.title}</span>
            )}
            {c.snippet ? <p className="mt-0.5 break-words text-neutral-600">{c.snippet}</p> : null}
          </li>
        ))}
      </ol>
    </aside>
  );
}

/** Files the customer attached: metadata only (their content is never fetched); a link opens them in the help desk. */
function Attachments({ attachments }: { attachments: TicketAttachment[] }) {
  return (
    <section aria-label="Attachments" className="mt-2 border-t border-neutral-100 pt-2" data-testid="ticket-attachments">
      <h4 className="text-[11px] font-semibold uppercase tracking-wide text-neutral-500">
        {attachments.length} attachment{attachments.length === 1 ? "" : "s"}
      </h4>
      <ul className="mt-1 space-y-0.5 text-xs text-neutral-700">
        {attachments.map((a, i) => (
          // Names may repeat (two "image.png"), and the list never reorders: the position keeps keys apart.
          <li key={i} data-testid="ticket-attachment" className="break-words">
            {isWebUrl(a.url) ? (
              <a href={a.url} target="_blank" rel="noopener noreferrer" className="text-indigo-700 underline-offset-2 hover:underline">
                {describeAttachment(a)}
              </a>
            ) : (
              describeAttachment(a)
            )}
            {a.inline ? <span className="text-neutral-400"> (inline)</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * Everything a reviewer needs for one proposal. Ticket text is untrusted and is
 * only ever rendered as React text (never as HTML).
 */
export function ProposalDetail({ proposal: p, now, nearMinutes, decision }: Props) {
  // What the reply shown answers from: the draft's citations, or, when the model proposed nothing, those of the suggested reply.
  const citations = (p.suggestedReply ? p.suggestedReply.citations : p.draft ? p.citations : null) ?? [];
  return (
    <article
      data-testid="proposal-detail"
      data-task-id={p.taskId}
      tabIndex={-1}
      aria-label={`Proposal: ${p.subject || "(no subject)"}`}
      className="mx-auto max-w-[1200px] space-y-4 p-5 outline-none"
    >
      <header className="space-y-1.5">
        <div className="flex flex-wrap items-center gap-1.5">
          <StatusBadge status={p.status} />
          <span className="text-neutral-300" aria-hidden="true">
            ·
          </span>
          <PriorityBadge priority={p.priority} />
          <TierBadge tier={p.entitlement?.tier} />
          <RoundBadge round={p.round} />
          {p.status !== "closed" ? <SlaBadge dueAt={p.dueAt} now={now} nearMinutes={nearMinutes} /> : null}
          <span className="ml-auto font-mono text-[11px] text-neutral-400" title="Ticket id">
            #{p.ticketId}
          </span>
        </div>
        <h2 className="text-lg font-semibold leading-snug text-neutral-900">{p.subject || "(no subject)"}</h2>
        <p className="text-xs text-neutral-500">
          <span className="font-medium text-neutral-700">{p.requester.name || p.requester.email}</span>
          {p.requester.name ? <> &lt;{p.requester.email}&gt;</> : null}
          {p.requesterNote ? (
            <span className="text-amber-700" data-testid="requester-note">
              {" "}
              ({p.requesterNote})
            </span>
          ) : null}
          <span aria-hidden="true"> · </span>
          received{" "}
          <time dateTime={p.receivedAt} title={utcStamp(p.receivedAt)} suppressHydrationWarning>
            {timeAgo(p.receivedAt, now)} ago
          </time>
        </p>
        {p.origin?.kind === "mcp" ? (
          <p className="text-xs text-indigo-800" data-testid="proposal-origin">
            Reply proposed over MCP by <span className="font-medium">{p.origin.client}</span>, acting as {p.origin.by.replace(/^user:/, "")}. Nothing is sent
            until you decide.
          </p>
        ) : null}
      </header>

      <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-4">
          <Section title="Ticket" id="ticket">
            <div data-testid="ticket-body" className="max-h-80 overflow-auto text-[13px] leading-5 break-words whitespace-pre-wrap text-neutral-800">
              {p.body}
            </div>
            {p.attachments?.length ? <Attachments attachments={p.attachments} /> : null}
          </Section>

          <EnglishGloss proposal={p} />

          {p.risk?.length ? (
            <section
              aria-label="Risk flags"
              className="space-y-1.5 rounded-lg border border-red-200 bg-red-50/60 px-3.5 py-2.5 text-xs text-red-900"
              data-testid="proposal-risk"
            >
              {p.risk.some(isHardStop) ? (
                <>
                  <p className="font-semibold" data-testid="hard-stop">
                    Hard stop: a person must answer this customer
                  </p>
                  <RiskBadges risk={p.risk.filter(isHardStop)} />
                </>
              ) : null}
              {p.risk.some((r) => !isHardStop(r)) ? (
                <>
                  <p className="font-semibold">A person must decide: risky clauses found</p>
                  <RiskBadges risk={p.risk.filter((r) => !isHardStop(r))} />
                </>
              ) : null}
              <p className="text-red-800/80">This draft is never sent automatically, whatever the account's auto-send setting.</p>
            </section>
          ) : null}

          {p.handoff ? (
            <section
              aria-label="Handoff"
              className="rounded-lg border border-amber-200 bg-amber-50 px-3.5 py-2.5 text-xs text-amber-900"
              data-testid="proposal-handoff"
            >
              <p className="font-semibold">
                Handoff to <span className="font-mono">{p.handoff.queue}</span>
              </p>
              <p className="mt-0.5 whitespace-pre-wrap">{p.handoff.note}</p>
            </section>
          ) : null}

          {p.revisions.length > 0 ? (
            <Section title="Previous revision notes" id="revisions">
              <ol className="space-y-2">
                {p.revisions.map((r, i) => (
                  <li key={`${r.round}-${i}`} className="text-xs" data-testid="revision-note">
                    <div className="text-neutral-500">
                      Round {r.round} · {r.by} · <span title={r.at}>{utcStamp(r.at)}</span>
                    </div>
                    <p className="mt-0.5 whitespace-pre-wrap text-[13px] text-neutral-800">{r.note}</p>
                  </li>
                ))}
              </ol>
            </Section>
          ) : null}

          <Section title="Draft reply" id="draft" aside={p.round > 1 ? <span className="text-[11px] text-neutral-500">round {p.round}</span> : null}>
            <div className={citations.length ? "grid gap-3 lg:grid-cols-[minmax(0,1fr)_16rem]" : undefined}>
              <div className="min-w-0">
                {p.suggestedReply ? (
                  <p className="text-xs text-amber-900" data-testid="proposal-no-proposal">
                    The agent stopped without proposing a reply: it needs a person. Write the reply under Decision; it starts from{" "}
                    {p.suggestedReply.citations.length ? "the answer in the cited article" : "a holding reply"}.
                  </p>
                ) : p.draft ? (
                  <div data-testid="proposal-draft" className="text-[13px] leading-5 break-words whitespace-pre-wrap text-neutral-900">
                    {p.draft}
                  </div>
                ) : (
                  <p className="text-xs text-neutral-500" data-testid="proposal-draft-pending">
                    {p.status === "drafting" ? "The agent is still drafting…" : "No draft."}
                  </p>
                )}
              </div>
              {citations.length ? <Citations citations={citations} /> : null}
            </div>
          </Section>

          <Section title="Decision" id="decision">
            {decision}
          </Section>
        </div>

        <aside className="min-w-0 space-y-4" aria-label="Agent analysis">
          <Section title="Triage" id="triage">
            {p.summary ? (
              <p className="mb-3 text-[13px] leading-5 text-neutral-800" data-testid="proposal-summary">
                {p.summary}
              </p>
            ) : null}
            <dl className="grid grid-cols-3 gap-3">
              <Field label="Category">
                {/* An account category shows its name (account data: React escapes it) with its id. */}
                <span data-testid="proposal-category" title={p.triage?.categoryName ? `account category ${p.category}` : undefined}>
                  {p.triage?.categoryName ?? p.category ?? "—"}
                </span>
                {p.triage ? <span className="text-neutral-500"> · {percent(p.triage.categoryConfidence)}</span> : null}
              </Field>
              <Field label="Priority">{p.priority}</Field>
              <Field label="Draft confidence">
                <span data-testid="proposal-confidence">{percent(p.confidence)}</span>
              </Field>
            </dl>
            {p.triage ? (
              <dl className="mt-3 grid grid-cols-4 gap-3" data-testid="proposal-triage">
                <Field label="Language">
                  <span data-testid="proposal-language" title={p.triage.languageDetected ? undefined : "Too short to tell: English assumed"}>
                    {languageName(p.triage.language)}
                    {p.triage.languageDetected ? "" : " (assumed)"}
                  </span>
                </Field>
                <Field label="Urgency">
                  {p.triage.urgency.label} <span className="text-neutral-500">· {percent(p.triage.urgency.confidence)}</span>
                </Field>
                <Field label="Sentiment">
                  <span data-testid="proposal-sentiment">{p.triage.sentiment.label}</span>{" "}
                  <span className="text-neutral-500">· {percent(p.triage.sentiment.confidence)}</span>
                </Field>
                <Field label="Intent">
                  {p.triage.intent.label} <span className="text-neutral-500">· {percent(p.triage.intent.confidence)}</span>
                </Field>
              </dl>
            ) : null}
            {p.triage?.handoffQueue ? (
              <p className="mt-3 text-xs text-neutral-600" data-testid="proposal-handoff-route">
                Handoffs go to <span className="font-mono text-neutral-900">{p.triage.handoffQueue}</span>
                <span className="text-neutral-500"> · {HANDOFF_REASON_LABELS[p.triage.handoffReason ?? "built-in"]}</span>
              </p>
            ) : null}
          </Section>

          <Section title="Entitlement" id="entitlement">
            {p.entitlement ? (
              <dl className="grid grid-cols-2 gap-3" data-testid="proposal-entitlement">
                <Field label="Plan">{p.entitlement.plan}</Field>
                <Field label="Tier">{p.entitlement.tier}</Field>
                <Field label="SLA">{p.entitlement.slaHours} h first response</Field>
                <Field label="Company">{p.entitlement.company ?? "—"}</Field>
                {p.entitlement.customerName ? <Field label="Customer">{p.entitlement.customerName}</Field> : null}
                {p.entitlement.source ? <Field label="From">{ENTITLEMENT_SOURCE_LABELS[p.entitlement.source]}</Field> : null}
              </dl>
            ) : (
              <p className="text-xs text-neutral-500">Not looked up yet.</p>
            )}
          </Section>

          <Section title="Plan" id="plan">
            {p.plan.length > 0 ? (
              <ol className="list-decimal space-y-1 pl-4 text-[13px] text-neutral-800" data-testid="proposal-plan">
                {p.plan.map((step, i) => (
                  <li key={i}>{step}</li>
                ))}
              </ol>
            ) : (
              <p className="text-xs text-neutral-500">No next steps.</p>
            )}
          </Section>

          <Section title={`Tool calls (${p.toolCalls.length})`} id="tools">
            <ToolCallList calls={p.toolCalls} />
          </Section>
        </aside>
      </div>
    </article>
  );
}
