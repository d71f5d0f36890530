/**
 * How apply recognises what a request is and finds what it made. A request says itself whether it is
 * idempotent (the endpoint modules' request builders set `idempotent`): an idempotent one (PATCH,
 * DELETE, set-values, rental synchronization) the client may retry freely; a create is never retried
 * blindly: after an ambiguous failure the object is looked up first — by its identity (the kind says
 * how: a Depot's `tug:depot/<key>` external reference, a customer's or contract's external reference, a
 * definition's key), or, for an object without identity (a contact), by the request's content look-up
 * among the objects of the collection it was posted to that existed neither when the plan was made nor
 * were made or found by an earlier request of the same apply.
 */
import type { Change, PlannedRequest } from '../core/plan.js';
import { kindNamed } from '../kinds/registry.js';
import type { TrackunitClient } from '../trackunit/client.js';
import type { OutcomeLookup } from '../trackunit/errors.js';

/** A request that makes a new object each time it is sent. */
export function isCreate(request: Pick<PlannedRequest, 'idempotent'>): boolean {
  return !request.idempotent;
}

/** The request that creates the change's own object (its response `id` is the object's id). */
export function isOwnCreate(change: Change, index: number): boolean {
  const request = change.requests[index];
  return change.op === 'create' && index === 0 && request !== undefined && isCreate(request);
}

/** How to re-read the change's own object: the client's lookup and the journal's record (the kind says). */
export function identityLookup(kind: string, id: string): OutcomeLookup | undefined {
  return kindNamed(kind)?.createdLookup?.(id);
}

/** The live id of `Kind/identity`, or undefined when no such object exists (the kind looks it up). */
export async function findByIdentity(client: TrackunitClient, kind: string, id: string): Promise<string | undefined> {
  return kindNamed(kind)?.findByIdentity?.(client, id);
}

/**
 * After an ambiguous create: the object it would have made, if it exists (its id), else undefined.
 * `path` is the resolved path. `claimed`: ids this apply already made or found (never the answer twice).
 * Creates with no identity and no look-up in the plan find nothing.
 */
export async function findCreated(client: TrackunitClient, change: Change, index: number, path: string, claimed: ReadonlySet<string>): Promise<string | undefined> {
  if (isOwnCreate(change, index)) return findByIdentity(client, change.kind, change.id);
  const lookup = change.requests[index]?.lookup;
  if (!lookup) return undefined;
  const excluded = new Set([...lookup.exclude, ...claimed]);
  return kindNamed(change.kind)?.findByContent?.(client, path, lookup.match, excluded);
}
