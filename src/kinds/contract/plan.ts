/**
 * The Contract planner: rental data and contract custom fields.
 *
 * Rental data reaches Trackunit only through `POST /api/rental/v1/synchronization`, one asset per
 * request, upserting by externalReference at every level and never deleting what a request leaves out.
 * So the unit of change is the asset: one `sync` (kind Asset, level 3) per asset whose normalised rental
 * payload differs, carrying the whole desired payload. A contract change therefore becomes the syncs of
 * the assets holding its items. Contracts are never deleted (the API cannot); live ones no manifest
 * names are listed as unmanaged.
 */
import { fingerprint } from '../../core/canonical.js';
import { changeKey, type Change, type PlanProblem } from '../../core/plan.js';
import { emptyKindPlan, type KindPlan, type PlanInput } from '../../core/planner.js';
import type { Refs } from '../refs.js';
import { desiredOfKind } from '../../core/state.js';
import type { AssetTelemetry } from './telemetry.js';
import type { ContractItem } from '../../trackunit/endpoints/rental.js';
import { rentalWrites } from '../../trackunit/endpoints/rental.js';
import type { AssetResolutions } from '../asset/resolve.js';
import { fieldTypesOf } from '../custom-field-values.js';
import { makeChange, sameJson, type JsonObject } from '../plan-helpers.js';
import { planContractFields } from './contract-fields.js';
import { buildDesiredRental, customerInfos, type DesiredAssetRental } from './desired-rental.js';
import { changesRentalStatus, indexLiveRental, livePayload, liveRentalSnapshot, type LiveRentalIndex } from './live-rental.js';
import { syncBody, type CustomerInfo } from './rental-payload.js';
import { compareText } from '../../core/canonical.js';
import { LEVELS } from '../levels.js';


const staleMessage = (item: string) =>
  `item ${item} is on the asset in Trackunit but in no manifest; the Rental API cannot remove items — set its offRentDate or the contract's status instead`;
const movedMessage = (reference: string, boundTo: string) =>
  `contract ${reference} is bound to customer ${boundTo} in Trackunit; the Rental API cannot move a contract to another customer`;

/** What this planner says (as problems, or notes on a sync) about changes in Trackunit it cannot revert: drift class 5. */
export const IRREVERSIBLE = [/^item .* is on the asset in Trackunit but in no manifest; the Rental API cannot remove items/s, /^contract .* the Rental API cannot move a contract to another customer$/s];

const firstSorted = (values: string[]) => [...values].sort()[0];

/** The change id: the Asset manifest's identity, else the (first) reference the items name it by. */
function syncId(entry: DesiredAssetRental): string {
  return entry.doc?.identity ?? firstSorted(entry.refKeys) ?? `assetId=${entry.asset.id}`;
}

/** Creates of depots and customers the payload names and that are not live yet (other planners make them). */
function creates(entry: DesiredAssetRental, refs: Refs): string[] {
  const depots = [...entry.depots].filter((key) => !refs.site(key)).map((key) => changeKey('create', 'Depot', key));
  const customers = [...entry.customers].filter((ref) => !refs.customer(ref)).map((ref) => changeKey('create', 'Customer', ref));
  return [...depots, ...customers];
}

/** Fields the Assets API does not report (the real API may not): the sync is then planned every time. */
function unreportedNotes(entry: DesiredAssetRental): string[] {
  const { asset, payload } = entry;
  const fields = [
    ...(payload.rentalStatus !== undefined && asset.rentalStatus === undefined ? ['rentalStatus'] : []),
    ...(payload.owningDepot !== undefined && asset.owningDepotId === undefined ? ['owningDepotId'] : []),
  ];
  return fields.length === 0 ? [] : [`Trackunit does not report this asset's ${fields.join(' and ')}, so tug cannot tell whether it already matches`];
}

function planSync(entry: DesiredAssetRental, index: LiveRentalIndex, refs: Refs, customers: Map<string, CustomerInfo>): Change | undefined {
  const before = livePayload(entry.asset, entry.payload, index);
  if (sameJson(before, entry.payload)) return undefined;
  const reason = entry.doc?.location ?? entry.itemLocations[0]?.();
  const change = makeChange({
    op: 'sync',
    kind: 'Asset',
    id: syncId(entry),
    liveId: entry.asset.id,
    before: before as unknown as JsonObject,
    after: entry.payload as unknown as JsonObject,
    requests: [rentalWrites.synchronize(syncBody(entry.asset.id, entry.payload, customers))],
    fingerprint: fingerprint(liveRentalSnapshot(entry.asset, entry.payload, index)),
    ...(reason !== undefined ? { reason } : {}),
    dependsOn: creates(entry, refs),
    notes: unreportedNotes(entry),
  });
  return { ...change, level: LEVELS.rentalSync };
}

/** Next to a rental status change: the hour meter and last position, as the ISO snapshot reports them. */
function addTelemetryNote(change: Change, telemetry: AssetTelemetry | undefined): void {
  const before = (change.before as { rentalStatus?: unknown } | undefined)?.rentalStatus ?? null;
  const after = (change.after as { rentalStatus?: unknown } | undefined)?.rentalStatus;
  if (!telemetry || !changesRentalStatus(before, after)) return;
  const parts: string[] = [];
  if (telemetry.hours !== undefined) parts.push(`hour meter ${telemetry.hours} h${telemetry.hoursAt ? ` (${telemetry.hoursAt})` : ''}`);
  if (telemetry.latitude !== undefined && telemetry.longitude !== undefined) {
    parts.push(`last position ${telemetry.latitude}, ${telemetry.longitude}${telemetry.locationAt ? ` (${telemetry.locationAt})` : ''}`);
  }
  if (parts.length > 0) change.notes.push(`rental status ${String(before)} → ${String(after)}: ${parts.join('; ')}`);
}

