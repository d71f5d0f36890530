/**
 * Benchmark runner: `npm run bench` runs every bench/*.ts; `npm run bench -- NAME [NAME…]` runs the
 * named ones. Each runs in its own process so one benchmark's heap never skews another's figures.
 * Benchmarks are never part of the test suite.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const available = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(1);
}
let failed = 0;
for (const name of requested.length > 0 ? requested : available) {
  console.log(`\n## ${name}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed > 0 ? 1 : 0);
