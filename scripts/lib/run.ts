// Running the project's CLI tools (wrangler, vite) as child processes.
import { spawn } from "node:child_process";
import { ROOT, toolEnv } from "./paths.ts";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npx <args…>` in the project root with the tool environment and waits.
 * stdin is closed, so wrangler treats the run as non-interactive (no prompts).
 * With `quiet`, output is captured and only shown when the command fails.
 */
export function npx(args: string[], { quiet = false }: { quiet?: boolean } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", args, {
      cwd: ROOT,
      env: toolEnv(),
      stdio: ["ignore", quiet ? "pipe" : "inherit", quiet ? "pipe" : "inherit"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => (stdout += d));
    child.stderr?.on("data", (d: Buffer) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const result = { code: code ?? (signal ? 1 : 0), stdout, stderr };
      if (result.code !== 0) {
        if (quiet) process.stderr.write(stdout + stderr);
        reject(new Error(`\`npx ${args.join(" ")}\` failed with exit code ${result.code}`));
      } else resolve(result);
    });
  });
}
