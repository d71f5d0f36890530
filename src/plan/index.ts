/**
 * The I/O side of `tug plan`: manifests → DesiredState, the live account → LiveState (each kind's reads,
 * src/kinds/registry.ts), and runPlan() composing them and the registry around the pure buildPlan of src/core/.
 */
export { toDesiredState } from './desired.js';
export { metricsDelta, readLiveState, type LiveRead, type ReadLiveOptions } from './read-live.js';
export { runPlan, type RunPlanInput, type RunPlanResult } from './run-plan.js';
