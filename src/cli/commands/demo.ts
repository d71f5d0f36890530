/**
 * `tug demo`: the README's main command on a fresh clone. It starts the embedded sandbox with the
 * demo seed and reads the account through the same client a user points at the real Trackunit: a token
 * with the v2 client-credentials flow, every list at page size 1000, the ISO fleet snapshot. Plan and
 * apply of examples/ join this walkthrough when the plan and apply engines land.
 */
import { DEFAULT_CREDENTIALS, startSandbox } from '../../sandbox/index.js';
import { TugError } from '../../errors.js';
import { TrackunitClient } from '../../trackunit/client.js';
import { clientConfig } from '../../trackunit/config.js';
import { assetsApi, customFieldsApi, customersApi, isoApi, rentalApi, sitesApi } from '../../trackunit/endpoints/index.js';
import { writeLine, type RunContext } from '../context.js';

export async function runDemo(ctx: RunContext): Promise<void> {
  const c = ctx.color;
  const key = DEFAULT_CREDENTIALS.apiKeys[0];
  if (!key) throw new TugError('internal_error', 'the sandbox has no default API key');
  const sandbox = await startSandbox({ port: 0, seed: 'demo' });
  const client = new TrackunitClient(
    clientConfig({ irisUrl: sandbox.url, authUrl: sandbox.url, auth: { flow: 'v2', clientId: key.clientId, clientSecret: key.clientSecret, scopes: key.allowedScopes } }),
  );
  try {
    writeLine(ctx.stdout, `${c.bold('1.')} Started the embedded Trackunit sandbox (demo seed) at ${c.cyan(sandbox.url)}`);
    writeLine(ctx.stdout, `${c.bold('2.')} Read the live account through tug's client (page size 1000, rate-limited per API family):`);
    const [sites, customers, definitions, assets, contracts] = await Promise.all([
      sitesApi(client).list(),
      customersApi(client).list(),
      customFieldsApi(client).listDefinitions(),
      assetsApi(client).list(),
      rentalApi(client).listContracts(),
    ]);
    const rows: Array<[number, string]> = [
      [sites.length, `sites (${sites.filter((s) => s.type === 'DEPOT').length} depots)`],
      [customers.length, 'customers'],
      [definitions.length, 'custom field definitions'],
      [assets.length, 'assets'],
      [contracts.length, 'rental contracts'],
    ];
    for (const [count, label] of rows) writeLine(ctx.stdout, `     ${String(count).padStart(5)}  ${label}`);
    const page = await isoApi(client).fleetPage(1);
    const withHours = page.equipment.filter((e) => e.CumulativeOperatingHours).length;
    writeLine(ctx.stdout, `${c.bold('3.')} Read ISO 15143-3 fleet snapshot page 1: ${page.equipment.length} equipment, ${withHours} with an hour meter`);
    const m = client.metricsSnapshot();
    writeLine(ctx.stdout, `${c.bold('4.')} ${m.totals.requests} API requests, ${m.tokenRequests} token request, ${m.totals.retries} retries; the sandbox saw ${sandbox.requestLog.count((e) => e.write)} writes.`);
    writeLine(ctx.stdout);
    writeLine(ctx.stdout, c.dim('Next: `tug sandbox` keeps a sandbox running; `tug doctor --sandbox` checks an account end to end.'));
  } finally {
    await client.close();
    await sandbox.close();
  }
}
