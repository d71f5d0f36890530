import { describe, expect, it } from 'vitest';
import { TugError } from '../../src/errors.js';
import { renderPlanJson } from '../../src/render/plan-json.js';
import { readPlanFile } from '../../src/state/plan-file.js';
import { PLAN_FORMAT_VERSION } from '../../src/core/plan.js';
import { samplePlan } from './plan-fixtures.js';

function refusal(text: string): TugError {
  try {
    readPlanFile(text);
  } catch (error) {
    expect(error).toBeInstanceOf(TugError);
    return error as TugError;
  }
  throw new Error('readPlanFile accepted the text');
}

describe('renderPlanJson', () => {
  it('is two-space JSON with a final newline, byte-identical for identical plans', () => {
    const text = renderPlanJson(samplePlan());
    expect(text).toBe(`${JSON.stringify(samplePlan(), null, 2)}\n`);
    expect(renderPlanJson(samplePlan())).toBe(text);
    expect(text.startsWith('{\n  "formatVersion": 3,\n  "digest": "sha256:')).toBe(true);
  });

  it('round-trips: a plan read back renders to the same bytes', () => {
    const text = renderPlanJson(samplePlan());
    const plan = readPlanFile(text);
    expect(plan).toEqual(samplePlan());
    expect(renderPlanJson(plan)).toBe(text);
  });
});

describe('readPlanFile', () => {
  it('refuses another format version, naming both', () => {
    const error = refusal(JSON.stringify({ ...samplePlan(), formatVersion: 1 }));
    expect(error.code).toBe('plan_format');
    expect(error.message).toBe(`The plan file has format version 1, but this tug reads format version ${PLAN_FORMAT_VERSION} only.`);
    expect(error.meta).toMatchObject({ formatVersion: 1, expectedFormatVersion: 3 });
    expect(error.hint).toContain('tug plan --out');
  });

  it('refuses text that is not JSON, not a plan, or incomplete', () => {
    expect(refusal('{"formatVersion": 2,').code).toBe('plan_format');
    expect(refusal('{"changes": []}').message).toContain(`has no formatVersion (this tug reads format version ${PLAN_FORMAT_VERSION})`);
    expect(refusal('[1, 2]').code).toBe('plan_format');
    const { changes: _changes, ...withoutChanges } = samplePlan();
    expect(refusal(JSON.stringify(withoutChanges)).message).toContain('changes missing or malformed');
  });

  it('refuses a plan whose content does not match its digest (plan_tampered), whatever was edited', () => {
    const plan = samplePlan();
    const edits: Array<(p: any) => void> = [
      (p) => (p.changes[2].requests[0].body = { name: 'Someone else', email: 'evil@example.com' }),
      (p) => (p.changes[0].after.name = 'Aarhus!'),
      (p) => p.changes.pop(),
      (p) => (p.source.targets = ['Depot/*']),
      (p) => (p.fingerprint = 'sha256:0000000000000000'),
      (p) => (p.digest = `sha256:${'0'.repeat(64)}`),
    ];
    for (const edit of edits) {
      const copy = JSON.parse(JSON.stringify(plan));
      edit(copy);
      const error = refusal(JSON.stringify(copy, null, 2));
      expect(error.code).toBe('plan_tampered');
      expect(error.exitCode).toBe(1);
    }
    // Whitespace and key order are not content: a reformatted file is the same plan.
    expect(readPlanFile(JSON.stringify(JSON.parse(renderPlanJson(plan))))).toEqual(plan);
  });
});
