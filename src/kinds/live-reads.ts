/**
 * Helpers the kinds choose their per-object reads with (ResourceKind.detailReads). The Trackunit APIs
 * list sites, customers, definitions, assets and contracts, but have no list form for contract items
 * (one contract at a time), custom field values (one entity at a time) or contacts (one customer at a
 * time) — so each kind reads those only where a manifest can make a difference. Pure, except for
 * readValues, which the I/O layer runs.
 */
import type { DetailRead, KindName } from '../core/kind.js';
import type { LiveState } from '../core/state.js';
import type { TrackunitClient } from '../trackunit/client.js';
import type { Json } from '../core/canonical.js';
import { customFieldsApi, type Definition, type EntityField } from '../trackunit/endpoints/custom-fields.js';
import type { EntityType } from './common.js';

/** Does a manifest's `customFields` set anything? */
export const setsFields = (customFields: Record<string, unknown> | undefined): boolean => customFields !== undefined && Object.keys(customFields).length > 0;

/**
 * Can an entity of this type hold a custom field value? Not when no definition (the account's, an app's
 * or Trackunit's) applies to its type: `tug export` then skips reading the values of every such entity.
 */
export const hasFieldsFor = (live: LiveState, entityType: EntityType): boolean => live.definitions.some((d) => d.entityType === entityType);

/** A live object a manifest names: its live id and the manifest's identity. */
export interface Picked {
  id: string;
  identity: string;
}

/** The live objects (in live order) whose identity is in `wanted`: the first live object per identity, as the planners match them. */
export function pick<T extends { id: string }>(live: T[], keyOf: (item: T) => string | null | undefined, wanted: Set<string>): Picked[] {
  const seen = new Set<string>();
  const picked: Picked[] = [];
  for (const item of live) {
    const key = keyOf(item);
    if (key == null || !wanted.has(key) || seen.has(key)) continue;
    seen.add(key);
    picked.push({ id: item.id, identity: key });
  }
  return picked;
}

/** A read of one entity's custom field values, for `kind` (`identity`: the manifest naming the entity). */
export function valuesRead(kind: KindName, entityType: EntityType, entityId: string, identity?: string): DetailRead {
  return { kind, part: 'values', liveId: entityId, family: 'custom-fields', entityType, ...(identity !== undefined ? { identity } : {}) };
}

/** Definitions by `id@updatedAt`, per plan (its read options): every values response repeats each applicable definition in full. */
const sharedDefinitions = new WeakMap<object, Map<string, Definition>>();

/**
 * Runs a values read. Within one plan (`plan`: its read options), the definitions in the answer are
 * shared with earlier answers holding the same version of the same definition: 10,000 assets' values hold
 * 8 definitions, not 80,000 copies.
 */
export async function readValues(client: TrackunitClient, read: DetailRead, plan?: object): Promise<EntityField[]> {
  const fields = await customFieldsApi(client).getValues(read.liveId, read.entityType as EntityType);
  if (!plan) return fields;
  let shared = sharedDefinitions.get(plan);
  if (!shared) sharedDefinitions.set(plan, (shared = new Map()));
  for (const field of fields) {
    const key = `${field.definition.id}@${field.definition.updatedAt ?? ''}`;
    const known = shared.get(key);
    if (known) field.definition = known;
    else shared.set(key, field.definition);
  }
  return fields;
}

/** Stores a values read's result under `live.values`; the fields, for what else the kind keeps of them. */
export function storeValues(live: LiveState, read: DetailRead, result: unknown): EntityField[] {
  const fields = (result as EntityField[] | undefined) ?? [];
  live.values[read.liveId] = fields;
  return fields;
}

/**
 * Values as the inventory keeps them: `[definitionId, value]` per field. Every values response repeats
 * each applicable definition in full (9 KB per asset in the sandbox; 92 MB for 10,000 assets), and the
 * definitions list, read on every plan, has them all.
 */
export function packValues(result: unknown): Json {
  return ((result as EntityField[] | undefined) ?? []).map((f) => [f.definition.id, (f.value ?? null) as unknown as Json]);
}

const definitionIndex = new WeakMap<object, Map<string, Definition>>();

/** The values again, each with its definition from the list; undefined when one is no longer there (read live). */
export function unpackValues(packed: Json, live: LiveState): EntityField[] | undefined {
  let byId = definitionIndex.get(live.definitions);
  if (!byId) definitionIndex.set(live.definitions, (byId = new Map(live.definitions.map((d) => [d.id, d]))));
  if (!Array.isArray(packed)) return undefined;
  const fields: EntityField[] = [];
  for (const item of packed) {
    if (!Array.isArray(item) || typeof item[0] !== 'string') return undefined;
    const definition = byId.get(item[0]);
    if (!definition) return undefined;
    fields.push({ definition, value: (item[1] ?? null) as unknown as EntityField['value'] });
  }
  return fields;
}

/**
 * The inventory hooks of a kind whose `values` (and `marker`) parts are custom field values; its other parts
 * (contract items, contacts) are kept as read — lists, so anything else is damage and is read live.
 */
export const valuesInventory = {
  packDetail: (read: DetailRead, result: unknown): Json => (read.part === 'values' || read.part === 'marker' ? packValues(result) : (result as Json)),
  unpackDetail: (read: DetailRead, packed: Json, live: LiveState): unknown =>
    read.part === 'values' || read.part === 'marker' ? unpackValues(packed, live) : Array.isArray(packed) ? packed : undefined,
};

