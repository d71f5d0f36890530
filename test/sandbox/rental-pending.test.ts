/**
 * Cross-API behaviour: rental data synchronized before the asset can be matched (202) is linked when
 * the Assets API later gives an asset the matching externalReference (documented: "stored and matched
 * later when assets are updated or added").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { authed, start } from './helpers.js';
import { CONTRACTS, ITEMS, SYNC, createDepot, item, ownedAssets, type Call } from './rental-helpers.js';

describe('pending synchronization matched through the Assets API', () => {
  let sandbox: SandboxHandle;
  let call: Call;
  beforeAll(async () => {
    sandbox = await start({ seed: 'demo' });
    call = await authed(sandbox);
  });
  afterAll(() => sandbox.close());

  it('202 first, then PATCH /api/asset/v1/assets/{id} with the externalReference links asset fields and items', async () => {
    const depotId = await createDepot(call, 'Pending depot');
    const sync = await call('POST', SYNC, {
      identifierType: 'EXTERNAL_REFERENCE',
      identifier: 'ERP-PENDING-1',
      rentalStatus: 'ON_RENT',
      owningDepot: { siteId: depotId },
      contractItems: [item({ ref: 'CI-P-1', contract: 'C-P-1', customer: 'CUST-P-1', customerName: 'Pending Customer ApS' })],
    });
    expect(sync.status).toBe(202);
    expect(sync.body).toEqual({ matched: false });

    const asset = ownedAssets(sandbox)[3]!;
    const patched = await call('PATCH', `/api/asset/v1/assets/${asset.id}`, { externalReference: 'ERP-PENDING-1' });
    expect(patched.status).toBe(200);
    const after = await call('GET', `/api/asset/v1/assets/${asset.id}`);
    expect(after.body).toMatchObject({ externalReference: 'ERP-PENDING-1', rentalStatus: 'ON_RENT', owningDepotId: depotId });

    const contracts = await call('GET', `${CONTRACTS}?externalReference=C-P-1`);
    expect(contracts.body.totalElements).toBe(1);
    const items = await call('GET', `${ITEMS}?contractId=${contracts.body.content[0].id}`);
    expect(items.body.content.map((i: { externalReference: string; assetId: string }) => [i.externalReference, i.assetId])).toEqual([['CI-P-1', asset.id]]);
    expect(sandbox.store.pendingSyncs.size).toBe(0);
  });
});
