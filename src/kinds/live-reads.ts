/**
 * Helpers the kinds choose their per-object reads with (ResourceKind.detailReads). The Trackunit APIs
 * list sites, customers, definitions, assets and contracts, but have no list form for contract items
 * (one contract at a time), custom field values (one entity at a time) or contacts (one customer at a
 * time) — so each kind reads those only where a manifest can make a difference. Pure, except for the
 * `read` functions the I/O layer runs.
 */
import type { DetailRead } from '../core/kind.js';
import type { TrackunitClient } from '../trackunit/client.js';
import { customFieldsApi, type EntityField } from '../trackunit/endpoints/custom-fields.js';
import type { EntityType } from './common.js';

/** A read for the plan, run by src/plan/read-live.ts. */
export type LiveDetailRead = DetailRead<TrackunitClient>;

/** Does a manifest's `customFields` set anything? */
export const setsFields = (customFields: Record<string, unknown> | undefined): boolean => customFields !== undefined && Object.keys(customFields).length > 0;

/** The live object ids (in live order) whose identity is in `wanted`: the first live object per identity, as the planners match them. */
export function pick<T extends { id: string }>(live: T[], keyOf: (item: T) => string | null | undefined, wanted: Set<string>): string[] {
  const seen = new Set<string>();
  const ids: string[] = [];
  for (const item of live) {
    const key = keyOf(item);
    if (key == null || !wanted.has(key) || seen.has(key)) continue;
    seen.add(key);
    ids.push(item.id);
  }
  return ids;
}

/**
 * Read one entity's custom field values into `live.values`; `also` sees them too (e.g. the customer
 * marker they may carry).
 */
export function valuesRead(entityType: EntityType, entityId: string, also?: (live: Parameters<LiveDetailRead['store']>[0], fields: EntityField[]) => void): LiveDetailRead {
  return {
    part: 'values',
    liveId: entityId,
    family: 'custom-fields',
    read: (client) => customFieldsApi(client).getValues(entityId, entityType),
    store: (live, result) => {
      const fields = (result as EntityField[] | undefined) ?? [];
      live.values[entityId] = fields;
      also?.(live, fields);
    },
  };
}
