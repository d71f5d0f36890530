/** Shared set-up for the Rental API contract tests: a depot, payload builders, asset pickers. */
import type { SandboxHandle } from '../../src/sandbox/index.js';
import type { AssetRecord } from '../../src/sandbox/store.js';
import type { authed } from './helpers.js';

export const SYNC = '/api/rental/v1/synchronization';
export const ITEMS = '/api/rental/v1/contract-items';
export const CONTRACTS = '/api/rental/v1/contracts';

export type Call = Awaited<ReturnType<typeof authed>>;

export async function createDepot(call: Call, name: string): Promise<string> {
  const res = await call('POST', '/api/site/v1/sites', { name, type: 'DEPOT', address: { streetAddress: 'Industrivej 1', city: 'Aarhus', country: 'DK' } });
  if (res.status !== 201) throw new Error(`depot creation failed: ${res.status} ${res.text}`);
  return res.body.id as string;
}

export function ownedAssets(sandbox: SandboxHandle): AssetRecord[] {
  return [...sandbox.store.assets.values()].filter((a) => a.owned);
}

export function sharedAssets(sandbox: SandboxHandle): AssetRecord[] {
  return [...sandbox.store.assets.values()].filter((a) => !a.owned);
}

export interface ItemOptions {
  ref: string;
  contract: string;
  customer: string;
  /** null: send no name (an existing customer, or one named elsewhere in the payload). */
  customerName?: string | null;
  onRentDate?: string;
  offRentDate?: string | null;
  depotId?: string;
}

export function item(o: ItemOptions): Record<string, unknown> {
  return {
    externalReference: o.ref,
    onRentDate: o.onRentDate ?? '2026-02-01T07:00:00Z',
    offRentDate: o.offRentDate === undefined ? '2026-03-31T16:00:00Z' : o.offRentDate,
    rentalRate: { currency: 'DKK', unitPrice: 1450, period: 'DAILY' },
    deliveryAddress: { streetAddress: 'Havnegade 1', zipCode: '7100', city: 'Vejle', country: 'DK' },
    deliveryDate: '2026-02-01T06:00:00Z',
    contract: {
      externalReference: o.contract,
      contractStatus: 'OPEN',
      startDate: '2026-02-01T00:00:00Z',
      endDate: '2026-04-01T00:00:00Z',
      ...(o.depotId ? { hiringDepot: { siteId: o.depotId } } : {}),
      customer: {
        externalReference: o.customer,
        ...(o.customerName === null ? {} : { name: o.customerName ?? `Customer ${o.customer}` }),
        type: 'CONTRACTOR',
      },
    },
  };
}

export function counts(sandbox: SandboxHandle): Record<string, number> {
  return sandbox.store.summary();
}
