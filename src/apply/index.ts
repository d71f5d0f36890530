/** The apply engine: execute a reviewed plan — locked, journalled, resumable, convergent. */
export { applyPlan, refuseUnusable, type ApplyInput, type ApplyProgress } from './apply-plan.js';
export { applyExitCode, type ApplyReport, type ChangeOutcome } from './report.js';
