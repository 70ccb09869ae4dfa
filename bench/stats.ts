// Percentiles and the targets, for bench/run.ts.

export interface Percentiles {
  p50: number;
  p95: number;
  max: number;
  n: number;
}

export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 10) / 10;
  return { p50: at(50), p95: at(95), max: at(100), n: sorted.length };
}

interface LevelFigures {
  bare_route_ms: Percentiles;
  intake_ms: Percentiles;
  decision_ms: Percentiles;
  first_page_ms: Percentiles;
  queue_page_html: { ms: Percentiles; bytes: number };
  update_bytes: (Percentiles & { count: number }) | null;
  decision_to_dashboards_ms: Percentiles;
}

interface LatencyFigures {
  tool_calls_seeded: number;
  report_24h_ms: Percentiles;
  report_7d_ms: Percentiles;
}

interface Figures {
  knowledge: { articles: number; search_ms: Percentiles };
  latency: LatencyFigures;
  empty: LevelFigures;
  burst: { tickets: number; answers: Record<string, number>; accepted_per_second: number; all_awaiting_review_after_s: number };
  levels: Record<string, LevelFigures>;
}

/** Each target of the issue, with the figure it was judged on. */
export function targetsMet(f: Figures): Record<string, { target: string; measured: number | string; met: boolean }> {
  const t: Record<string, { target: string; measured: number | string; met: boolean }> = {};
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  // The bare route timed between the same tickets (same conditions) is the yardstick.
  const bare = f.empty.bare_route_ms.p50;
  t.intake_vs_bare_route = {
    target: "intake p50 ≤ 3 × bare route p50 (timed alongside)",
    measured: ratio(f.empty.intake_ms.p50, bare),
    met: f.empty.intake_ms.p50 <= 3 * bare,
  };
  t.knowledge_search = {
    target: `knowledge search ≤ 50 ms p95 with ${f.knowledge.articles.toLocaleString("en")} articles`,
    measured: f.knowledge.search_ms.p95,
    met: f.knowledge.search_ms.p95 <= 50,
  };
  t.tail_latency_report = latencyTarget(f.latency);
  t.accepted_per_second = { target: "≥ 50 tickets/s at 16 in parallel", measured: f.burst.accepted_per_second, met: f.burst.accepted_per_second >= 50 };
  const lost = f.burst.tickets - (f.burst.answers["202"] ?? 0);
  t.none_lost = { target: "every ticket of the burst accepted (202)", measured: lost, met: lost === 0 };
  t.burst_ready = {
    target: "500 tickets all awaiting review within 60 s",
    measured: f.burst.all_awaiting_review_after_s,
    met: f.burst.all_awaiting_review_after_s <= 60,
  };
  for (const [level, l] of Object.entries(f.levels)) {
    t[`intake_at_${level}`] = {
      target: "intake p50 within 1.5 × of the empty queue",
      measured: ratio(l.intake_ms.p50, f.empty.intake_ms.p50),
      met: l.intake_ms.p50 <= 1.5 * f.empty.intake_ms.p50,
    };
    t[`decision_at_${level}`] = {
      target: "decision p50 within 1.5 × of the empty queue",
      measured: ratio(l.decision_ms.p50, f.empty.decision_ms.p50),
      met: l.decision_ms.p50 <= 1.5 * f.empty.decision_ms.p50,
    };
    t[`queue_page_bytes_at_${level}`] = {
      target: "queue page ≤ 150 KB of HTML",
      measured: l.queue_page_html.bytes,
      met: l.queue_page_html.bytes <= 150 * 1024,
    };
    t[`queue_page_ms_at_${level}`] = {
      target: "queue page served in ≤ 1 s (slowest of 5)",
      measured: l.queue_page_html.ms.max,
      met: l.queue_page_html.ms.max <= 1000,
    };
    t[`first_page_ms_at_${level}`] = { target: "first page of proposals ≤ 300 ms (p95)", measured: l.first_page_ms.p95, met: l.first_page_ms.p95 <= 300 };
    t[`update_bytes_at_${level}`] = {
      target: "one proposal update ≤ 10 KB (largest)",
      measured: l.update_bytes?.max ?? "none seen",
      met: (l.update_bytes?.max ?? 0) <= 10 * 1024,
    };
    t[`fanout_at_${level}`] = {
      target: "a decision reaches 20 dashboards in ≤ 100 ms (p95)",
      measured: l.decision_to_dashboards_ms.p95,
      met: l.decision_to_dashboards_ms.p95 <= 100,
    };
  }
  return t;
}

/** The tail latency report (either window, the slower p95) within 100 ms over the seeded tool log. */
export function latencyTarget(l: LatencyFigures): { target: string; measured: number; met: boolean } {
  const p95 = Math.max(l.report_24h_ms.p95, l.report_7d_ms.p95);
  return { target: `tail latency report ≤ 100 ms p95 with ${l.tool_calls_seeded.toLocaleString("en")} logged tool calls`, measured: p95, met: p95 <= 100 };
}
