/**
 * Deletes that would leave live rental data pointing at nothing. A live contract names its customer
 * (`customerId`) and hiring depot (`hiringDepotId`), an asset its owning depot (`owningDepotId`); deleting
 * the customer or the depot behind them leaves references the Rental API cannot repair (a contract never
 * moves to another customer), and restoring the manifests then fails forever. So a planned delete of a
 * Depot or Customer that any live contract (whatever its status) or asset still uses is a plan error.
 *
 * Only the plan's own rental syncs can take a reference away first (deletes run after every create,
 * update and sync: order.ts), and only by naming another depot: an asset's sync setting `owningDepot`, or a
 * sync carrying the contract with another `hiringDepot`. A sync that clears a depot (`null`) counts as
 * keeping it, because clearing is [assumed] Rental API behaviour; anything unexpected counts too. A delete
 * then waits for those syncs (`dependsOn`), so if one fails the delete is skipped, not run into the hole.
 *
 * It runs on the plan after `--target`, because a sync left out of the targeted plan moves nothing.
 * tug.yaml `prune.allowDanglingReferences` lists `Kind/identity` patterns whose deletes proceed anyway:
 * the error becomes a warning that still names every reference.
 */
import { compareText } from '../core/canonical.js';
import type { Change, IdRef, PlanProblem } from '../core/plan.js';
import { matchingPattern } from '../core/safety.js';
import type { LiveState } from '../core/state.js';

/** References named in one problem; the rest are counted ("… and 15 more"). */
export const MAX_NAMED_REFERENCES = 5;

type SiteRef = { siteId?: string | IdRef } | null | undefined;
/** What the check reads of a sync's `after` (RentalPayload, src/kinds/contract/rental-payload.ts). */
interface SyncPayload {
  owningDepot?: SiteRef;
  contractItems?: Array<{ contract?: { externalReference?: string; hiringDepot?: SiteRef } }>;
}

/** One live object that uses a deleted depot or customer, and how. */
interface Reference {
  label: string;
  /** The syncs that move it to another depot before the delete (empty: it stays). */
  movedBy: string[];
}

/** The site a sync sets, when it names one: a live id or a depot created in the same apply. */
const siteOf = (ref: SiteRef): string | IdRef | undefined => (ref && ref.siteId !== undefined && ref.siteId !== null ? ref.siteId : undefined);
const isOtherSite = (site: string | IdRef | undefined, deleted: string) => site !== undefined && site !== deleted;

/** The syncs of the plan, indexed by what they set: depot per asset id, hiring depots per contract reference. */
function indexSyncs(changes: Change[]) {
  const owning = new Map<string, { key: string; site: string | IdRef | undefined }>();
  const hiring = new Map<string, Array<{ key: string; site: string | IdRef | undefined }>>();
  for (const change of changes) {
    if (change.op !== 'sync' || change.liveId === undefined) continue;
    const payload = (change.after ?? {}) as SyncPayload;
    if (payload.owningDepot !== undefined) owning.set(change.liveId, { key: change.key, site: siteOf(payload.owningDepot) });
    for (const item of payload.contractItems ?? []) {
      const ref = item.contract?.externalReference;
      if (ref === undefined || !item.contract || !('hiringDepot' in item.contract)) continue;
      hiring.set(ref, [...(hiring.get(ref) ?? []), { key: change.key, site: siteOf(item.contract.hiringDepot) }]);
    }
  }
  return { owning, hiring };
}

type SyncIndex = ReturnType<typeof indexSyncs>;

function assetLabel(asset: LiveState['assets'][number]): string {
  if (asset.externalReference) return asset.externalReference;
  return asset.serialNumber ? `serialNumber=${asset.serialNumber}` : `assetId=${asset.id}`;
}

const contractLabel = (contract: LiveState['contracts'][number], field: string) => `contract ${contract.externalReference} (${contract.contractStatus ?? 'no status'}) as ${field}`;

