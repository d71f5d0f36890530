/**
 * Filling a planned request's placeholders at apply time. `{"$ref": "Kind/identity"}` becomes that
 * object's live id: one created earlier in this apply (or in the interrupted run being resumed), one the
 * plan already knew (a change's liveId), or else one found by its identity (it may have been made since,
 * e.g. a contract a rental sync created). A literal `{id}` in a path is the change's own object id.
 */
import type { Json } from '../core/canonical.js';
import type { Change } from '../core/plan.js';
import { TugError } from '../errors.js';
import type { TrackunitClient } from '../trackunit/client.js';
import { findByIdentity } from './identity.js';

export interface RefResolver {
  /** The live id of `Kind/identity`; TugError `unresolved_ref` when no such object exists. */
  resolve(ref: string): Promise<string>;
  /** Records the id of an object this apply created. */
  record(ref: string, id: string): void;
  /** A copy of `value` with every IdRef replaced by its id. */
  fill(value: Json | undefined): Promise<Json | undefined>;
}

const refOf = (change: Pick<Change, 'kind' | 'id'>) => `${change.kind}/${change.id}`;

function isIdRef(value: Json): value is { $ref: string } {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value.$ref === 'string' && Object.keys(value).length === 1;
}

export function createRefResolver(client: TrackunitClient, changes: readonly Change[]): RefResolver {
  const known = new Map<string, Promise<string>>();
  for (const change of changes) if (change.liveId) known.set(refOf(change), Promise.resolve(change.liveId));

  const resolve = (ref: string): Promise<string> => {
    const cached = known.get(ref);
    if (cached) return cached;
    const slash = ref.indexOf('/');
    const found = findByIdentity(client, ref.slice(0, slash), ref.slice(slash + 1)).then((id) => {
      if (id !== undefined) return id;
      known.delete(ref); // not there yet: a later create may still make it
      throw new TugError('unresolved_ref', `${ref} does not exist in the account, so its id cannot be filled in`, {
        hint: 'The change that creates it failed or was skipped; fix that first, then plan again.',
      });
    });
    found.catch(() => undefined);
    known.set(ref, found);
    return found;
  };

  const fill = async (value: Json | undefined): Promise<Json | undefined> => {
    if (value === undefined || value === null || typeof value !== 'object') return value;
    if (isIdRef(value)) return resolve(value.$ref);
    if (Array.isArray(value)) return Promise.all(value.map(async (v) => (await fill(v)) as Json));
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, (await fill(v)) as Json] as const));
    return Object.fromEntries(entries);
  };

  return { resolve, record: (ref, id) => void known.set(ref, Promise.resolve(id)), fill };
}

/** `path` with `{id}` replaced by the change's own id (resolved by identity when not known yet). */
export async function fillPath(path: string, change: Change, ownId: string | undefined, refs: RefResolver): Promise<string> {
  if (!path.includes('{id}')) return path;
  const id = ownId ?? (await refs.resolve(refOf(change)));
  return path.replaceAll('{id}', encodeURIComponent(id));
}

export { refOf };
