// Public door of src/execute: runs one step's device programs on a simulated cluster (the discrete-event replay of
// kernels and collectives) and returns what happened: per-device accounting, link statistics, spans, the link
// timeline, the traffic matrix and the critical path. It sits between workloads (which builds the programs) and sim
// (which composes a run); it imports engine, topology and workloads only.
export type { CommBytes, DeviceAccounting, ExecutionResult, LinkStats, Span } from './execution-types.ts';
export type { ExecuteOptions } from './run-step-program.ts';
export type { LinkTimeline, LinkTrack } from './link-timeline.ts';
export { TIMELINE_BUCKETS, TIMELINE_LINKS } from './link-timeline.ts';
export type { TrafficBinLabel, TrafficMatrix } from './traffic-matrix.ts';
export { MAX_TRAFFIC_BINS, trafficBins } from './traffic-matrix.ts';
export { runStepProgram } from './run-step-program.ts';
