/**
 * Vitest global set-up: a real PostgreSQL for the postgres state backend's tests, never a mock.
 *
 * - TUG_TEST_DATABASE_URL set (.ci/run starts a cluster and sets it): that server.
 * - Else a throwaway cluster is started here (scripts/pg-cluster.sh: initdb in a temporary directory, a
 *   free loopback port) and stopped at the end — so `npm test` stays one command on a machine with
 *   Debian's postgresql package.
 * - Else (no server binaries) the postgres tests are skipped with a visible message — unless
 *   TUG_TEST_REQUIRE_POSTGRES=1 (CI), where that is an error.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    postgresSkipReason: string;
  }
}

const SCRIPT = join(import.meta.dirname, '../../scripts/pg-cluster.sh');

export default function setup(project: TestProject): () => void {
  let url = process.env.TUG_TEST_DATABASE_URL ?? '';
  let reason = '';
  let dir: string | undefined;
  if (!url) {
    dir = mkdtempSync(join(tmpdir(), 'tug-test-pg-'));
    try {
      url = execFileSync(SCRIPT, ['start', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 }).trim();
    } catch (error) {
      reason = `no PostgreSQL server could be started locally (${
        String((error as { stderr?: string }).stderr ?? error)
          .trim()
          .split('\n')[0]
      })`;
      rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    }
  }
  if (!url && process.env.TUG_TEST_REQUIRE_POSTGRES === '1') throw new Error(`TUG_TEST_REQUIRE_POSTGRES=1 but ${reason}`);
  if (!url) process.stderr.write(`\n!! PostgreSQL tests are SKIPPED: ${reason}. Install Debian's postgresql package, or set TUG_TEST_DATABASE_URL.\n\n`);
  project.provide('postgresUrl', url);
  project.provide('postgresSkipReason', reason);
  return () => {
    if (!dir) return;
    try {
      execFileSync(SCRIPT, ['stop', dir], { stdio: 'ignore', timeout: 60_000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
