/**
 * The I/O side of `tug plan`: manifests → DesiredState, the live account → LiveState, PINs through the
 * ISO snapshot, and runPlan() composing them around the pure buildPlan of src/core/.
 */
export { toDesiredState } from './desired.js';
export { metricsDelta, readLiveState, type LiveRead, type ReadLiveOptions } from './read-live.js';
export { perObjectReads, type PerObjectReads, type ValuesRead } from './read-live-targets.js';
export { pinsIn, resolvePins, toPinResolution, type PinsResult, type ResolvePinsOptions } from './resolve-pins.js';
export { runPlan, type RunPlanInput, type RunPlanResult } from './run-plan.js';
