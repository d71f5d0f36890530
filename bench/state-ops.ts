/**
 * The state store's own cost per operation, local directory vs PostgreSQL on loopback: apply lock
 * acquire and release, and one journal append (what an apply pays before and after every request) —
 * p50 / p99 / max over 1,000 operations each, after 50 untimed warm-up operations.
 *
 * PostgreSQL: TUG_STATE_DATABASE_URL, or a throwaway cluster with the server's defaults (fsync and
 * synchronous_commit on: every append is a durable commit, as the local journal's fsync is).
 *
 *   npm run bench -- state-ops      env: BENCH_OPS=1000
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { account, LocalStateStore, type StateStore } from '../src/state/index.js';
import { databaseFromEnv, PostgresStateStore } from '../src/state/postgres/index.js';
import { benchDatabase } from './lib/postgres.js';
import { figures, percentile, round, table } from './lib/report.js';

const OPS = Number(process.env.BENCH_OPS ?? 1000);
const WARM_UP = 50;
const ACCOUNT = account('http://127.0.0.1:8787', 'bench-client');

interface Stats {
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: round(percentile(sorted, 50), 3),
    p99: round(percentile(sorted, 99), 3),
    max: round(sorted.at(-1) ?? 0, 3),
    mean: round(samples.reduce((a, b) => a + b, 0) / samples.length, 3),
  };
}

async function measure(store: StateStore): Promise<{ acquire: Stats; release: Stats; append: Stats }> {
  const { lock, journals } = store.account(ACCOUNT);
  const acquire: number[] = [];
  const release: number[] = [];
  for (let i = 0; i < WARM_UP + OPS; i++) {
    let t = performance.now();
    const handle = await lock.acquire({ owner: 'bench' });
    const a = performance.now() - t;
    t = performance.now();
    if (!(await handle.release())) throw new Error('release failed');
    const r = performance.now() - t;
    if (i >= WARM_UP) {
      acquire.push(a);
      release.push(r);
    }
  }
  const writer = await journals.open({ fingerprint: `sha256:bench${Date.now()}` });
  const append: number[] = [];
  for (let i = 0; i < WARM_UP + OPS; i++) {
    const t = performance.now();
    await writer.intent(`update:Asset/SN-${i}`, 0, { method: 'POST', path: '/api/rental/v1/synchronization' });
    if (i >= WARM_UP) append.push(performance.now() - t);
  }
  await writer.close();
  return { acquire: stats(acquire), release: stats(release), append: stats(append) };
}

const dir = await mkdtemp(join(tmpdir(), 'tug-bench-state-'));
const db = benchDatabase();
try {
  const local = await measure(new LocalStateStore(join(dir, 'state')));
  const pgStore = await PostgresStateStore.open(databaseFromEnv({ TUG_STATE_DATABASE_URL: db.url }), { schema: `bench_${Date.now()}` });
  let postgres: Awaited<ReturnType<typeof measure>>;
  try {
    postgres = await measure(pgStore);
  } finally {
    await pgStore.close();
  }
  console.log(`State store operations, ${OPS} each (after ${WARM_UP} untimed); PostgreSQL: ${db.origin}`);
  const row = (label: string, s: Stats): [string, string] => [label, `p50 ${s.p50} ms · p99 ${s.p99} ms · max ${s.max} ms · mean ${s.mean} ms`];
  table([
    row('local: lock acquire', local.acquire),
    row('local: lock release', local.release),
    row('local: journal append (write + fsync)', local.append),
    row('postgres: lock acquire (connect + advisory lock + lease row)', postgres.acquire),
    row('postgres: lock release', postgres.release),
    row('postgres: journal append (INSERT, committed)', postgres.append),
  ]);
  figures('state-ops', { ops: OPS, local, postgres });
} finally {
  db.stop();
  await rm(dir, { recursive: true, force: true });
}
