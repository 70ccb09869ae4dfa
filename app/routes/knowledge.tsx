// The team's knowledge: the articles and saved replies the drafts are grounded
// in (a page at a time), a search box showing the ranked hits with their
// scores, and the help desks it is imported from with each one's last sync.
// Every member views and searches; admins add (typed or uploaded), delete and
// press "Sync now". The worker's rules are in worker/knowledge/requests.ts;
// docs/knowledge.md explains sources, syncs and scores.
import { useEffect, useRef } from "react";
import { Form, Link, useFetcher } from "react-router";
import { LANGUAGES, type Language } from "../../worker/domain/enums";
// Types only from domain/knowledge.ts: its zod schemas stay out of the browser bundle (the loader hands over the bounds).
import { KNOWLEDGE_KINDS, KNOWLEDGE_LIMITS, type KnowledgeArticleSummary, type KnowledgeHit, type KnowledgeKind } from "../../worker/domain/knowledge";
import {
  addKnowledgeArticle,
  articleFromFile,
  deleteKnowledgeArticle,
  type KnowledgeSourceView,
  knowledgePage,
  knowledgeSourceViews,
  MATCH_THRESHOLD,
  searchKnowledgeAs,
  syncKnowledgeNow,
  UPLOAD_FORMATS,
} from "../../worker/http/dashboard";
import { ActionStatus, FieldMessage } from "../components/ActionStatus";
import { ErrorView } from "../components/ErrorView";
import { Section } from "../components/Section";
import { accountAccess, envOf, toRouteError } from "../lib/access.server";
import { fieldError, inputClass, primaryButton, secondaryButton } from "../lib/connectors";
import { utcStamp } from "../lib/format";
import { type IntentResponse, intentAction } from "../lib/intent-action.server";
import type { Route } from "./+types/knowledge";

export const meta: Route.MetaFunction = () => [{ title: "Knowledge · Support Triage" }];

type KnowledgeIntent = "add" | "delete" | "sync";
interface KnowledgeActionResponse extends IntentResponse<KnowledgeIntent> {
  /** "sync": each source's outcome. */
  results?: { source: string; status: string; error: string | null }[];
}

/** The cursors of the pages before this one (the first page has none), joined by "." (never in a cursor). */
const TRAIL_SEPARATOR = ".";

export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, accountId, role } = accountAccess(context, "agent");
  const env = envOf(context);
  const url = new URL(request.url);
  const cursor = url.searchParams.get("cursor") || null;
  const back = cursor ? (url.searchParams.get("back") ?? "").split(TRAIL_SEPARATOR).filter(Boolean) : [];
  const q = (url.searchParams.get("q") ?? "").trim();
  const languageParam = url.searchParams.get("language") ?? "";
  const language = (LANGUAGES as readonly string[]).includes(languageParam) ? (languageParam as Language) : null;
  try {
    const [page, sources, hits] = await Promise.all([
      knowledgePage(env, user, accountId, { cursor }),
      knowledgeSourceViews(env, user, accountId),
      q ? searchKnowledgeAs(env, user, accountId, { q: q.slice(0, KNOWLEDGE_LIMITS.queryChars), language }) : null,
    ]);
    return {
      page,
      cursor,
      back,
      sources,
      search: q ? { q, language, hits: hits ?? [] } : null,
      canManage: role === "admin",
      matchThreshold: MATCH_THRESHOLD,
      form: {
        kinds: [...KNOWLEDGE_KINDS],
        titleChars: KNOWLEDGE_LIMITS.titleChars,
        queryChars: KNOWLEDGE_LIMITS.queryChars,
        accept: Object.keys(UPLOAD_FORMATS)
          .map((e) => `.${e}`)
          .join(","),
      },
    };
  } catch (err) {
    toRouteError(err);
  }
}

