// Simulator: the discrete-event loop. Fires callbacks in (time, scheduling order), runs generator processes,
// and refuses to hang: an empty queue with blocked processes raises SimulationStalledError, and a zero-delay
// loop raises SimulationLivelockError.
import { AllOf, AnyOf, Timeout } from './combinators.ts';
import type { AnyOfResult } from './combinators.ts';
import { SimulationLivelockError, SimulationStalledError } from './errors.ts';
import type { WaitingProcess } from './errors.ts';
import { EventQueue } from './event-queue.ts';
import { Process } from './process.ts';
import type { ProcessBody } from './process.ts';
import { MAX_TIME_NS, assertTime, formatTime } from './time.ts';
import type { TimeNs } from './time.ts';
import type { CallScheduler, Waitable } from './waitable.ts';

export interface SimulatorOptions {
  /** Livelock guard: throw once more than this many events fire without time advancing. Default 10_000_000. */
  maxEventsAtOneTime?: number;
}

type EventCallback = (arg: unknown) => void;

const DEFAULT_MAX_EVENTS_AT_ONE_TIME = 10_000_000;

export class Simulator implements CallScheduler {
  private currentTime: TimeNs = 0;
  private processedCount = 0;
  private eventsAtCurrentTime = 0;
  private isRunning = false;
  private readonly maxEventsAtOneTime: number;
  private readonly queue = new EventQueue();
  // Event payloads, indexed by the id stored in the queue. Freed ids are recycled through freeIds.
  private readonly callbacks: (EventCallback | undefined)[] = [];
  private readonly args: unknown[] = [];
  private freeIds = new Int32Array(1024);
  private freeCount = 0;
  private readonly unfinished = new Set<Process<unknown>>();

  constructor(options: SimulatorOptions = {}) {
    const max = options.maxEventsAtOneTime ?? DEFAULT_MAX_EVENTS_AT_ONE_TIME;
    if (!(Number.isInteger(max) && max >= 1)) {
      throw new RangeError(`Simulator: maxEventsAtOneTime must be a positive integer, got ${String(max)}`);
    }
    this.maxEventsAtOneTime = max;
  }

  /** The current simulated time in ns. */
  get now(): TimeNs {
    return this.currentTime;
  }

  /** Events fired so far (including the simulator's own delivery events). */
  get eventsProcessed(): number {
    return this.processedCount;
  }

  /** Events scheduled but not yet fired. */
  get pendingEvents(): number {
    return this.queue.size;
  }

  /** Runs `callback` after `delay` ns (an integer >= 0). Equal times fire in scheduling order. */
  schedule(delay: TimeNs, callback: () => void): void {
    if (!(Number.isSafeInteger(delay) && delay >= 0)) assertTime(delay, 'schedule delay');
    this.enqueue(this.currentTime + delay, callback, undefined);
  }

  /** Runs `callback` at absolute time `time`; throws if that is in the past. */
  scheduleAt(time: TimeNs, callback: () => void): void {
    assertTime(time, 'scheduleAt time');
    if (time < this.currentTime) {
      throw new RangeError(`scheduleAt(${formatTime(time)}) is in the past: the clock is at ${formatTime(this.currentTime)}`);
    }
    this.enqueue(time, callback, undefined);
  }

  /** Like schedule(), but calls `callback(arg)`: lets library code avoid allocating a closure per event. */
  scheduleCall<A>(delay: TimeNs, callback: (arg: A) => void, arg: A): void {
    if (!(Number.isSafeInteger(delay) && delay >= 0)) assertTime(delay, 'scheduleCall delay');
    this.enqueue(this.currentTime + delay, callback as EventCallback, arg);
  }

