/**
 * `tug demo`: the README's main command on a fresh clone. It starts the embedded sandbox with the
 * demo seed and walks through what a rental company's account looks like over real HTTP: it takes a
 * token with the v2 client-credentials flow, lists each API at page size 1000 and reads the ISO fleet
 * snapshot. Plan and apply of examples/ join this walkthrough when the plan and apply engines land.
 */
import { startSandbox, DEFAULT_CREDENTIALS } from '../../sandbox/index.js';
import { TugError } from '../../errors.js';
import { writeLine, type RunContext } from '../context.js';

const ENDPOINTS: Array<[string, string]> = [
  ['depots and other sites', '/api/site/v1/sites?size=1000'],
  ['customers', '/api/customer/v1/customers?size=1000'],
  ['custom field definitions', '/api/custom-fields/v1/definitions?size=1000'],
  ['assets', '/api/asset/v1/assets?size=1000'],
  ['rental contracts', '/api/rental/v1/contracts?size=1000'],
];

async function demoToken(url: string): Promise<string> {
  const key = DEFAULT_CREDENTIALS.apiKeys[0];
  if (!key) throw new TugError('demo_failed', 'the sandbox has no API key configured');
  const response = await fetch(`${url}/token/v2`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: key.clientId, client_secret: key.clientSecret, scope: key.allowedScopes.join(' ') }),
  });
  if (!response.ok) throw new TugError('demo_failed', `POST /token/v2 answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function runDemo(ctx: RunContext): Promise<void> {
  const c = ctx.color;
  const sandbox = await startSandbox({ port: 0, seed: 'demo' });
  try {
    writeLine(ctx.stdout, `${c.bold('1.')} Started the embedded Trackunit sandbox (demo seed) at ${c.cyan(sandbox.url)}`);
    const token = await demoToken(sandbox.url);
    writeLine(ctx.stdout, `${c.bold('2.')} Took an access token with the v2 client-credentials flow (the token itself is never printed)`);
    writeLine(ctx.stdout, `${c.bold('3.')} Read the live account, one request per list at page size 1000:`);
    for (const [label, path] of ENDPOINTS) {
      const response = await fetch(`${sandbox.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
      if (!response.ok) throw new TugError('demo_failed', `GET ${path.split('?')[0]} answered ${response.status}`);
      const page = (await response.json()) as { totalElements: number };
      writeLine(ctx.stdout, `     ${String(page.totalElements).padStart(5)}  ${label}`);
    }
    const iso = await fetch(`${sandbox.url}/public/api/aemp/v2/15143/-3/Fleet/1`, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
    });
    const fleet = (await iso.json()) as { equipment: Array<{ EquipmentHeader?: { PIN?: string }; CumulativeOperatingHours?: { Hour: number } }> };
    const withHours = fleet.equipment.filter((e) => e.CumulativeOperatingHours).length;
    writeLine(ctx.stdout, `${c.bold('4.')} Read ISO 15143-3 fleet snapshot page 1: ${fleet.equipment.length} equipment, ${withHours} with an hour meter`);
    const requests = sandbox.requestLog.all();
    writeLine(ctx.stdout, `${c.bold('5.')} The sandbox logged ${requests.length} requests, ${requests.filter((r) => r.write).length} writes.`);
    writeLine(ctx.stdout);
    writeLine(ctx.stdout, c.dim('Run `tug sandbox` to keep a sandbox running and point your own integration at it.'));
  } finally {
    await sandbox.close();
  }
}
