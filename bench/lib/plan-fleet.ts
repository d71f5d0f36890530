/**
 * The large account of bench/plan.ts, built in-process (sandbox Store + seed) with the manifests that
 * describe it exactly: N assets (two custom field values each), N/5 customers (one value and one contact
 * each), 50 depots (one value each), 25 definitions and 2N contracts (one item each, two per asset).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import { depotExternalReference } from '../../src/kinds/ownership.js';
import { seedStore } from '../../src/sandbox/seed.js';
import { blankDefinition, type CustomerRecord, type Store } from '../../src/sandbox/store.js';

export interface FleetSizes {
  assets: number;
  customers: number;
  depots: number;
  definitions: number;
  contracts: number;
}

export const fleetSizes = (assets: number): FleetSizes => ({ assets, customers: assets / 5, depots: 50, definitions: 25, contracts: 2 * assets });

const STAMP = '2026-01-01T00:00:00.000Z';

function setValue(store: Store, definitionId: string, entityId: string, entityType: string, value: string): void {
  const id = store.newId();
  store.values.set(id, { id, definitionId, entityId, entityType, value: { stringValue: value }, lastIncompatibleValue: null, createdAt: STAMP, updatedAt: STAMP });
}

export type Doc = Record<string, unknown>;
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const day = (offsetDays: number) => new Date(Date.parse('2026-01-05T00:00:00Z') + offsetDays * 86_400_000).toISOString();
const DEFINITION_TYPES = ['SITE', 'SITE', 'CUSTOMER', 'ASSET', 'ASSET', 'RENTAL_CONTRACT'] as const;

/** The account (into `store`) and the manifests describing it exactly, kind by kind. */
export function buildFleet(store: Store, SIZES: FleetSizes): Record<string, Doc[]> {
  seedStore(store, { kind: 'empty', assets: SIZES.assets, customers: SIZES.customers, seed: 'plan-bench' });
  const docs: Record<string, Doc[]> = { definitions: [], depots: [], customers: [], assets: [], contracts: [] };
  const defIds = new Map<string, string>();
  for (let i = 0; i < SIZES.definitions; i += 1) {
    const key = i === 0 ? 'depotManager' : `field${pad(i, 2)}`;
    const entityType = DEFINITION_TYPES[i % DEFINITION_TYPES.length]!;
    const def = blankDefinition({ id: store.newId(), key, entityType, type: 'STRING', owner: 'ACCOUNT', title: `Field ${i}` }, STAMP);
    store.definitions.set(def.id, def);
    defIds.set(key, def.id);
    docs.definitions!.push({ kind: 'CustomFieldDefinition', key, entityType, type: 'STRING', title: `Field ${i}` });
  }
  const depotIds: string[] = [];
  for (let i = 0; i < SIZES.depots; i += 1) {
    const key = `depot-${pad(i + 1, 2)}`;
    const address = { streetAddress: `Depotvej ${i + 1}`, zipCode: String(8000 + i), city: 'Aarhus', country: 'DK' };
    const id = store.newId();
    depotIds.push(id);
    store.sites.set(id, {
      id,
      name: `Depot ${i + 1}`,
      type: 'DEPOT',
      description: null,
      externalReference: depotExternalReference(key),
      startDate: null,
      endDate: null,
      address,
      area: null,
      archived: false,
      createdAt: STAMP,
      updatedAt: STAMP,
    });
    const manager = `Manager ${i + 1}`;
    setValue(store, defIds.get('depotManager')!, id, 'SITE', manager);
    docs.depots!.push({ kind: 'Depot', key, name: `Depot ${i + 1}`, address, customFields: { depotManager: manager } });
  }
  const customers = [...store.customers.values()] as CustomerRecord[];
  for (const [n, c] of customers.entries()) {
    // One custom field value and one contact per customer: each a per-object read.
    const contactId = store.newId();
    const contact = { name: `Contact ${n + 1}`, email: `contact${n + 1}@example.com`, phoneNumber: null, title: 'Site manager' };
    store.contacts.set(contactId, { id: contactId, customerId: c.id, ...contact, createdAt: STAMP, updatedAt: STAMP });
    const credit = `C${pad(n % 97, 2)}`;
    setValue(store, defIds.get('field02')!, c.id, 'CUSTOMER', credit);
    const doc: Doc = {
      kind: 'Customer',
      externalReference: c.externalReference,
      name: c.name,
      type: c.type,
      address: c.address,
      phoneNumber: c.phoneNumber,
      email: c.email,
      contacts: [{ name: contact.name, title: contact.title, email: contact.email }],
      customFields: { field02: credit },
    };
    docs.customers!.push(doc);
  }
  const assets = [...store.assets.values()];
  assets.forEach((asset, k) => {
    asset.externalReference = `ERP-A-${pad(k + 1, 5)}`;
    asset.rentalStatus = 'ON_RENT';
    asset.owningDepotId = depotIds[k % SIZES.depots]!;
    // Two custom field values per asset: one per-object read.
    const fields = { field03: `Group ${k % 7}`, field04: `Yard ${k % 11}` };
    for (const [key, value] of Object.entries(fields)) setValue(store, defIds.get(key)!, asset.id, 'ASSET', value);
    docs.assets!.push({
      kind: 'Asset',
      serialNumber: asset.serialNumber,
      externalReference: asset.externalReference,
      rentalStatus: 'ON_RENT',
      owningDepot: `depot-${pad((k % SIZES.depots) + 1, 2)}`,
      customFields: fields,
    });
  });
  for (let j = 0; j < SIZES.contracts; j += 1) {
    // Asset k: a completed contract (January–February), then an open one (March–December).
    const k = Math.floor(j / 2);
    const open = j % 2 === 1;
    const [start, end] = open ? [day(56), day(347)] : [day(0), day(53)];
    const ref = `K-${pad(j + 1, 6)}`;
    const customer = customers[j % customers.length]!;
    const depot = k % SIZES.depots;
    const rate = { currency: 'DKK', unitPrice: 500 + (j % 50) * 10, period: 'DAILY' };
    const contractId = store.newId();
    store.contracts.set(contractId, {
      id: contractId,
      externalReference: ref,
      contractStatus: open ? 'OPEN' : 'COMPLETED',
      startDate: start,
      endDate: end,
      customerId: customer.id,
      hiringDepotId: depotIds[depot]!,
      createdAt: STAMP,
      updatedAt: STAMP,
    });
    const itemId = store.newId();
    store.contractItems.set(itemId, {
      id: itemId,
      contractId,
      assetId: assets[k]!.id,
      externalReference: `${ref}-1`,
      onRentDate: start,
      offRentDate: end,
      rentalRate: rate,
      deliveryAddress: null,
      deliveryDate: null,
      pickupAddress: null,
      pickupDate: null,
      createdAt: STAMP,
      updatedAt: STAMP,
    });
    docs.contracts!.push({
      kind: 'Contract',
      externalReference: ref,
      customer: customer.externalReference,
      status: open ? 'OPEN' : 'COMPLETED',
      startDate: start.slice(0, 10),
      endDate: end.slice(0, 10),
      hiringDepot: `depot-${pad(depot + 1, 2)}`,
      items: [
        {
          externalReference: `${ref}-1`,
          asset: { externalReference: assets[k]!.externalReference },
          onRentDate: start.slice(0, 10),
          offRentDate: end.slice(0, 10),
          rentalRate: { unitPrice: rate.unitPrice, currency: 'DKK', period: 'DAILY' },
        },
      ],
    });
  }
  return docs;
}

/** Manifest files of at most 5,000 documents each (well under the 10 MiB per-file limit). */
export async function writeManifests(dir: string, docs: Record<string, Doc[]>): Promise<void> {
  await rm(join(dir, 'manifests'), { recursive: true, force: true });
  await mkdir(join(dir, 'manifests'), { recursive: true });
  for (const [name, list] of Object.entries(docs)) {
    for (let part = 0; part * 5000 < list.length; part += 1) {
      const text = list
        .slice(part * 5000, (part + 1) * 5000)
        .map((d) => jsYaml.dump(d, { lineWidth: -1 }))
        .join('---\n');
      await writeFile(join(dir, 'manifests', `${name}-${part + 1}.yaml`), text);
    }
  }
}
