// One-off comparison behind the choice of language detector (docs/triage.md).
// Needs the candidates, which the project does not depend on:
//   npm install --no-save franc-min eld tinyld && node bench/compare-language-detectors.mjs
// Reads the held-out tickets (data/triage/*.eval.jsonl), detects each ticket's
// language with each candidate restricted to the languages we support, and
// prints accuracy, per-call time and the size each would add to the bundle.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const LANGS = ["en", "de", "es", "fr", "pt", "it", "nl", "pl"];
const ISO3 = { en: "eng", de: "deu", es: "spa", fr: "fra", pt: "por", it: "ita", nl: "nld", pl: "pol" };
const FROM3 = Object.fromEntries(Object.entries(ISO3).map(([a, b]) => [b, a]));

const dir = "data/triage";
const tickets = readdirSync(dir)
  .filter((f) => f.endsWith(".eval.jsonl"))
  .flatMap((f) =>
    readFileSync(join(dir, f), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  );

const { franc } = await import("franc-min");
const eld = (await import("eld/small")).eld;
eld.setLanguageSubset?.(LANGS);
const tinyld = await import("tinyld/light");

const fileOf = (specifier) => fileURLToPath(import.meta.resolve(specifier));
const dirSize = (d) => readdirSync(d, { recursive: true }).reduce((n, f) => n + (statSync(join(d, f)).isFile() ? statSync(join(d, f)).size : 0), 0);
const eldSmall = fileOf("eld/small");

const candidates = {
  "franc-min": { detect: (t) => FROM3[franc(t, { only: Object.values(ISO3), minLength: 3 })] ?? "und", size: dirSize(dirname(fileOf("franc-min"))) },
  "eld (small, subset)": { detect: (t) => eld.detect(t).language, size: statSync(join(dirname(eldSmall), "..", "ngrams", "small.js")).size },
  "tinyld (light)": { detect: (t) => tinyld.detect(t, { only: LANGS }) || "und", size: statSync(fileOf("tinyld/light")).size },
};

const results = {};
for (const [name, c] of Object.entries(candidates)) {
  let right = 0;
  const times = [];
  for (const t of tickets) {
    const text = `${t.subject}\n${t.body}`;
    const start = performance.now();
    const got = c.detect(text);
    times.push(performance.now() - start);
    if (got === t.lang) right++;
  }
  times.sort((a, b) => a - b);
  results[name] = {
    accuracy: +(right / tickets.length).toFixed(4),
    p50_ms: +times[Math.floor(times.length * 0.5)].toFixed(3),
    p95_ms: +times[Math.floor(times.length * 0.95)].toFixed(3),
    package_bytes: c.size,
  };
}
console.log(JSON.stringify({ tickets: tickets.length, languages: LANGS, results }, null, 2));
