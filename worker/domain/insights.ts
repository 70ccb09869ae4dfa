// "Is triage helping?": the figures per category and per language that the
// Insights page and GET /api/accounts/:account/insights/triage show, and the
// filters they take. No zod here: the page's browser bundle imports this file
// (the parameters' schema is worker/http/insights-params.ts).

/** The windows the page offers; the API takes any whole number of days up to MAX_INSIGHT_DAYS. */
export const INSIGHT_WINDOWS = [7, 30] as const;
export const MAX_INSIGHT_DAYS = 90;

export interface TriageInsightsFilter {
  days: number;
  category?: string;
  language?: string;
}

/** What happened to the tasks of one group (a category, a language, or all of them). */
export interface TriageFigures {
  /** Tasks triaged in the window (attempted). */
  tasks: number;
  /** Sent as drafted: a person approved without changing it. */
  approved: number;
  /** Sent after a person edited the draft. */
  edited: number;
  /** A person rejected the proposal: nothing was sent. */
  rejected: number;
  /** Sent back for a new draft at least once (whatever happened next). */
  sentBack: number;
  /** Sent without review under the account's auto-send policy. */
  autoSent: number;
  /** Nobody decided within two hours: escalated. */
  expired: number;
  failed: number;
  /** Still drafting, waiting for a person, or being sent. */
  open: number;
  /** How much people changed the drafts they edited: normalised edit distance, 0 to 1 (edited replies only). */
  editRatio: { mean: number | null; median: number | null };
  /** Median seconds from the ticket's arrival to the reply going out, over `responded` sent replies. */
  firstResponse: { medianSeconds: number | null; responded: number };
  /** Tasks closed by their first-response deadline, of those whose outcome against it is known. */
  sla: { met: number; measured: number; share: number | null };
}

export interface TriageInsightsRow extends TriageFigures {
  /** The category or language; null: triage had not read it (e.g. failed before). */
  key: string | null;
}

export interface TriageInsights {
  days: number;
  /** First UTC day of the window (YYYY-MM-DD); the window ends today. */
  since: string;
  filter: { category: string | null; language: string | null };
  totals: TriageFigures;
  byCategory: TriageInsightsRow[];
  byLanguage: TriageInsightsRow[];
  /** The categories and languages seen in the window (without the filters), for the filter menus. */
  seen: { categories: string[]; languages: string[] };
}