export const action = intentAction<KnowledgeActionResponse>({
  role: "admin",
  handlers: {
    add: async ({ env, user, accountId, text, form }) => {
      const file = form.get("file");
      let title = text("title").trim();
      let body = text("body");
      let format: "markdown" | "html" | "text" | undefined;
      // An uploaded file takes the place of the typed body; its first heading (or its name) is the title when none is typed.
      if (file instanceof File && file.size > 0) {
        const fromFile = articleFromFile(file.name, await file.text());
        body = fromFile.body;
        format = fromFile.format;
        title ||= fromFile.title;
      }
      const tags = text("tags")
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean);
      const optional = { url: text("url").trim(), language: text("language"), kind: text("kind") };
      const article = await addKnowledgeArticle(env, user, accountId, {
        title,
        body,
        ...(format ? { format } : {}),
        ...(tags.length ? { tags } : {}),
        ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== "")),
      });
      return `"${article.title}" added`;
    },
    delete: async ({ env, user, accountId, text }) => {
      await deleteKnowledgeArticle(env, user, accountId, text("id"));
      return "Article deleted";
    },
    sync: async ({ env, user, accountId }) => {
      const results = await syncKnowledgeNow(env, user, accountId);
      const synced = results.filter((r) => r.status !== "not_connected");
      const failed = synced.filter((r) => r.status === "failed").length;
      return {
        results: synced.map(({ source, status, error }) => ({ source, status, error })),
        message: synced.length
          ? `Synced ${synced.length} source${synced.length === 1 ? "" : "s"}${failed ? `, ${failed} failed` : ""}`
          : "No help desk is connected with outbound credentials: connect one on the Connectors page",
      };
    },
  },
});

export default function Knowledge({ loaderData, params }: Route.ComponentProps) {
  const { page, cursor, back, sources, search, canManage, form, matchThreshold } = loaderData;
  const base = `/accounts/${encodeURIComponent(params.account)}/knowledge`;
  const connected = sources.filter((s) => s.connected).length;
  return (
    <div className="h-full overflow-y-auto">
      <div className="mx-auto max-w-[1100px] space-y-4 p-6">
        <div className="flex items-baseline justify-between gap-4">
          <h1 className="text-base font-semibold">Knowledge</h1>
          <p className="text-xs text-neutral-500" data-testid="knowledge-summary">
            {page.total} article{page.total === 1 ? "" : "s"} and saved replies · {connected} help desk{connected === 1 ? "" : "s"} connected · drafts quote
            what matches well
          </p>
        </div>
        <SearchSection search={search} base={base} queryChars={form.queryChars} matchThreshold={matchThreshold} />
        <SourcesSection sources={sources} canManage={canManage} actionUrl={base} />
        {canManage ? <AddArticleSection actionUrl={base} form={form} /> : null}
        <ArticlesSection articles={page.articles} next={page.next} cursor={cursor} back={back} canManage={canManage} base={base} search={search} />
      </div>
    </div>
  );
}

function SearchSection({
  search,
  base,
  queryChars,
  matchThreshold,
}: {
  search: { q: string; language: Language | null; hits: KnowledgeHit[] } | null;
  base: string;
  queryChars: number;
  matchThreshold: number;
}) {
  return (
    <Section title="Search" id="knowledge-search">
      <Form method="get" action={base} className="flex items-center gap-2" role="search">
        <label htmlFor="knowledge-q" className="sr-only">
          Question
        </label>
        <input
          id="knowledge-q"
          name="q"
          type="search"
          defaultValue={search?.q ?? ""}
          maxLength={queryChars}
          placeholder="A customer's question, e.g. I was charged twice"
          className={inputClass}
          data-testid="knowledge-search-input"
        />
        <label htmlFor="knowledge-language" className="sr-only">
          Customer's language
        </label>
        <select
          id="knowledge-language"
          name="language"
          defaultValue={search?.language ?? ""}
          className={`${inputClass} w-36`}
          data-testid="knowledge-search-language"
        >
          <option value="">Any language</option>
          {LANGUAGES.map((l) => (
            <option key={l} value={l}>
              Prefer {l}
            </option>
          ))}
        </select>
        <button type="submit" className={primaryButton} data-testid="knowledge-search-submit">
          Search
        </button>
      </Form>
      {search ? (
        search.hits.length === 0 ? (
          <p className="mt-3 text-xs text-neutral-500" data-testid="knowledge-no-hits">
            Nothing in the knowledge base matches “{search.q}”.
          </p>
        ) : (
          <ol className="mt-3 space-y-2" data-testid="knowledge-hits">
            {search.hits.map((h) => (
              <li key={h.id} className="rounded-md border border-neutral-100 px-3 py-2" data-testid="knowledge-hit" data-article-id={h.id}>
                <div className="flex items-baseline justify-between gap-3">
                  <span className="text-[13px] font-medium text-neutral-900">
                    {h.url ? (
                      <a href={h.url} target="_blank" rel="noreferrer noopener" className="underline underline-offset-2 hover:text-neutral-600">
                        {h.title}
                      </a>
                    ) : (
                      h.title
                    )}
                  </span>
                  <span
                    className={`shrink-0 font-mono text-[11px] ${h.score >= matchThreshold ? "text-emerald-700" : "text-neutral-500"}`}
                    title={`How much of the question the article covers, 0 to 1 (drafts quote it from ${matchThreshold} on)`}
                    data-testid="knowledge-hit-score"
                  >
                    score {h.score.toFixed(2)}
                  </span>
                </div>
                <p className="mt-0.5 text-xs text-neutral-600">{h.snippet}</p>
                <p className="mt-0.5 text-[11px] text-neutral-400">
                  {h.kind === "saved_reply" ? "saved reply" : "article"} · {h.language}
                </p>
              </li>
            ))}
          </ol>
        )
      ) : null}
    </Section>
  );
}

