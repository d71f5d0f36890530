/**
 * The plan file (`tug plan --out plan.json`, `--format json`): the Plan exactly as buildPlan made it.
 * buildPlan already puts every key in canonical order, so plain JSON.stringify is byte-identical for
 * identical plans, and a file read back and written again is unchanged. Reading it back is
 * src/state/plan-file.ts.
 */
import type { Plan } from '../core/plan.js';

export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
