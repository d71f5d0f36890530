/**
 * One change, one request after the other: journal intent (on disk before the call) → fill placeholders
 * → send → journal outcome. Creates are never sent twice blindly: an ambiguous failure (the response was
 * lost, maybe after the server committed) is followed by a look-up of the object by its identity, and
 * only when it is not there is the create sent again. Requests a resumed journal already saw done are not
 * repeated; ones it saw in flight are looked up first, the same way.
 */
import type { Json } from '../core/canonical.js';
import type { Change, PlannedRequest } from '../core/plan.js';
import { toTugError } from '../errors.js';
import type { JournalError } from '../state/journal.js';
import type { JournalWriter } from '../state/store.js';
import type { TrackunitClient } from '../trackunit/client.js';
import { ApiError, OutcomeUnknownError } from '../trackunit/errors.js';
import { findCreated, identityLookup, isCreate, isOwnCreate } from './identity.js';
import { fillPath, refOf, type RefResolver } from './resolve-refs.js';


/** What an earlier (interrupted) run of the same plan left: `${changeKey}#${index}` → done / in flight. */
export interface PriorRequests {
  /** Done requests, with the id a create returned (undefined for others). */
  done: Map<string, string | undefined>;
  inFlight: Set<string>;
}

export interface ExecContext {
  client: TrackunitClient;
  journal: JournalWriter;
  refs: RefResolver;
  prior: PriorRequests;
  /** Throws when writing must stop (the lock was lost, the journal cannot be written). */
  assertWritable(): void;
}

export interface ChangeResult {
  status: 'applied' | 'failed';
  liveId?: string;
  error?: JournalError;
}

interface Sent {
  path: string;
  body: Json | undefined;
}

/** Runs every request of `change`; never throws (a failure is the result). */
export async function executeChange(ctx: ExecContext, change: Change): Promise<ChangeResult> {
  let ownId = change.liveId;
  // Ids this change's creates made or found, in an earlier run or this one: a look-up never returns them again.
  const claimed = new Set<string>();
  try {
    for (let index = 0; index < change.requests.length; index++) {
      const slot = `${change.key}#${index}`;
      const created = ctx.prior.done.has(slot) ? ctx.prior.done.get(slot) : await runRequest(ctx, change, index, ownId, claimed);
      if (created !== undefined) claimed.add(created);
      if (created !== undefined && isOwnCreate(change, index)) {
        ownId = created;
        ctx.refs.record(refOf(change), created);
      }
    }
    await ctx.journal.changeOutcome(change.key, 'applied', ownId ? { liveId: ownId } : undefined);
    return { status: 'applied', ...(ownId ? { liveId: ownId } : {}) };
  } catch (error) {
    const e = toTugError(error);
    const failure = { code: e.code, message: e.message };
    // A journal that failed already says why the run stops (journal.failure); recording this is best effort.
    await ctx.journal.changeOutcome(change.key, 'failed', { error: failure }).catch(() => undefined);
    return { status: 'failed', error: failure };
  }
}

/** One request; returns the id a create made (undefined for other requests). */
async function runRequest(ctx: ExecContext, change: Change, index: number, ownId: string | undefined, claimed: ReadonlySet<string>): Promise<string | undefined> {
  const request = change.requests[index]!;
  const sent: Sent = { path: await fillPath(request.path, change, ownId, ctx.refs), body: await ctx.refs.fill(request.body) };
  if (ctx.prior.inFlight.has(`${change.key}#${index}`) && isCreate(request)) {
    const found = await findCreated(ctx.client, change, index, sent.path, claimed);
    if (found !== undefined) {
      await ctx.journal.outcome(change.key, index, { status: 'done', createdId: found });
      return found;
    }
  }
  ctx.assertWritable();
  const lookup = isOwnCreate(change, index) ? identityLookup(change.kind, change.id) : undefined;
  await ctx.journal.intent(change.key, index, { method: request.method, path: sent.path, ...(lookup ? { lookup: { ...lookup } } : {}) });
  let id: string | undefined;
  try {
    id = isCreate(request) ? await sendCreate(ctx, change, index, sent, claimed) : await sendOnce(ctx, request, sent);
  } catch (error) {
    const e = toTugError(error);
    await ctx.journal.outcome(change.key, index, { status: error instanceof OutcomeUnknownError ? 'unknown' : 'failed', error: { code: e.code, message: e.message } }).catch(() => undefined);
    throw error;
  }
  await ctx.journal.outcome(change.key, index, { status: 'done', ...(id !== undefined ? { createdId: id } : {}) });
  return id;
}

/** Updates, deletes and upserts: the client retries them itself. A DELETE answered 404 is done already. */
async function sendOnce(ctx: ExecContext, request: PlannedRequest, sent: Sent): Promise<undefined> {
  try {
    await ctx.client.request({
      family: request.family,
      method: request.method,
      path: sent.path,
      ...(sent.body !== undefined ? { body: sent.body } : {}),
      ...(request.headers ? { headers: request.headers } : {}),
      idempotent: request.idempotent,
    });
  } catch (error) {
    if (request.method === 'DELETE' && error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
  return undefined;
}

/**
 * A create: on an ambiguous failure, look it up; found → its id; not found → send again. A create is
 * sent at most as often as the client tries any request (`retry.maxAttempts`); the last ambiguous send
 * is looked up too, so a create the server committed is never reported failed.
 */
async function sendCreate(ctx: ExecContext, change: Change, index: number, sent: Sent, claimed: ReadonlySet<string>): Promise<string | undefined> {
  const request = change.requests[index]!;
  const lookup = isOwnCreate(change, index) ? identityLookup(change.kind, change.id) : undefined;
  const maxSends = Math.max(1, ctx.client.config.retry.maxAttempts);
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await ctx.client.request<{ id?: string } | undefined>({
        family: request.family,
        method: request.method,
        path: sent.path,
        ...(sent.body !== undefined ? { body: sent.body } : {}),
        ...(request.headers ? { headers: request.headers } : {}),
        idempotent: false,
        ...(lookup ? { lookup } : {}),
      });
      return typeof response.body?.id === 'string' ? response.body.id : undefined;
    } catch (error) {
      if (!(error instanceof OutcomeUnknownError)) throw error;
      // A look-up that fails leaves the outcome unknown: keep the original error (journal: 'unknown').
      const found = await findCreated(ctx.client, change, index, sent.path, claimed).catch(() => Promise.reject(error));
      if (found !== undefined) return found;
      if (attempt >= maxSends) {
        // Known now: nothing was written. A failure, not an unknown outcome (a re-run sends it again).
        const { method, path, status, apiCode, family } = error;
        throw new ApiError({ method, path, status, family, attempts: attempt, ...(apiCode ? { apiCode } : {}), message: 'a look-up after each attempt found nothing written' });
      }
      ctx.assertWritable();
    }
  }
}
