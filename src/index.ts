// moesim's library API: the public doors of every module, for users who compose their own runs.
export * as engine from './engine/index.ts';
export * as topology from './topology/index.ts';
export * as kernels from './kernels/index.ts';
export * as routing from './routing/index.ts';
export * as workloads from './workloads/index.ts';
export * as execute from './execute/index.ts';
export * as sim from './sim/index.ts';
export * as studies from './studies/index.ts';
export * as report from './report/index.ts';
export { main as runCli } from './cli/index.ts';
export { compareRouters } from './studies/index.ts';
export type { CompareOptions, CompareResult, CompareRow } from './studies/index.ts';
export type { RouterChoice } from './sim/index.ts';
