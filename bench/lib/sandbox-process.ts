/**
 * Runs `tug sandbox` (the built CLI, as a user would) in a child process on loopback, so a benchmark's
 * load generator and the server use separate cores.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

export const CLI = 'dist/cli/main.js';

export interface SandboxProcess {
  url: string;
  child: ChildProcess;
  /** Milliseconds from spawn to the "listening" line. */
  startupMs: number;
  stop(): Promise<void>;
}

export async function spawnSandbox(args: string[] = []): Promise<SandboxProcess> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm run bench does it for you)`);
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, 'sandbox', '--port', '0', '--format', 'json', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`tug sandbox exited with ${code} before listening`)));
  });
  const startupMs = performance.now() - t0;
  const { url } = JSON.parse(line) as { url: string };
  return {
    url,
    child,
    startupMs,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}

/** A v2 token from the sandbox's default API key (the sandbox's documented demo credentials). */
export async function sandboxToken(url: string): Promise<string> {
  const res = await fetch(`${url}/token/v2`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'sandbox-key', client_secret: 'sandbox-key-secret', scope: 'asset.view account.view account.site.manage account.customer.manage account.custom-fields.manage account.asset.manage' }),
  });
  if (!res.ok) throw new Error(`token request failed: ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
