// The sweep's public door (re-exported by src/sim/index.ts): plan, run, merge, and the token-batch cache.
export type { SweepAxis, SweepPlan } from './sweep-plan.ts';
export { parseSetArgument, planSweep, pointScenario, pointValues, sweepFingerprint } from './sweep-plan.ts';
export type { SweepRow, SweepTask } from './sweep-point.ts';
export { runSweepPoint, sweepBatchCache } from './sweep-point.ts';
export type { SweepRunOptions, SweepRunResult, SweepShard } from './run-sweep.ts';
export { parseShard, runSweep, shardPoints, sweepTask } from './run-sweep.ts';
export type { SweepHeader, SweepShardFile } from './merge-shards.ts';
export { mergeShardFiles, sweepHeader } from './merge-shards.ts';
