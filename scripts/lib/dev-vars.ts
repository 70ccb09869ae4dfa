// Reading and creating `.dev.vars` (dotenv syntax, as wrangler reads it).
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./paths.ts";

export const DEV_VARS = path.join(ROOT, ".dev.vars");
export const DEV_VARS_EXAMPLE = path.join(ROOT, ".dev.vars.example");

/** Parses `KEY=value` lines; `#` comments, blank lines, optional `export ` and quotes. */
export function parseDevVars(text: string): Record<string, string> {
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
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/**
 * Creates `.dev.vars` from `.dev.vars.example` with a fresh DEMO_WEBHOOK_SECRET
 * when it does not exist yet. Returns true when it created the file.
 */
export function ensureDevVars(): boolean {
  if (existsSync(DEV_VARS)) return false;
  const template = existsSync(DEV_VARS_EXAMPLE)
    ? readFileSync(DEV_VARS_EXAMPLE, "utf8")
    : "DEMO_WEBHOOK_SECRET=\nDEMO_PASSWORD=demo-password-123\n";
  const secret = generateWebhookSecret();
  let text = template.replace(/^DEMO_WEBHOOK_SECRET=.*$/m, `DEMO_WEBHOOK_SECRET=${secret}`);
  if (!/^DEMO_WEBHOOK_SECRET=/m.test(text)) text += `\nDEMO_WEBHOOK_SECRET=${secret}\n`;
  writeFileSync(DEV_VARS, text, { mode: 0o600 });
  return true;
}
