/**
 * A manifest repository on disk (a copy of examples/) applied through the real CLI entry against a
 * sandbox on loopback that the test can edit "by hand" between `tug plan --out` and `tug apply` — the
 * way an adversarial user (or a colleague in Trackunit Manager) moves the account under a reviewed plan.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import type { TrackunitClient } from '../../src/trackunit/client.js';
import { runCli, type CliResult } from '../cli/run-cli.js';
import { start, V2 } from '../sandbox/helpers.js';
import { sandboxClient } from '../trackunit/helpers.js';

const EXAMPLES = join(import.meta.dirname, '../../examples');
const FAST = '{ ratePerSecond: 2000, burst: 500, maxInFlight: 16 }';

export interface Project {
  dir: string;
  sandbox: SandboxHandle;
  /** A client for edits "by hand" (its requests are cleared from the log by `clearLog`). */
  hand: TrackunitClient;
  tug(argv: string[]): Promise<CliResult>;
  /** Replace `from` by `to` in a manifest file (relative to the project); the text must be there. */
  edit(file: string, from: string, to: string): void;
  append(file: string, text: string): void;
  /** Writes the sandbox logged since the last clearLog. */
  writes(): number;
  clearLog(): void;
  close(): Promise<void>;
}

/** examples/ pointed at a sandbox on loopback (not the embedded one), fast rate limits, its own state. */
export async function project(): Promise<Project> {
  const sandbox = await start();
  const dir = mkdtempSync(join(tmpdir(), 'tug-project-'));
  cpSync(EXAMPLES, dir, { recursive: true, filter: (src) => !src.includes('.tug') });
  const config = readFileSync(join(dir, 'tug.yaml'), 'utf8')
    .replace(/^ {2}irisUrl: sandbox$/m, `  irisUrl: ${sandbox.url}\n  authUrl: ${sandbox.url}`)
    .replace(/^( {2}[a-z-]+): \{ ratePerSecond: 20, burst: 10, maxInFlight: 4 \}$/gm, `$1: ${FAST}`);
  writeFileSync(join(dir, 'tug.yaml'), config);
  const env = { TRACKUNIT_IRIS_URL: sandbox.url, TRACKUNIT_AUTH_URL: sandbox.url, TRACKUNIT_CLIENT_ID: V2.clientId, TRACKUNIT_CLIENT_SECRET: V2.clientSecret };
  const hand = sandboxClient(sandbox, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
  return {
    dir,
    sandbox,
    hand,
    tug: (argv) => runCli(argv, { cwd: dir, env }),
    edit: (file, from, to) => {
      const path = join(dir, file);
      const text = readFileSync(path, 'utf8');
      expect(text, `${file} holds ${from}`).toContain(from);
      writeFileSync(path, text.replace(from, to));
    },
    append: (file, text) => writeFileSync(join(dir, file), `${existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : ''}${text}`),
    writes: () => sandbox.requestLog.count((e) => e.write),
    clearLog: () => sandbox.requestLog.clear(),
    close: async () => {
      await hand.close();
      await sandbox.close();
    },
  };
}
