/**
 * Contract: a rental contract, matched by externalReference, that reaches Trackunit through its items'
 * rental synchronization (one sync per asset, level 3) and carries custom field values (level 4). Never
 * deleted (the Rental API cannot). Reads the contract list; the items of the contracts a manifest names
 * (one request per contract: the API has no other list form, and an unmanaged contract is only reported,
 * never compared); values of contracts whose manifest sets `customFields`; and, when a plan changes a
 * rental status, the ISO snapshot for hour meters and positions (telemetry.ts).
 */
import type { DetailRead } from '../../core/kind.js';
import type { Change } from '../../core/plan.js';
import type { LiveState } from '../../core/state.js';
import { desiredOfKind } from '../../core/state.js';
import { rentalApi, type Contract, type ContractItem } from '../../trackunit/endpoints/rental.js';
import type { KindDefinition } from '../env.js';
import * as validation from './checks.js';
import { hasFieldsFor, pick, readValues, valuesInventory, setsFields, storeValues, valuesRead } from '../live-reads.js';
import type { ContractManifest } from './manifest.js';
import { IRREVERSIBLE, planContracts } from './plan.js';
import { exportContracts } from './export.js';
import type { NormalItem } from './rental-payload.js';
import { readTelemetry, storeTelemetry, telemetryReads, type AssetTelemetry } from './telemetry.js';

declare module '../../core/manifest.js' {
  interface KindManifests {
    Contract: ContractManifest;
  }
}
declare module '../../core/state.js' {
  interface LiveParts {
    contracts: Contract[];
    /** Items of the live contracts a manifest names (read per contract: the API has no other list form). */
    contractItems: ContractItem[];
    /** Telematics per asset id — read (cached snapshot) only when a plan changes some asset's rental status. */
    telemetry: Record<string, AssetTelemetry>;
  }
}

/** The contract references a sync's payload carries. */
const payloadContracts = (change: Change): string[] =>
  ((change.after as { contractItems?: NormalItem[] } | undefined)?.contractItems ?? []).map((i) => i.contract.externalReference);

/**
 * Per live state, built once: the contracts with an item on each asset, and contract ids by reference.
 * (Asked for each of 10,000 syncs, a scan of 20,000 items and contracts per sync took 22 s.)
 */
const rentalIndexes = new WeakMap<object, { contractsOnAsset: Map<string, string[]>; contractByReference: Map<string, string> }>();
function rentalIndex(live: LiveState) {
  let index = rentalIndexes.get(live);
  if (!index) {
    const contractsOnAsset = new Map<string, string[]>();
    for (const item of live.contractItems) if (item.assetId !== null) contractsOnAsset.set(item.assetId, [...(contractsOnAsset.get(item.assetId) ?? []), item.contractId]);
    rentalIndexes.set(live, (index = { contractsOnAsset, contractByReference: new Map(live.contracts.map((c) => [c.externalReference, c.id])) }));
  }
  return index;
}

export const contractKind: KindDefinition<'Contract'> = {
  name: 'Contract',
  schemaFile: 'contract.schema.json',
  identityField: 'externalReference',
  entityType: 'RENTAL_CONTRACT',
  identity: (manifest) => manifest.externalReference,
  validation,
  emptyLive: () => ({ contracts: [], contractItems: [], telemetry: {} }),
  readLists: async (client) => ({ contracts: await rentalApi(client).listContracts() }),
  detailReads: (desired, live, refs, options) => {
    if (options.exportAll) {
      const values = hasFieldsFor(live, 'RENTAL_CONTRACT');
      return live.contracts.flatMap((c): DetailRead[] => [
        { kind: 'Contract', part: 'contractItems', liveId: c.id, family: 'rental' },
        ...(values ? [valuesRead('Contract', 'RENTAL_CONTRACT', c.id)] : []),
      ]);
    }
    const docs = desiredOfKind(desired, 'Contract');
    const byReference = (c: Contract) => c.externalReference;
    const items = pick(live.contracts, byReference, new Set(docs.map((d) => d.identity))).map((p): DetailRead => ({
      kind: 'Contract',
      part: 'contractItems',
      liveId: p.id,
      family: 'rental',
      identity: p.identity,
    }));
    const withFields = new Set(docs.filter((d) => setsFields(d.manifest.customFields)).map((d) => d.identity));
    const values = pick(live.contracts, byReference, withFields).map((p) => valuesRead('Contract', 'RENTAL_CONTRACT', p.id, p.identity));
    return [...items, ...values, ...telemetryReads(refs)];
  },
  readDetail: (client, read, options) => {
    if (read.part === 'contractItems') return rentalApi(client).listContractItems(read.liveId);
    return read.part === 'telemetry' ? readTelemetry(client, options) : readValues(client, read, options);
  },
  ...valuesInventory,
  storeDetail: (live, read, result) => {
    if (read.part === 'contractItems') live.contractItems.push(...((result as ContractItem[] | undefined) ?? []));
    else if (read.part === 'telemetry') return storeTelemetry(live, read, result);
    else storeValues(live, read, result);
    return undefined;
  },
  listed: (live) => live.contracts,
  // A sync carries every item on its asset: the items of each contract that has one there, live or desired.
  detailsOf: (change, live) => {
    if (change.op !== 'sync' || !change.liveId) return [];
    const index = rentalIndex(live);
    const ids = new Set(index.contractsOnAsset.get(change.liveId) ?? []);
    for (const reference of payloadContracts(change)) {
      const id = index.contractByReference.get(reference);
      if (id !== undefined) ids.add(id);
    }
    return [...ids];
  },
  createdReads: (change, live) => {
    // A contract's own create sets its custom fields once its sync has made it: apply looks the contract
    // up by its reference to fill the request's $ref, and the convergence check reads its values.
    if (change.op === 'create' && change.kind === 'Contract') return [`rental:lookup:${change.id}`, `custom-fields:values:${change.id}`];
    if (change.op !== 'sync') return [];
    const existing = rentalIndex(live).contractByReference;
    return payloadContracts(change)
      .filter((r) => !existing.has(r))
      .map((r) => `rental:contractItems:${r}`);
  },
  liveIdentities: (live) => live.contracts.map((c) => c.externalReference),
  plan: planContracts,
  exportLive: exportContracts,
  // A sync is planned from its Asset manifest and the Contract manifests whose items are on the asset.
  sourcesOf: (change) => (change.op === 'sync' ? [`Asset/${change.id}`, ...new Set(payloadContracts(change).map((r) => `Contract/${r}`))] : []),
  driftOf: (plan) => {
    const irreversible = (text: string) => IRREVERSIBLE.some((pattern) => pattern.test(text));
    const fromProblems = plan.problems.filter((p) => irreversible(p.message)).map((p) => ({ class: 5 as const, kind: p.kind, id: p.id, message: p.message }));
    const fromNotes = plan.changes.flatMap((c) =>
      c.notes.filter(irreversible).map((note) => ({ class: 5 as const, kind: c.kind, id: c.id, ...(c.liveId ? { liveId: c.liveId } : {}), message: note })),
    );
    return [...fromProblems, ...fromNotes];
  },
  createdLookup: (reference) => ({ kind: 'contract', field: 'externalReference', value: reference }),
  findByIdentity: async (client, reference) => (await rentalApi(client).findContractByExternalReference(reference))?.id,
};
