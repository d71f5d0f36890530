/**
 * A plan's seal: `digest` is the SHA-256 of the canonical JSON of every other member, `fingerprint` its
 * first 16 hex digits. A plan file edited after `tug plan --out` no longer matches its digest, and apply
 * refuses it before anything else (exit 1, `plan_tampered`). The digest is no signature — whoever edits a
 * file can recompute it — so apply also re-plans and requires the fresh plan's requests to equal the
 * saved ones (src/apply/stale.ts): an edited body can never reach Trackunit.
 */
import { digest as digestOf } from './canonical.js';
import type { Plan } from './plan.js';

export type UnsealedPlan = Omit<Plan, 'digest' | 'fingerprint'>;

/**
 * The digest and fingerprint of a plan's content: everything but `freshness`, which says how the plan
 * was made (how much was read live, how old the rest), not what apply does. So the same changes planned
 * from the same inputs have the same digest however warm the inventory was (`apply --yes` continues an
 * unfinished apply of the same plan; an approved plan is compared by its digest).
 */
export function sealOf(body: UnsealedPlan): { digest: string; fingerprint: string } {
  const { freshness: _freshness, ...content } = body;
  const digest = digestOf(content);
  return { digest, fingerprint: digest.slice(0, 'sha256:'.length + 16) };
}

/** The plan's content without its seal (what the digest covers). */
export function unsealed(plan: Plan): UnsealedPlan {
  const { digest: _digest, fingerprint: _fingerprint, ...body } = plan;
  return body;
}

/** True when the plan's digest and fingerprint match its content. */
export function sealHolds(plan: Plan): boolean {
  const seal = sealOf(unsealed(plan));
  return seal.digest === plan.digest && seal.fingerprint === plan.fingerprint;
}
