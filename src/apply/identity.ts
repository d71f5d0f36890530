/**
 * How apply recognises what a request is and finds what it made. A planned POST is either an upsert
 * (set-values, rental synchronization: sending it twice leaves the same state, so the client may retry
 * it freely) or a create (never retried blindly: after an ambiguous failure the object is looked up by
 * its identity first — the Depot's `tug:depot/<key>` external reference, a customer's or contract's
 * external reference, a definition's key; a contact, which has no identity, by every field the create
 * sets, among the contacts of its customer that existed neither when the plan was made nor were made or
 * found by an earlier request of the same apply).
 */
import { canonicalJson } from '../core/canonical.js';
import type { Change, PlannedRequest } from '../core/plan.js';
import { normalizeContact } from '../kinds/customer/normalize.js';
import { kindNamed } from '../kinds/registry.js';
import type { TrackunitClient } from '../trackunit/client.js';
import { customersApi } from '../trackunit/endpoints/index.js';
import type { OutcomeLookup } from '../trackunit/errors.js';

const UPSERT_PATH = /\/(set-values\/?|synchronization)$/;
const CONTACTS_PATH = /\/api\/customer\/v1\/customers\/([^/]+)\/contacts$/;

/** A POST that writes the same state however often it is sent. */
export function isUpsert(request: Pick<PlannedRequest, 'method' | 'path'>): boolean {
  return request.method === 'POST' && UPSERT_PATH.test(request.path);
}

/** A POST that makes a new object each time it is sent. */
export function isCreate(request: Pick<PlannedRequest, 'method' | 'path'>): boolean {
  return request.method === 'POST' && !isUpsert(request);
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
  const contacts = CONTACTS_PATH.exec(path);
  if (contacts && lookup) {
    const excluded = new Set([...lookup.exclude, ...claimed]);
    const wanted = canonicalJson(lookup.match);
    const list = await customersApi(client).listContacts(decodeURIComponent(contacts[1]!));
    return list.find((c) => !excluded.has(c.id) && canonicalJson(normalizeContact(c)) === wanted)?.id;
  }
  return undefined;
}
