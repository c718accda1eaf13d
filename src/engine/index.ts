// Public door of src/engine: time, the event queue, the simulator and its processes, resources,
// the seeded RNG and statistics. Other modules import from here only.
export { NS_PER_SECOND, MAX_TIME_NS, secondsToNs, ceilSecondsToNs, nsToSeconds, assertTime, isValidTime, formatTime } from './time.ts';
export type { TimeNs } from './time.ts';
export { EventQueue } from './event-queue.ts';
export { Simulator } from './simulator.ts';
export type { SimulatorOptions } from './simulator.ts';
export { Process, wait } from './process.ts';
export type { ProcessBody, ProcessState } from './process.ts';
export { Completion, isWaitable } from './waitable.ts';
export type { Waitable, CallScheduler } from './waitable.ts';
export { Timeout, AllOf, AnyOf } from './combinators.ts';
export type { AnyOfResult } from './combinators.ts';
export { SimulationStalledError, ProcessError, SimulationLivelockError } from './errors.ts';
export type { WaitingProcess } from './errors.ts';
export { Signal } from './signal.ts';
export { Server } from './server.ts';
export { Store } from './store.ts';
export { Rng } from './rng.ts';
export { Counter, Tally, TimeWeighted, median } from './statistics.ts';
export { InputError } from './input-error.ts';
export { fmix32 } from './hash.ts';