function depotReferences(siteId: string, live: LiveState, syncs: SyncIndex): Reference[] {
  const contracts = live.contracts
    .filter((c) => c.hiringDepotId === siteId)
    .map((c) => {
      const moves = syncs.hiring.get(c.externalReference) ?? [];
      // Every sync carrying the contract must name another depot (they come from one manifest, so they agree).
      const moved = moves.length > 0 && moves.every((m) => isOtherSite(m.site, siteId));
      return { label: contractLabel(c, 'hiringDepot'), movedBy: moved ? moves.map((m) => m.key) : [] };
    });
  const assets = live.assets
    .filter((a) => a.owningDepotId === siteId)
    .map((a) => {
      const move = syncs.owning.get(a.id);
      return { label: `asset ${assetLabel(a)} as owningDepot`, movedBy: move && isOtherSite(move.site, siteId) ? [move.key] : [] };
    });
  return [...contracts, ...assets];
}

/** A contract never moves to another customer: every live contract of the customer counts. */
function customerReferences(customerId: string, live: LiveState): Reference[] {
  return live.contracts.filter((c) => c.customerId === customerId).map((c) => ({ label: contractLabel(c, 'customer'), movedBy: [] }));
}

function problemMessage(change: Change, references: Reference[], allowedBy: string | undefined): string {
  const labels = references.map((r) => r.label).sort(compareText);
  const named = labels.slice(0, MAX_NAMED_REFERENCES).join(', ');
  const more = labels.length > MAX_NAMED_REFERENCES ? `, and ${labels.length - MAX_NAMED_REFERENCES} more` : '';
  const what = change.kind === 'Depot' ? 'a site' : 'a customer';
  const count = labels.length === 1 ? '1 reference' : `${labels.length} references`;
  const used = `${change.kind} ${change.id} is still used by ${labels.length} live object${labels.length === 1 ? '' : 's'}: ${named}${more}`;
  if (allowedBy !== undefined) return `${used}; deleted anyway (tug.yaml prune.allowDanglingReferences: ${allowedBy}): ${count} will point at ${what} that no longer exists`;
  const fix =
    change.kind === 'Depot'
      ? 'move them to another depot first (owningDepot, hiringDepot)'
      : 'keep the Customer manifest (the Rental API cannot move a contract to another customer)';
  return `${used}; deleting it would leave ${count} pointing at ${what} that no longer exists — ${fix}, or list ${change.kind}/${change.id} in tug.yaml prune.allowDanglingReferences`;
}

export interface GuardedDeletes {
  /** The same changes; a delete whose references the plan's syncs move waits for those syncs. */
  changes: Change[];
  /** One per Depot/Customer delete still referenced: an error, or a warning when allowed. */
  problems: PlanProblem[];
}

export function guardReferencedDeletes(changes: Change[], live: LiveState, allowDangling: string[]): GuardedDeletes {
  const syncs = indexSyncs(changes);
  const problems: PlanProblem[] = [];
  const guarded = changes.map((change) => {
    if (change.op !== 'delete' || change.liveId === undefined || (change.kind !== 'Depot' && change.kind !== 'Customer')) return change;
    const references = change.kind === 'Depot' ? depotReferences(change.liveId, live, syncs) : customerReferences(change.liveId, live);
    const remaining = references.filter((r) => r.movedBy.length === 0);
    if (remaining.length > 0) {
      const allowedBy = matchingPattern(allowDangling, `${change.kind}/${change.id}`);
      problems.push({ kind: change.kind, id: change.id, message: problemMessage(change, remaining, allowedBy), severity: allowedBy === undefined ? 'error' : 'warning' });
    }
    const waitFor = references.flatMap((r) => r.movedBy).filter((k) => !change.dependsOn.includes(k));
    return waitFor.length === 0 ? change : { ...change, dependsOn: [...change.dependsOn, ...[...new Set(waitFor)].sort(compareText)] };
  });
  return { changes: guarded, problems };
}
