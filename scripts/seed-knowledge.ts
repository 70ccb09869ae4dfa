// Seeds the demo account's knowledge base into the local D1 (run by
// scripts/seed.ts through tsx, because it indexes with the Worker's own store
// code). Idempotent: articles are upserted by their stable ids.
//
//   npx tsx scripts/seed-knowledge.ts <account-id>
//   npx tsx scripts/seed-knowledge.ts <account-id> --synthetic 5000   (the bench's made-up articles, in addition)
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { demoDrafts, knowledgeSql, syntheticDrafts } from "./lib/demo-knowledge";
import { persistToArgs, ROOT } from "./lib/paths";
import { npx } from "./lib/run";

const accountId = process.argv[2];
if (!accountId) {
  console.error("usage: tsx scripts/seed-knowledge.ts <account-id>");
  process.exit(2);
}
const dir = path.join(ROOT, ".wrangler", "tmp");
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `seed-knowledge-${process.pid}.sql`);
const syntheticAt = process.argv.indexOf("--synthetic");
const synthetic = syntheticAt > 0 ? syntheticDrafts(Number(process.argv[syntheticAt + 1])) : [];
writeFileSync(file, await knowledgeSql(accountId, [...demoDrafts(), ...synthetic]));
try {
  await npx(["wrangler", "d1", "execute", "DB", "--local", ...persistToArgs(), "--file", file], { quiet: true });
} finally {
  rmSync(file, { force: true });
}
const drafts = demoDrafts();
console.log(
  `Seeded the knowledge base of "${accountId}": ${drafts.filter((d) => d.kind === "article").length} articles, ${drafts.filter((d) => d.kind === "saved_reply").length} saved replies${synthetic.length ? `, ${synthetic.length} synthetic articles` : ""}.`,
);