/** Live items on an asset whose contract a manifest manages but that no manifest lists any more. */
function staleItems(input: PlanInput, itemRefs: Set<string>, index: LiveRentalIndex): Map<string, ContractItem[]> {
  const managed = new Set(desiredOfKind(input.desired, 'Contract').map((d) => d.manifest.externalReference));
  const stale = new Map<string, ContractItem[]>();
  for (const item of input.live.contractItems) {
    const contract = index.contractsById.get(item.contractId);
    if (item.assetId === null || itemRefs.has(item.externalReference) || !contract || !managed.has(contract.externalReference)) continue;
    stale.set(item.assetId, [...(stale.get(item.assetId) ?? []), item]);
  }
  return stale;
}

/** Stale items become notes on the asset's sync, or warnings when the asset has no sync. */
function reportStale(input: PlanInput, assets: AssetResolutions, stale: Map<string, ContractItem[]>, syncs: Map<string, Change>, index: LiveRentalIndex): PlanProblem[] {
  const contractDocs = new Map(desiredOfKind(input.desired, 'Contract').map((d) => [d.manifest.externalReference, d]));
  const problems: PlanProblem[] = [];
  for (const [assetId, items] of stale) {
    const sorted = [...items].sort((a, b) => compareText(a.externalReference, b.externalReference));
    const sync = syncs.get(assetId);
    if (sync) {
      sync.notes.push(...sorted.map((i) => staleMessage(i.externalReference)));
      continue;
    }
    const id = assets.byAssetId.get(assetId)?.doc.identity ?? `assetId=${assetId}`;
    for (const item of sorted) {
      const doc = contractDocs.get(index.contractsById.get(item.contractId)?.externalReference ?? '');
      problems.push({ kind: 'Asset', id, message: staleMessage(item.externalReference), ...(doc ? { location: doc.location } : {}), severity: 'warning' });
    }
  }
  return problems;
}

/** Per Contract manifest: no-items warning, customer binding, custom fields; counts the managed ones. */
function planContractDocs(input: PlanInput, index: LiveRentalIndex, syncsByContract: Map<string, string[]>, plan: KindPlan): void {
  const fieldTypes = fieldTypesOf(input.desired, input.live);
  let managed = 0;
  for (const doc of desiredOfKind(input.desired, 'Contract')) {
    const m = doc.manifest;
    const live = index.contractsByRef.get(m.externalReference);
    if (live) managed += 1;
    const problem = (message: string, path: Array<string | number>, severity: PlanProblem['severity']) =>
      plan.problems.push({ kind: 'Contract', id: doc.identity, message, location: doc.locate(path), severity });
    if ((m.items ?? []).length === 0) problem("a contract reaches Trackunit only through its items' synchronization; this one has none", ['externalReference'], 'warning');
    const boundTo = live ? index.customerRefs.get(live.customerId) : undefined;
    if (live && boundTo !== m.customer) {
      problem(movedMessage(m.externalReference, boundTo ?? live.customerId), ['customer'], 'error');
    }
    const change = planContractFields(doc, live, input, fieldTypes, syncsByContract.get(m.externalReference) ?? []);
    if (change) plan.changes.push(change);
    if (m.protected === true) plan.protectedIdentities.push(`Contract/${doc.identity}`);
  }
  plan.managed.Contract = managed;
}

export function planContracts(input: PlanInput, refs: Refs): KindPlan {
  const plan = emptyKindPlan();
  // Asset manifest problems are the Asset planner's to report; here they only feed the payloads.
  const assets = refs.assetManifests();
  const desired = buildDesiredRental(input.desired, input.live, refs, assets);
  plan.problems.push(...desired.problems);
  const index = indexLiveRental(input.live);
  const customers = customerInfos(input.desired);
  const syncs = new Map<string, Change>();
  const syncsByContract = new Map<string, string[]>();
  for (const entry of desired.byAssetId.values()) {
    const change = planSync(entry, index, refs, customers);
    if (!change) continue;
    syncs.set(entry.asset.id, change);
    plan.changes.push(change);
    for (const ref of entry.contracts) syncsByContract.set(ref, [...(syncsByContract.get(ref) ?? []), change.key]);
  }
  for (const [assetId, change] of syncs) addTelemetryNote(change, input.live.telemetry[assetId]);
  plan.problems.push(...reportStale(input, assets, staleItems(input, desired.itemRefs, index), syncs, index));
  planContractDocs(input, index, syncsByContract, plan);
  const named = new Set(desiredOfKind(input.desired, 'Contract').map((d) => d.manifest.externalReference));
  for (const contract of input.live.contracts) {
    if (!named.has(contract.externalReference)) plan.unmanaged.push({ kind: 'Contract', liveId: contract.id, label: `${contract.externalReference} (${contract.contractStatus ?? 'no status'})` });
  }
  return plan;
}
