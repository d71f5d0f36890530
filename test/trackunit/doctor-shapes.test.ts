/**
 * `tug doctor`'s per-API shape checks (runDoctor with the endpoint probes) against a sandbox: what it
 * says about a read that has no public evidence at all (the Rental API's contract list).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import type { TrackunitClient } from '../../src/trackunit/client.js';
import { runDoctor } from '../../src/trackunit/doctor.js';
import { ENDPOINT_PROBES } from '../../src/trackunit/endpoints/index.js';
import { rentalProbe } from '../../src/trackunit/endpoints/rental.js';
import { start } from '../sandbox/helpers.js';
import { sandboxClient } from './helpers.js';

describe('doctor shape checks', () => {
  let sandbox: SandboxHandle;
  let client: TrackunitClient;
  beforeAll(async () => {
    sandbox = await start({ seed: 'demo' });
    client = sandboxClient(sandbox);
  });
  afterAll(async () => {
    await client.close();
    await sandbox.close();
  });

  const check = async (probes = ENDPOINT_PROBES, name = 'Rental API') => (await runDoctor(client, probes, Date.now)).checks.find((c) => c.name === name)!;

  it('says plainly that GET /api/rental/v1/contracts is assumed, even when it answers as expected', async () => {
    const rental = await check();
    expect(rental.status).toBe('ok');
    expect(rental.detail).toBe(
      'entitled; response shape as expected; GET /api/rental/v1/contracts is not in any public Trackunit documentation — ' +
        'tug assumes it to find live contracts and their ids (contract items are only read per contract id)',
    );
    // Only the Rental probe reads an endpoint with no public evidence.
    expect(ENDPOINT_PROBES.filter((p) => p.unverified).map((p) => p.api)).toEqual(['Rental']);
  });

  it('reads a 404 on that endpoint as "the endpoint is missing", naming what tug then cannot do', async () => {
    const missing = { ...rentalProbe, read: async (c: TrackunitClient) => (await c.request({ family: 'rental', method: 'GET', path: '/api/rental/v1/contracts-nowhere' })).body };
    const rental = await check([missing]);
    expect(rental.status).toBe('fail');
    expect(rental.detail).toBe(
      'GET /api/rental/v1/contracts answered 404: this server lacks the endpoint tug assumes to find live contracts and their ids ' +
        '(contract items are only read per contract id) (no public Trackunit documentation shows it), so tug cannot read live contracts or their items',
    );
  });
});
