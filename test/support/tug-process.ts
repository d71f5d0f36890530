/**
 * tug in a child process, from the test's side: `tugWorker` (tug-worker.ts: many commands, one after the
 * other) — each with its own working directory (a checkout) and environment, as a separate CI runner.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const ROOT = join(import.meta.dirname, '../..');
export const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

export interface TugResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface TugWorker {
  readonly pid: number;
  ready: Promise<void>;
  /** Resolves when the command ends — or with code -1 when the process dies first (kill). */
  run(argv: string[]): Promise<TugResult>;
  /** kill -9 */
  kill(): void;
  close(): Promise<void>;
}

export function tugWorker(cwd: string, env: NodeJS.ProcessEnv): TugWorker {
  const child = spawn(process.execPath, ['--import', TSX, join(import.meta.dirname, 'tug-worker.ts')], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const waiting: Array<(result: TugResult) => void> = [];
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    child.once('exit', (code) => reject(new Error(`tug-worker exited (${code}) before it was ready: ${stderr}`)));
  });
  ready.catch(() => undefined);
  child.once('exit', (code, signal) => {
    for (const resolve of waiting.splice(0)) resolve({ code: -1, stdout: '', stderr: `process ended (${signal ?? code})` });
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line === 'ready') markReady();
    else waiting.shift()?.(JSON.parse(line) as TugResult);
  });
  return {
    pid: child.pid!,
    ready,
    run: (argv) =>
      new Promise<TugResult>((resolve) => {
        waiting.push(resolve);
        child.stdin.write(`${JSON.stringify(argv)}\n`);
      }),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}
