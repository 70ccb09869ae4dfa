// Reading and creating `.dev.vars` (dotenv syntax, as wrangler reads it).
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { demoSecretVar, SOURCE_IDS } from "../../worker/domain/source-ids.ts";
import { ROOT } from "./paths.ts";

export const DEV_VARS = path.join(ROOT, ".dev.vars");
const DEV_VARS_EXAMPLE = path.join(ROOT, ".dev.vars.example");

/** Parses `KEY=value` lines; `#` comments, blank lines, optional `export ` and quotes. */
function parseDevVars(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, "\n");
    } else {
      value = value.replace(/\s+#.*$/, "").trim();
    }
    vars[m[1]!] = value;
  }
  return vars;
}

/** The variables of `.dev.vars` (empty when the file is missing). */
export function readDevVars(file = DEV_VARS): Record<string, string> {
  return existsSync(file) ? parseDevVars(readFileSync(file, "utf8")) : {};
}

/** A Standard Webhooks secret: `whsec_` + base64 of 24 random bytes. */
function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/** Variables `npm start` generates fresh for each machine, never copied from the example. */
const GENERATED: Record<string, () => string> = {
  DEMO_WEBHOOK_SECRET: generateWebhookSecret,
  CONNECTOR_SECRETS_KEY: () => randomBytes(32).toString("base64"),
  ...Object.fromEntries(SOURCE_IDS.filter((s) => s !== "generic").map((s) => [demoSecretVar(s), () => randomBytes(24).toString("hex")])),
};

/**
 * Creates `.dev.vars` from `.dev.vars.example` with fresh secrets when it does
 * not exist, and adds any generated variable an older `.dev.vars` lacks.
 * Returns true when it created the file.
 */
/** Settings every local `.dev.vars` needs, added to an older one that lacks them. */
const LOCAL_DEFAULTS: Record<string, string> = { OUTBOUND_ALLOW_LOOPBACK: "1" };

export function ensureDevVars(): boolean {
  if (existsSync(DEV_VARS)) {
    const have = readDevVars();
    const missing = Object.keys(GENERATED).filter((k) => !have[k]);
    const defaults = Object.keys(LOCAL_DEFAULTS).filter((k) => have[k] === undefined);
    if (missing.length || defaults.length) {
      const text = readFileSync(DEV_VARS, "utf8").replace(/\n*$/, "\n");
      const lines = [...missing.map((k) => `${k}=${GENERATED[k]!()}`), ...defaults.map((k) => `${k}=${LOCAL_DEFAULTS[k]}`)];
      writeFileSync(DEV_VARS, `${text + lines.join("\n")}\n`, { mode: 0o600 });
    }
    return false;
  }
  let text = existsSync(DEV_VARS_EXAMPLE) ? readFileSync(DEV_VARS_EXAMPLE, "utf8") : "DEMO_PASSWORD=demo-password-123\n";
  for (const [name, generate] of Object.entries(GENERATED)) {
    const line = new RegExp(`^${name}=.*$`, "m");
    text = line.test(text) ? text.replace(line, `${name}=${generate()}`) : `${text.replace(/\n*$/, "\n")}${name}=${generate()}\n`;
  }
  writeFileSync(DEV_VARS, text, { mode: 0o600 });
  return true;
}