  /**
   * Fires events in (time, scheduling order) until the queue is empty, or until the next event is later than
   * `until`. With `until`, the clock ends at `until` either way (so a later run() resumes from there).
   * Returns the final time.
   * Throws SimulationStalledError if the queue empties while processes are still waiting, ProcessError if a
   * process body throws, SimulationLivelockError on a zero-delay loop. Exceptions from plain callbacks propagate as-is.
   */
  run(until?: TimeNs): TimeNs {
    if (this.isRunning) throw new Error('Simulator.run() called from inside an event; schedule work instead');
    let limit = MAX_TIME_NS; // every queued time is <= MAX_TIME_NS, and an empty queue peeks +Infinity
    if (until !== undefined) {
      assertTime(until, 'run(until)');
      if (until < this.currentTime) {
        throw new RangeError(`run(until=${until} ns) is in the past: the clock is at ${formatTime(this.currentTime)}`);
      }
      limit = until;
    }
    this.isRunning = true;
    try {
      this.fireEventsUpTo(limit);
    } finally {
      this.isRunning = false;
    }
    if (this.queue.size === 0) {
      const waiting = this.waitingProcesses();
      if (waiting.length > 0) throw new SimulationStalledError(this.currentTime, waiting);
    }
    if (until !== undefined) this.currentTime = until;
    return this.currentTime;
  }

  /** Starts a process at the current time (its first step is an event at `now`). */
  process<R>(name: string, body: ProcessBody<R>): Process<R> {
    return new Process<R>(this, name, body, this.unfinished);
  }

  /** A waitable that completes `delay` ns from now. */
  timeout(delay: TimeNs, label?: string): Waitable<void> {
    return new Timeout(this, delay, label);
  }

  /** Completes when all of `waitables` have, with their values in order. */
  allOf(waitables: readonly Waitable<unknown>[], label?: string): Waitable<unknown[]> {
    return new AllOf(this, waitables, label);
  }

  /** Completes when the first of `waitables` does, with its index and value. */
  anyOf(waitables: readonly Waitable<unknown>[], label?: string): Waitable<AnyOfResult> {
    return new AnyOf(this, waitables, label);
  }

  /** Processes currently blocked, in creation order, with what each waits for. */
  waitingProcesses(): WaitingProcess[] {
    const waiting: WaitingProcess[] = [];
    for (const process of this.unfinished) {
      const waitable = process.waitingFor;
      if (process.state === 'waiting' && waitable !== undefined) {
        waiting.push({ process: process.name, waitsFor: waitable.describe() });
      }
    }
    return waiting;
  }

  private fireEventsUpTo(limit: TimeNs): void {
    const queue = this.queue;
    const callbacks = this.callbacks;
    const args = this.args;
    const maxEventsAtOneTime = this.maxEventsAtOneTime;
    for (;;) {
      const time = queue.peekTime(); // +Infinity when empty, which is always beyond `limit`
      if (time > limit) return;
      const id = queue.pop();
      if (time !== this.currentTime) {
        this.currentTime = time;
        this.eventsAtCurrentTime = 1;
      } else if (++this.eventsAtCurrentTime > maxEventsAtOneTime) {
        throw new SimulationLivelockError(time, this.eventsAtCurrentTime, maxEventsAtOneTime);
      }
      const callback = callbacks[id]!;
      const arg = args[id];
      callbacks[id] = undefined;
      args[id] = undefined;
      this.freeIds[this.freeCount++] = id; // freeIds always has room for every id (see enqueue)
      this.processedCount++;
      callback(arg);
    }
  }

  private enqueue(time: TimeNs, callback: EventCallback, arg: unknown): void {
    if (typeof callback !== 'function') throw new TypeError(`schedule: callback must be a function, got ${typeof callback}`);
    if (time > MAX_TIME_NS) throw new RangeError(`schedule: ${formatTime(time)} is beyond the largest exact time ${MAX_TIME_NS} ns`);
    let id: number;
    if (this.freeCount !== 0) {
      id = this.freeIds[--this.freeCount]!;
      this.callbacks[id] = callback;
      this.args[id] = arg;
    } else {
      id = this.callbacks.length;
      this.callbacks.push(callback);
      this.args.push(arg);
      if (this.callbacks.length > this.freeIds.length) this.growFreeIds();
    }
    this.queue.push(time, id);
  }

  private growFreeIds(): void {
    const grown = new Int32Array(this.freeIds.length * 2);
    grown.set(this.freeIds);
    this.freeIds = grown;
  }
}

