// `npm start`: everything a developer needs, in one command.
//   1. creates .dev.vars from .dev.vars.example (fresh webhook secret) if missing,
//   2. applies the D1 migrations to the local database,
//   3. seeds the demo account, customers and sign-ins,
//   4. starts `vite dev` (the whole app in workerd) on 127.0.0.1:$PORT (default 5173),
//   5. waits until it answers and prints where to go.
// Ctrl+C (SIGINT) or SIGTERM stops the dev server; this process exits with it.
//
// Local state: `wrangler d1 … --local` and the Vite plugin both persist to
// <project>/.wrangler/state (D1 under v3/d1), so the seed lands in the database
// the dev server reads. STATE_DIR=<dir> moves that state (see scripts/lib/paths.ts);
// e2e/restart.spec.ts runs its own app on its own state that way.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { DEV_VARS, ensureDevVars, readDevVars } from "./lib/dev-vars.ts";
import { ROOT, STATE_DIR, toolEnv } from "./lib/paths.ts";
import { SSO_ENV_NAMES, ssoVarsFrom } from "./lib/sso-env.ts";
import { applyLocalMigrations, DEMO_ACCOUNT, DEMO_USERS, seed, seedOptionsFromEnv } from "./seed.ts";

const READY_TIMEOUT_MS = 170_000;

function parsePort(raw: string | undefined): number {
  const port = Number(raw ?? 5173);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`PORT must be a TCP port number, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return port;
}

/** True when something already accepts connections on 127.0.0.1:port. */
function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.setTimeout(1000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `url` answers with any HTTP status (the first request compiles the app). */
async function waitUntilAnswering(url: string, isAlive: () => boolean): Promise<number> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error("the dev server exited before it answered");
    try {
      const res = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(60_000) });
      await res.body?.cancel();
      return res.status;
    } catch {
      await sleep(300);
    }
  }
  throw new Error(`no answer from ${url} within ${READY_TIMEOUT_MS / 1000} s`);
}

/**
 * Sign-in settings (OIDC_*, ACCESS_*) come from .dev.vars or from this process's
 * environment (vite.config.ts passes them on); .dev.vars wins. Says so when both
 * set a name differently, and returns what the Worker will see.
 */
function ssoSettings(): Record<string, string> {
  const fromFile = readDevVars();
  const fromEnv = ssoVarsFrom(process.env);
  for (const [name, value] of Object.entries(fromEnv)) {
    if (fromFile[name] !== undefined && fromFile[name] !== value) {
      console.warn(`Note: ${name} is set both in .dev.vars and in the environment; the Worker uses the .dev.vars value.`);
    }
  }
  const effective: Record<string, string> = {};
  for (const name of SSO_ENV_NAMES) {
    const value = fromFile[name] || fromEnv[name];
    if (value) effective[name] = value;
  }
  return effective;
}

function banner(base: string, password: string, status: number, sso: Record<string, string> = {}): string {
  const width = Math.max(...DEMO_USERS.map((u) => u.email.length));
  const lines = [
    "",
    "  support-triage is running",
    "",
    `  App        ${base}/   (sign in at ${base}/login)`,
    "",
    `  Demo sign-ins (password: ${password})`,
    ...DEMO_USERS.map((u) => `    ${u.email.padEnd(width)}  ${u.name} (${u.role})`),
    "",
    ...(sso.OIDC_ISSUER && sso.OIDC_CLIENT_ID && sso.OIDC_CLIENT_SECRET
      ? [`  SSO        "Sign in with ${sso.OIDC_NAME || "SSO"}" via ${sso.OIDC_ISSUER}`, ""]
      : []),
    `  Webhook    POST ${base}/webhooks/${DEMO_ACCOUNT.id}/generic`,
    `             signed with DEMO_WEBHOOK_SECRET from ${path.relative(process.cwd(), DEV_VARS) || ".dev.vars"}`,
    "",
    `  MCP        ${base}/mcp   (OAuth; add it to an MCP client: docs/mcp.md)`,
    "",
    `  Send demo tickets:  ${base === "http://127.0.0.1:5173" ? "" : `BASE_URL=${base} `}npm run simulate`,
    "  Stop:               Ctrl+C",
    "",
  ];
  if (status >= 500) lines.splice(2, 0, `  (note: ${base}/login answered ${status}; see the log above)`);
  const rule = "─".repeat(Math.max(...lines.map((l) => l.length)) + 2);
  return `\n${rule}${lines.join("\n")}\n${rule}\n`;
}

async function main(): Promise<void> {
  const port = parsePort(process.env.PORT);
  const base = `http://127.0.0.1:${port}`;

  if (await portInUse(port)) {
    console.error(`Something already listens on 127.0.0.1:${port} (another \`npm start\`?). Stop it, or pick another port: PORT=${port + 1} npm start`);
    process.exit(1);
  }

  if (ensureDevVars()) console.log("Created .dev.vars from .dev.vars.example with a fresh DEMO_WEBHOOK_SECRET.");

  const sso = ssoSettings();

  // FRESH_STATE=1 with STATE_DIR: start from nothing (the browser tests do, so runs never see each other's queue).
  if (process.env.FRESH_STATE === "1") {
    if (!process.env.STATE_DIR) {
      console.error("FRESH_STATE=1 needs STATE_DIR: it never deletes the default .wrangler/state");
      process.exit(2);
    }
    rmSync(STATE_DIR, { recursive: true, force: true });
    console.log(`Starting from an empty local state in ${path.relative(ROOT, STATE_DIR)}`);
  }

  console.log("Applying local D1 migrations…");
  await applyLocalMigrations();
  const options = seedOptionsFromEnv();
  await seed(options);

  console.log(`Starting vite dev on ${base} …`);
  // Vite's own bin on this Node (22), not through npx: signals reach it directly.
  const child = spawn(process.execPath, [path.join(ROOT, "node_modules", "vite", "bin", "vite.js"), "dev"], {
    cwd: ROOT,
    env: toolEnv({ PORT: String(port) }),
    // Same process group as this one: Ctrl+C in a terminal and Playwright's
    // group-wide kill reach Vite (and its workerd) directly as well.
    // stdin inherited: Vite's keyboard shortcuts (h, r, o, q) work in a terminal.
    stdio: ["inherit", "inherit", "inherit"],
  });

  let exited = false;
  let stopping: NodeJS.Signals | null = null;
  const forward = (signal: NodeJS.Signals) => {
    if (exited) return;
    if (stopping) {
      // A second signal while shutting down: do not wait any longer.
      child.kill("SIGKILL");
      return;
    }
    stopping = signal;
    child.kill(signal);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => forward(signal));

  child.on("exit", (code, signal) => {
    exited = true;
    if (process.exitCode) process.exit(); // main() already failed
    if (code !== null) process.exit(code);
    // Killed by a signal: exit like a shell would (128 + signal number).
    const num = (signal && ({ SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal]) || 1;
    process.exit(stopping || signal ? 128 + num : 1);
  });

  try {
    const status = await waitUntilAnswering(`${base}/login`, () => !exited);
    console.log(banner(base, options.password, status, sso));
  } catch (err) {
    if (!exited) child.kill("SIGTERM");
    throw err;
  }
}

main().catch((err: unknown) => {
  console.error(`npm start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
