import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, type SandboxHandle } from '../../src/sandbox/index.js';
import { authed, start } from './helpers.js';
import { CONTRACTS, createDepot, item, ITEMS, ownedAssets, SYNC, type Call } from './rental-helpers.js';

const refs = (res: { body: { content: Array<{ externalReference: string }> } }) => res.body.content.map((x) => x.externalReference);

describe('Rental API — contract items and contracts', () => {
  let sandbox: SandboxHandle;
  let call: Call;
  let contractId: string;
  let otherContractId: string;
  const clock = new FakeClock('2026-03-01T12:00:00Z');

  beforeAll(async () => {
    sandbox = await start({ seed: 'demo', clock });
    call = await authed(sandbox);
    const depotId = await createDepot(call, 'Odense depot');
    const [a, b] = ownedAssets(sandbox);
    const on = (ref: string, onRentDate: string, offRentDate: string | null) =>
      item({ ref, contract: 'C-R', customer: 'CUST-R', customerName: 'Rent Co', onRentDate, offRentDate, depotId });
    const first = await call('POST', SYNC, {
      identifierType: 'ASSET_ID',
      identifier: a!.id,
      contractItems: [
        on('I-PAST', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'),
        on('I-EDGE', '2026-02-01T00:00:00Z', '2026-03-01T12:00:00Z'),
        on('I-NOW', '2026-02-15T00:00:00Z', '2026-03-15T00:00:00Z'),
        on('I-OPEN', '2026-02-20T00:00:00Z', null),
        on('I-FUTURE', '2026-03-01T12:30:00Z', '2026-04-01T00:00:00Z'),
      ],
    });
    expect(first.status).toBe(200);
    const reserved = item({ ref: 'I-S', contract: 'C-S', customer: 'CUST-S' });
    (reserved.contract as Record<string, unknown>).contractStatus = 'RESERVED';
    expect((await call('POST', SYNC, { identifierType: 'ASSET_ID', identifier: b!.id, contractItems: [reserved] })).status).toBe(200);
    contractId = (await call('GET', `${CONTRACTS}?externalReference=C-R`)).body.content[0].id;
    otherContractId = (await call('GET', `${CONTRACTS}?externalReference=C-S`)).body.content[0].id;
  });
  afterAll(() => sandbox.close());

  it('lists all items of one contract only, in creation order', async () => {
    const res = await call('GET', `${ITEMS}?contractId=${contractId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalElements: 5, totalPages: 1, number: 0, size: 20, numberOfElements: 5 });
    expect(refs(res)).toEqual(['I-PAST', 'I-EDGE', 'I-NOW', 'I-OPEN', 'I-FUTURE']);
    expect(refs(await call('GET', `${ITEMS}?contractId=${otherContractId}`))).toEqual(['I-S']);
  });

  it('filters active=true / active=false by the sandbox clock, off-rent date exclusive', async () => {
    expect(refs(await call('GET', `${ITEMS}?contractId=${contractId}&active=true`))).toEqual(['I-NOW', 'I-OPEN']);
    expect(refs(await call('GET', `${ITEMS}?contractId=${contractId}&active=false`))).toEqual(['I-PAST', 'I-EDGE', 'I-FUTURE']);
    clock.advance(45 * 60_000);
    expect(refs(await call('GET', `${ITEMS}?contractId=${contractId}&active=true`))).toEqual(['I-NOW', 'I-OPEN', 'I-FUTURE']);
    clock.set('2026-03-01T12:00:00Z');
  });

  it('filters by start/end overlap and ignores active when either is given', async () => {
    const q = (params: string) => call('GET', `${ITEMS}?contractId=${contractId}&${params}`);
    expect(refs(await q('start=2026-03-20T00:00:00Z'))).toEqual(['I-OPEN', 'I-FUTURE']);
    expect(refs(await q('end=2026-01-15T00:00:00.000Z'))).toEqual(['I-PAST']);
    expect(refs(await q('start=2026-02-01T00:00:00Z&end=2026-02-10T00:00:00Z'))).toEqual(['I-EDGE']);
    expect(refs(await q('start=2026-01-01T00:00:00Z&active=true'))).toHaveLength(5);
  });

  it('pages and sorts', async () => {
    const page = (n: number) => call('GET', `${ITEMS}?contractId=${contractId}&size=2&page=${n}&sort=-onRentDate`);
    const p0 = await page(0);
    expect(p0.body).toMatchObject({ totalElements: 5, totalPages: 3, number: 0, size: 2, numberOfElements: 2 });
    expect(refs(p0)).toEqual(['I-FUTURE', 'I-OPEN']);
    expect(refs(await page(1))).toEqual(['I-NOW', 'I-EDGE']);
    expect(refs(await page(2))).toEqual(['I-PAST']);
    const past = await page(3);
    expect(past.status).toBe(200);
    expect(past.body).toMatchObject({ numberOfElements: 0, content: [] });
  });

  it('validates the query: contractId required and a uuid, active boolean, date-times, paging', async () => {
    const missing = await call('GET', `${ITEMS}?size=0`);
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('constraint_violation');
    expect(missing.body.violations.map((v: { field: string }) => v.field).sort()).toEqual(['contractId', 'size']);
    const malformed = await call('GET', `${ITEMS}?contractId=C-R`);
    expect(malformed.status).toBe(400);
    expect(malformed.body.violations).toEqual([{ field: 'contractId', message: "value 'C-R' was rejected: must be a UUID" }]);
    const bad = await call('GET', `${ITEMS}?contractId=${contractId}&active=maybe&start=yesterday&sort=price`);
    expect(bad.status).toBe(400);
    expect(bad.body.violations.map((v: { field: string }) => v.field).sort()).toEqual(['active', 'sort', 'start']);
    const reversed = await call('GET', `${ITEMS}?contractId=${contractId}&start=2026-03-01T00:00:00Z&end=2026-02-01T00:00:00Z`);
    expect(reversed.status).toBe(400);
    expect(reversed.body.violations[0].field).toBe('end');
    const unknown = await call('GET', `${ITEMS}?contractId=00000000-0000-4000-8000-000000000000`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 404, code: 'contract_not_found' });
  });

  it('lists contracts with status, customer and asset filters; gets one; 404 for an unknown one', async () => {
    const all = await call('GET', `${CONTRACTS}?sort=-externalReference`);
    expect(refs(all)).toEqual(['C-S', 'C-R']);
    expect(refs(await call('GET', `${CONTRACTS}?contractStatus=RESERVED`))).toEqual(['C-S']);
    expect(refs(await call('GET', `${CONTRACTS}?contractStatus=OPEN&contractStatus=RESERVED`))).toEqual(['C-R', 'C-S']);
    const customerId = all.body.content[1].customerId as string;
    expect(refs(await call('GET', `${CONTRACTS}?customerId=${customerId}`))).toEqual(['C-R']);
    expect(refs(await call('GET', `${CONTRACTS}?assetId=${ownedAssets(sandbox)[1]!.id}`))).toEqual(['C-S']);
    expect(refs(await call('GET', `${CONTRACTS}?assetId=${ownedAssets(sandbox)[9]!.id}`))).toEqual([]);
    const one = await call('GET', `${CONTRACTS}/${otherContractId}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: otherContractId, externalReference: 'C-S', contractStatus: 'RESERVED', hiringDepotId: null });
    const missing = await call('GET', `${CONTRACTS}/00000000-0000-4000-8000-000000000000`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('contract_not_found');
  });
});
