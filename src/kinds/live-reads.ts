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
import { customFieldsApi, type EntityField } from '../trackunit/endpoints/custom-fields.js';
import type { EntityType } from './common.js';

/** Does a manifest's `customFields` set anything? */
export const setsFields = (customFields: Record<string, unknown> | undefined): boolean => customFields !== undefined && Object.keys(customFields).length > 0;

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

/** Runs a values read. */
export function readValues(client: TrackunitClient, read: DetailRead): Promise<EntityField[]> {
  return customFieldsApi(client).getValues(read.liveId, read.entityType as EntityType);
}

/** Stores a values read's result under `live.values`; the fields, for what else the kind keeps of them. */
export function storeValues(live: LiveState, read: DetailRead, result: unknown): EntityField[] {
  const fields = (result as EntityField[] | undefined) ?? [];
  live.values[read.liveId] = fields;
  return fields;
}
