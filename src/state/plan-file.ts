/**
 * Reading a plan file back (`tug apply plan.json`, a journal's kept plan): it must be a plan of this
 * format version whose content matches its digest. Reading refuses any other format version up front:
 * apply must never guess at the meaning of a plan it did not write. Writing it is render/plan-json.ts.
 */
import { PLAN_FORMAT_VERSION, type Plan } from '../core/plan.js';
import { sealHolds } from '../core/plan-digest.js';
import { TugError } from '../errors.js';

function formatError(message: string, meta: Record<string, string | number | null> = {}): TugError {
  return new TugError('plan_format', message, {
    hint: `Make the plan again with this version of tug (\`tug plan --out plan.json\`).`,
    meta: { expectedFormatVersion: PLAN_FORMAT_VERSION, ...meta },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Members a plan file must have, with the test for each (a shape check, not a full validation). */
const REQUIRED: Array<[keyof Plan, (value: unknown) => boolean]> = [
  ['digest', (v) => typeof v === 'string'],
  ['fingerprint', (v) => typeof v === 'string'],
  ['source', (v) => isRecord(v) && typeof v.digest === 'string' && Array.isArray(v.files) && Array.isArray(v.targets)],
  ['changes', Array.isArray],
  ['unmanaged', Array.isArray],
  ['problems', Array.isArray],
  ['safety', (v) => isRecord(v) && Array.isArray(v.breaches)],
  ['budget', isRecord],
  ['summary', isRecord],
];

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw formatError(`This is not a tug plan file: it is not valid JSON (${(error as Error).message}).`);
  }
}

/**
 * Parse a plan file. Throws TugError `plan_format` for text that is not JSON, not a plan, or a plan
 * of another format version (naming both versions), and `plan_tampered` for a plan whose content does
 * not match its digest (edited after `tug plan --out`: apply must never send what was not reviewed).
 */
export function readPlanFile(text: string): Plan {
  const data = parseJson(text);
  if (!isRecord(data) || !('formatVersion' in data)) {
    throw formatError(`This is not a tug plan file: it has no formatVersion (this tug reads format version ${PLAN_FORMAT_VERSION}).`);
  }
  const version = data.formatVersion;
  if (version !== PLAN_FORMAT_VERSION) {
    const shown = typeof version === 'number' || typeof version === 'string' ? version : JSON.stringify(version);
    throw formatError(
      `The plan file has format version ${shown}, but this tug reads format version ${PLAN_FORMAT_VERSION} only.`,
      { formatVersion: typeof shown === 'number' ? shown : String(shown) },
    );
  }
  const missing = REQUIRED.filter(([key, test]) => !test(data[key])).map(([key]) => key);
  if (missing.length > 0) {
    throw formatError(`The plan file is incomplete or damaged: ${missing.join(', ')} missing or malformed.`, { missing: missing.join(', ') });
  }
  const plan = data as unknown as Plan;
  if (!sealHolds(plan)) {
    throw new TugError('plan_tampered', 'The plan file was changed after it was made: its content does not match its digest.', {
      hint: 'Never edit a plan file: change the manifests, then make and review a new plan (`tug plan --out plan.json`).',
      meta: { fingerprint: /^sha256:[0-9a-f]{16}$/.test(plan.fingerprint) ? plan.fingerprint : null },
    });
  }
  return plan;
}
