// Every test file starts from a migrated D1 with one seeded account.
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { seedTestAccount } from "./fixtures";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
await seedTestAccount(env);
