/**
 * A PostgreSQL for benchmarks of the postgres state backend: TUG_STATE_DATABASE_URL when set (a server
 * of the user's), else a throwaway cluster on loopback (scripts/pg-cluster.sh, as the tests use), stopped
 * at the end. The connection string is never printed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(import.meta.dirname, '../../scripts/pg-cluster.sh');

export interface BenchDatabase {
  url: string;
  /** Where it came from, for the report. */
  origin: string;
  stop(): void;
}

export function benchDatabase(): BenchDatabase {
  const given = process.env.TUG_STATE_DATABASE_URL;
  if (given) return { url: given, origin: 'TUG_STATE_DATABASE_URL', stop: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'tug-bench-pg-'));
  const url = execFileSync(SCRIPT, ['start', dir], { encoding: 'utf8' }).trim();
  return {
    url,
    origin: 'throwaway cluster on 127.0.0.1 (scripts/pg-cluster.sh, PostgreSQL defaults: fsync on, synchronous_commit on)',
    stop: () => {
      execFileSync(SCRIPT, ['stop', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
