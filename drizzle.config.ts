import { defineConfig } from "drizzle-kit";

// Generates SQL migrations only; they are applied by wrangler (`npm run db:migrate`),
// never by drizzle-kit, so D1 keeps its own migration table.
export default defineConfig({
  dialect: "sqlite",
  schema: "./worker/db/schema.ts",
  out: "./drizzle",
});
