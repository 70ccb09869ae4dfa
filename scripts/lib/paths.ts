// Paths and the environment every child tool (wrangler, vite) runs with.
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The project root (the directory holding wrangler.jsonc and vite.config.ts). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Local state shared by `wrangler d1 … --local` and `vite dev`: wrangler resolves
 * `.wrangler/state` next to wrangler.jsonc, the Vite plugin resolves it under the
 * Vite root; both are ROOT, and both keep D1 under `v3/d1`. Child processes run
 * with cwd = ROOT so it stays that way whatever directory a script starts from.
 *
 * `STATE_DIR=<dir>` moves all of it (D1, Durable Objects, Workflows) elsewhere,
 * e.g. for a test that runs its own app next to another: wrangler gets
 * `--persist-to <dir>` and vite.config.ts `persistState: { path: <dir> }`;
 * both then keep their files under `<dir>/v3`.
 */
export const STATE_DIR = process.env.STATE_DIR ? path.resolve(ROOT, process.env.STATE_DIR) : path.join(ROOT, ".wrangler", "state");

/** Extra `wrangler d1 … --local` arguments: none by default, `--persist-to` with STATE_DIR. */
export function persistToArgs(): string[] {
  return process.env.STATE_DIR ? ["--persist-to", STATE_DIR] : [];
}

/**
 * Environment for wrangler/vite children: offline-friendly flags, and the
 * project's Node 22 (this very binary) and node_modules/.bin first on PATH so
 * `npx wrangler` / `npx vite` resolve to the local tools on Node 22 even when
 * the script was not started through npm.
 */
export function toolEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const pathParts = [path.join(ROOT, "node_modules", ".bin"), path.dirname(process.execPath), process.env.PATH ?? ""];
  return {
    ...process.env,
    PATH: pathParts.filter(Boolean).join(path.delimiter),
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_SEND_METRICS: "false",
    ...extra,
  };
}
