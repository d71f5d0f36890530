/**
 * `tug demo`: the README's main command on a fresh clone. In one process it starts the embedded sandbox
 * with the demo seed, validates the example repository (examples/), plans it, applies the plan over real
 * HTTP through the same client, lock and journal a user's apply goes through, then plans again to show
 * the account now matches the manifests (an empty plan). Last, someone edits a depot in Trackunit behind
 * tug's back, and `tug drift` finds it and says which way it moved. The numbers printed are measured, not canned.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyExitCode, applyPlan } from '../../apply/index.js';
import { loadProjectConfig } from '../../config/load.js';
import { TugError } from '../../errors.js';
import { loadManifestSet } from '../../manifests/index.js';
import { runPlan } from '../../plan/run-plan.js';
import { formatCount, plural } from '../../render/count.js';
import { LocalStateStore } from '../../state/local-store.js';
import { accountOf } from '../../trackunit/account.js';
import { budgetLine, changeTitle, summaryLine } from '../../render/plan-text.js';
import { DEFAULT_CREDENTIALS, startSandbox } from '../../sandbox/index.js';
import { TrackunitClient } from '../../trackunit/client.js';
import { clientConfig } from '../../trackunit/config.js';
import { writeLine, type RunContext } from '../context.js';
import { runDrift } from '../../drift/run-drift.js';
import { DRIFT_CLASSES } from '../../core/drift.js';
import { sitesApi, siteWrites } from '../../trackunit/endpoints/sites.js';

/** examples/ sits at the package root, three levels above this file in src/ and in dist/ alike. */
const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
const SHOWN_CHANGES = 4;
/**
 * What to try next, as commands that work where `npm run demo` runs: the repository root, which has no
 * tug.yaml of its own (examples/tug.yaml points at an embedded sandbox), and `tug` is not on the PATH.
 */
export const NEXT =
  'Next: `npx tug plan --config examples/tug.yaml` (the same plan against a fresh sandbox), `npx tug sandbox` for a sandbox that keeps running, `npx tug doctor --sandbox`.';

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function runDemo(ctx: RunContext): Promise<number> {
  const c = ctx.color;
  const key = DEFAULT_CREDENTIALS.apiKeys[0];
  if (!key) throw new TugError('internal_error', 'the sandbox has no default API key');
  const stateDir = await mkdtemp(join(tmpdir(), 'tug-demo-'));
  const config = { ...(await loadProjectConfig({ cwd: EXAMPLES })), stateDir };
  const sandbox = await startSandbox({ port: 0, seed: 'demo' });
  const client = new TrackunitClient(
    clientConfig({ irisUrl: sandbox.url, authUrl: sandbox.url, limits: config.rateLimits, auth: { flow: 'v2', clientId: key.clientId, clientSecret: key.clientSecret, scopes: key.allowedScopes } }),
  );
  const out = (text = '') => writeLine(ctx.stdout, text);
  try {
    out(`${c.bold('1.')} Started the embedded Trackunit sandbox (demo seed) at ${c.cyan(sandbox.url)}`);
    const manifests = await loadManifestSet(config, EXAMPLES);
    const errors = manifests.diagnostics.filter((d) => d.severity === 'error').length;
    out(`${c.bold('2.')} Validated examples/: ${plural(manifests.documentCount, 'manifest')} in ${plural(manifests.files.length, 'file')}, ${plural(errors, 'error')}`);
    // The inventory of per-object reads: the first plan is cold, apply's checks and the second plan use it.
    const inventory = new LocalStateStore(stateDir).account(accountOf(client.config)).kv;
    const first = await runPlan({ client, config, manifests, now: ctx.now, isoStateDir: stateDir, inventory });
    const reads = `${plural(first.liveRequests.totals.requests, 'read request')} and ${plural(first.liveRequests.tokenRequests, 'token request')}`;
    out(`${c.bold('3.')} Planned against the live account (${reads}, ${secs(first.durationMs)}):`);
    for (const change of first.plan.changes.slice(0, SHOWN_CHANGES)) out(`     ${changeTitle(change)}`);
    out(`     … ${summaryLine(first.plan)}`);
    out(c.dim(`     ${budgetLine(first.plan)}`));
    const report = await applyPlan({ client, plan: first.plan, config, manifests, stateDir, now: ctx.now });
    const applied = report.outcomes.filter((o) => o.status === 'applied').length;
    const failed = report.outcomes.filter((o) => o.status === 'failed').length;
    out(`${c.bold('4.')} Applied: ${plural(applied, 'change')} applied, ${failed} failed — ${plural(report.requests, 'API request')} (incl. the stale and convergence re-plans), ${plural(report.retries, 'retry', 'retries')}, ${secs(report.wallMs)}`);
    const second = await runPlan({ client, config, manifests, now: ctx.now, isoStateDir: stateDir, inventory });
    const kinds = Object.values(second.plan.freshness?.kinds ?? {});
    const fromInventory = kinds.reduce((n, k) => n + k.inventory, 0);
    const live = kinds.reduce((n, k) => n + k.live, 0);
    out(`${c.bold('5.')} Planned again: ${summaryLine(second.plan)} The sandbox saw ${plural(sandbox.requestLog.count((e) => e.write), 'write')} in all.`);
    out(c.dim(`     (${plural(second.liveRequests.totals.requests, 'read request')}: the lists, and ${plural(live, 'per-object read')} live; ${formatCount(fromInventory)} from the inventory, re-checked within 24 h)`));
    // Someone edits a depot in Manager: drift classifies it as changed in Trackunit, not as git ahead.
    const site = (await sitesApi(client).list()).find((s) => s.externalReference === 'tug:depot/aarhus');
    if (site) {
      const edit = siteWrites.update(site.id, { description: 'Edited in Manager' });
      await client.request({ family: edit.family, method: edit.method, path: edit.path, body: edit.body, idempotent: true });
      const drift = await runDrift({ client, config, manifests, state: new LocalStateStore(stateDir), inventory, now: ctx.now });
      out(`${c.bold('6.')} Edited Depot/aarhus's description in Trackunit behind tug's back; \`tug drift\` read everything live (${plural(drift.requests, 'request')}):`);
      for (const item of drift.items) out(`     (${item.class}) ${DRIFT_CLASSES[item.class].name}: ${item.op ?? ''} ${item.kind}/${item.id}${item.fields ? ` (${item.fields.map((f) => f.slice(1)).join(', ')})` : ''}`);
    }
    out();
    out(c.dim(NEXT));
    return second.plan.changes.length === 0 ? applyExitCode(report) : 1;
  } finally {
    await client.close();
    await sandbox.close();
    await rm(stateDir, { recursive: true, force: true });
  }
}