function SourcesSection({ sources, canManage, actionUrl }: { sources: KnowledgeSourceView[]; canManage: boolean; actionUrl: string }) {
  const fetcher = useFetcher<KnowledgeActionResponse>();
  const busy = fetcher.state !== "idle";
  const response = fetcher.data?.intent === "sync" ? fetcher.data : undefined;
  return (
    <Section
      title="Imported from your help desks"
      id="knowledge-sources"
      aside={
        canManage ? (
          <fetcher.Form method="post" action={actionUrl}>
            <input type="hidden" name="intent" value="sync" />
            <button type="submit" className={secondaryButton} disabled={busy} data-testid="knowledge-sync-now">
              {busy ? "Syncing…" : "Sync now"}
            </button>
          </fetcher.Form>
        ) : null
      }
    >
      <p className="mb-2 text-xs text-neutral-500">
        Help desks switched on with outbound credentials (Connectors page) are re-read in full every 6 hours: new and changed articles are indexed, ones the
        help desk no longer lists are removed.
      </p>
      {response ? (
        <div className="mb-2">
          <ActionStatus response={response} busy={busy} testId="knowledge-sync-result" />
        </div>
      ) : null}
      <table className="w-full text-left text-xs" data-testid="knowledge-sources">
        <thead className="text-[11px] text-neutral-500">
          <tr>
            <th className="py-1 pr-3 font-medium">Source</th>
            <th className="py-1 pr-3 font-medium">Connected</th>
            <th className="py-1 pr-3 font-medium">Last sync</th>
            <th className="py-1 pr-3 font-medium">Status</th>
            <th className="py-1 pr-3 font-medium">Counts</th>
            <th className="py-1 font-medium">Error</th>
          </tr>
        </thead>
        <tbody>
          {sources.map((s) => (
            <tr key={s.source} className="border-t border-neutral-100 align-top" data-testid="knowledge-source-row" data-source={s.source}>
              <td className="py-1.5 pr-3">
                <span className="font-mono text-neutral-900">{s.source}</span>
                <span className="block text-[11px] text-neutral-500">{s.label}</span>
              </td>
              <td className="py-1.5 pr-3">{s.connected ? "yes" : <span className="text-neutral-400">no</span>}</td>
              <td className="py-1.5 pr-3 text-neutral-600">{s.lastSync ? utcStamp(s.lastSync.finishedAt) : "never"}</td>
              <td className="py-1.5 pr-3" data-testid="knowledge-source-status">
                {s.lastSync ? <span className={s.lastSync.status === "ok" ? "text-emerald-700" : "text-red-700"}>{s.lastSync.status}</span> : "—"}
              </td>
              <td className="py-1.5 pr-3 text-neutral-600">{s.lastSync ? countsText(s.lastSync.counts) : "—"}</td>
              <td className="py-1.5 break-words text-red-700">{s.lastSync?.error ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

function countsText(counts: Record<string, number>): string {
  const order = ["seen", "added", "updated", "unchanged", "deleted"];
  const parts = order.filter((k) => counts[k] !== undefined).map((k) => `${counts[k]} ${k}`);
  return parts.length ? parts.join(" · ") : "—";
}

function AddArticleSection({ actionUrl, form }: { actionUrl: string; form: { kinds: KnowledgeKind[]; titleChars: number; accept: string } }) {
  const { accept } = form;
  const fetcher = useFetcher<KnowledgeActionResponse>();
  const busy = fetcher.state !== "idle";
  const response = fetcher.data?.intent === "add" ? fetcher.data : undefined;
  const formRef = useRef<HTMLFormElement>(null);
  const handled = useRef<KnowledgeActionResponse | undefined>(undefined);

  useEffect(() => {
    if (fetcher.state !== "idle" || !response || handled.current === response) return;
    handled.current = response;
    if (response.ok) formRef.current?.reset();
  }, [fetcher.state, response]);

  const error = (path: string) => fieldError(response?.fields, path);
  const shown = ["title", "body", "url", "language", "kind", "tags", "file"];

  return (
    <Section title="Add an article or saved reply" id="knowledge-add">
      <fetcher.Form ref={formRef} method="post" action={actionUrl} encType="multipart/form-data" className="space-y-3" noValidate>
        <input type="hidden" name="intent" value="add" />
        <div className="grid grid-cols-[minmax(0,1fr)_140px_140px] gap-3">
          <div>
            <label htmlFor="knowledge-title" className="block text-[11px] font-medium text-neutral-700">
              Title
            </label>
            <input
              id="knowledge-title"
              name="title"
              maxLength={form.titleChars}
              placeholder="e.g. Refund a double charge"
              className={`${inputClass} mt-1`}
              aria-invalid={error("title") ? true : undefined}
              aria-describedby={error("title") ? "knowledge-title-error" : undefined}
              data-testid="knowledge-title"
            />
            <FieldMessage id="knowledge-title-error" message={error("title")} />
          </div>
          <div>
            <label htmlFor="knowledge-kind" className="block text-[11px] font-medium text-neutral-700">
              Kind
            </label>
            <select id="knowledge-kind" name="kind" defaultValue="article" className={`${inputClass} mt-1`} data-testid="knowledge-kind">
              {form.kinds.map((k) => (
                <option key={k} value={k}>
                  {k === "saved_reply" ? "Saved reply" : "Article"}
                </option>
              ))}
            </select>
            <FieldMessage id="knowledge-kind-error" message={error("kind")} />
          </div>
          <div>
            <label htmlFor="knowledge-article-language" className="block text-[11px] font-medium text-neutral-700">
              Language
            </label>
            <select
              id="knowledge-article-language"
              name="language"
              defaultValue=""
              className={`${inputClass} mt-1`}
              aria-invalid={error("language") ? true : undefined}
              data-testid="knowledge-language"
            >
              <option value="">Detect</option>
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
            <FieldMessage id="knowledge-language-error" message={error("language")} />
          </div>
        </div>
        <div>
          <label htmlFor="knowledge-body" className="block text-[11px] font-medium text-neutral-700">
            Text (Markdown or HTML)
          </label>
          <textarea
            id="knowledge-body"
            name="body"
            rows={6}
            placeholder="The answer, as the team would give it: steps, links, conditions."
            className={`${inputClass} mt-1 h-auto py-1.5 font-mono text-xs`}
            aria-invalid={error("body") ? true : undefined}
            aria-describedby={error("body") ? "knowledge-body-error" : undefined}
            data-testid="knowledge-body"
          />
          <FieldMessage id="knowledge-body-error" message={error("body")} />
        </div>
        <div className="grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)_minmax(0,1fr)] gap-3">
          <div>
            <label htmlFor="knowledge-file" className="block text-[11px] font-medium text-neutral-700">
              Or upload a file ({accept.replaceAll(",", " ")})
            </label>
            <input
              id="knowledge-file"
              name="file"
              type="file"
              accept={accept}
              className="mt-1 block w-full text-xs text-neutral-700 file:mr-2 file:rounded-md file:border file:border-neutral-300 file:bg-white file:px-2 file:py-1 file:text-xs"
              aria-invalid={error("file") ? true : undefined}
              aria-describedby={error("file") ? "knowledge-file-error" : undefined}
              data-testid="knowledge-file"
            />
            <FieldMessage id="knowledge-file-error" message={error("file")} />
          </div>
          <div>
            <label htmlFor="knowledge-url" className="block text-[11px] font-medium text-neutral-700">
              Link (optional)
            </label>
            <input
              id="knowledge-url"
              name="url"
              type="url"
              placeholder="https://help.example.com/…"
              className={`${inputClass} mt-1`}
              aria-invalid={error("url") ? true : undefined}
              aria-describedby={error("url") ? "knowledge-url-error" : undefined}
              data-testid="knowledge-url"
            />
            <FieldMessage id="knowledge-url-error" message={error("url")} />
          </div>
          <div>
            <label htmlFor="knowledge-tags" className="block text-[11px] font-medium text-neutral-700">
              Tags (comma-separated)
            </label>
            <input id="knowledge-tags" name="tags" placeholder="billing, refunds" className={`${inputClass} mt-1`} data-testid="knowledge-tags" />
            <FieldMessage id="knowledge-tags-error" message={response?.fields?.find((f) => f.path.startsWith("tags"))?.message} />
          </div>
        </div>
        <div className="flex items-center gap-3">
          <button type="submit" className={primaryButton} disabled={busy} data-testid="knowledge-add">
            {busy ? "Adding…" : "Add"}
          </button>
          <ActionStatus response={response} busy={busy} shownFields={shown} testId="knowledge-add-result" />
        </div>
      </fetcher.Form>
    </Section>
  );
}

function ArticlesSection({
  articles,
  next,
  cursor,
  back,
  canManage,
  base,
  search,
}: {
  articles: KnowledgeArticleSummary[];
  next: string | null;
  cursor: string | null;
  back: string[];
  canManage: boolean;
  base: string;
  search: { q: string; language: Language | null } | null;
}) {
  const link = (pageCursor: string | null, trail: string[]) => {
    const p = new URLSearchParams();
    if (search) {
      p.set("q", search.q);
      if (search.language) p.set("language", search.language);
    }
    if (pageCursor) {
      p.set("cursor", pageCursor);
      if (trail.length) p.set("back", trail.join(TRAIL_SEPARATOR));
    }
    const qs = p.toString();
    return qs ? `${base}?${qs}` : base;
  };
  const pageNumber = cursor ? back.length + 2 : 1;
  const previous = cursor ? link(back.at(-1) ?? null, back.slice(0, -1)) : null;
  const following = next ? link(next, cursor ? [...back, cursor] : []) : null;

  return (
    <Section
      title="Articles and saved replies"
      id="knowledge-articles"
      aside={<span className="text-[11px] text-neutral-500">page {pageNumber} · newest change first</span>}
    >
      {articles.length === 0 ? (
        <p className="text-xs text-neutral-500" data-testid="knowledge-empty">
          {cursor ? "No more articles." : "No articles yet."}
        </p>
      ) : (
        <table className="w-full text-left text-xs" data-testid="knowledge-articles">
          <thead className="text-[11px] text-neutral-500">
            <tr>
              <th className="py-1 pr-3 font-medium">Title</th>
              <th className="py-1 pr-3 font-medium">Kind</th>
              <th className="py-1 pr-3 font-medium">Language</th>
              <th className="py-1 pr-3 font-medium">Source</th>
              <th className="py-1 pr-3 font-medium">Tags</th>
              <th className="py-1 pr-3 font-medium">Updated</th>
              {canManage ? (
                <th className="py-1 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {articles.map((a) => (
              <ArticleRow key={a.id} article={a} canManage={canManage} actionUrl={base} />
            ))}
          </tbody>
        </table>
      )}
      {previous || following ? (
        <nav aria-label="Article pages" className="mt-3 flex items-center gap-2">
          {previous ? (
            <Link to={previous} className={secondaryButton} data-testid="knowledge-previous">
              Previous
            </Link>
          ) : null}
          {following ? (
            <Link to={following} className={secondaryButton} data-testid="knowledge-next">
              Next
            </Link>
          ) : null}
        </nav>
      ) : null}
    </Section>
  );
}

function ArticleRow({ article, canManage, actionUrl }: { article: KnowledgeArticleSummary; canManage: boolean; actionUrl: string }) {
  const fetcher = useFetcher<KnowledgeActionResponse>();
  const busy = fetcher.state !== "idle";
  return (
    <tr className="border-t border-neutral-100 align-top" data-testid="knowledge-article-row" data-article-id={article.id} data-title={article.title}>
      <td className="py-1.5 pr-3 font-medium text-neutral-900">
        {article.url ? (
          <a href={article.url} target="_blank" rel="noreferrer noopener" className="underline underline-offset-2 hover:text-neutral-600">
            {article.title}
          </a>
        ) : (
          article.title
        )}
      </td>
      <td className="py-1.5 pr-3 text-neutral-600">{article.kind === "saved_reply" ? "saved reply" : "article"}</td>
      <td className="py-1.5 pr-3 font-mono text-[11px]">{article.language}</td>
      <td className="py-1.5 pr-3 font-mono text-[11px]">{article.source}</td>
      <td className="py-1.5 pr-3 text-neutral-600">{article.tags.join(", ")}</td>
      <td className="py-1.5 pr-3 text-neutral-600">{utcStamp(article.updatedAt)}</td>
      {canManage ? (
        <td className="py-1.5 text-right">
          <fetcher.Form method="post" action={actionUrl}>
            <input type="hidden" name="intent" value="delete" />
            <input type="hidden" name="id" value={article.id} />
            <button type="submit" className={secondaryButton} disabled={busy} data-testid="knowledge-delete" aria-label={`Delete ${article.title}`}>
              {busy ? "Deleting…" : "Delete"}
            </button>
          </fetcher.Form>
          {fetcher.data && !fetcher.data.ok ? <ActionStatus response={fetcher.data} busy={busy} /> : null}
        </td>
      ) : null}
    </tr>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorView error={error} compact />;
}
