// Waitable: anything a process can wait for (timeouts, signals, resource requests, other processes).
// Completion is the shared one-shot implementation: it completes once with a value and delivers that value
// to every registered continuation through zero-delay events, never re-entrantly.
import type { TimeNs } from './time.ts';

/** Something that completes once with a value of type T. */
export interface Waitable<T> {
  /** What this is, for stall reports: e.g. `signal "x"`, `timeout until t=5000 ns`. */
  describe(): string;
  /**
   * Registers a continuation. It is always called later from its own event (even when already done),
   * never from inside onDone itself.
   */
  onDone(callback: (value: T) => void): void;
}

/** The part of the simulator a Completion needs: the clock and closure-free zero-delay delivery. */
export interface CallScheduler {
  readonly now: TimeNs;
  scheduleCall<A>(delay: TimeNs, callback: (arg: A) => void, arg: A): void;
}

/** True when `value` looks like a Waitable (has describe() and onDone()). */
export function isWaitable(value: unknown): value is Waitable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Waitable<unknown>).onDone === 'function' &&
    typeof (value as Waitable<unknown>).describe === 'function'
  );
}

/** A Waitable that completes exactly once. Subclasses call complete() and implement describe(). */
export abstract class Completion<T> implements Waitable<T> {
  protected readonly scheduler: CallScheduler;
  private isDone = false;
  private doneValue: T | undefined = undefined;
  // The common case is a single waiter, so the first continuation avoids allocating an array.
  private firstContinuation: ((value: T) => void) | undefined = undefined;
  private moreContinuations: ((value: T) => void)[] | undefined = undefined;

  constructor(scheduler: CallScheduler) {
    this.scheduler = scheduler;
  }

  abstract describe(): string;

  /** True once completed. */
  get done(): boolean {
    return this.isDone;
  }

  /** The completion value, or undefined while not done. */
  protected get completedValue(): T | undefined {
    return this.doneValue;
  }

  onDone(callback: (value: T) => void): void {
    if (typeof callback !== 'function') throw new TypeError(`${this.describe()}: onDone expects a function`);
    if (this.isDone) {
      this.scheduler.scheduleCall(0, callback, this.doneValue as T);
    } else if (this.firstContinuation === undefined) {
      this.firstContinuation = callback;
    } else {
      (this.moreContinuations ??= []).push(callback);
    }
  }

  /** Completes with `value`; each continuation gets its own zero-delay event, in registration order. */
  protected complete(value: T): void {
    this.markDone(value);
    const first = this.firstContinuation;
    const more = this.moreContinuations;
    this.firstContinuation = undefined;
    this.moreContinuations = undefined;
    if (first !== undefined) this.scheduler.scheduleCall(0, first, value);
    if (more !== undefined) for (const callback of more) this.scheduler.scheduleCall(0, callback, value);
  }

  /**
   * Completes with `value` and calls the continuations directly, in registration order.
   * Only for subclasses that complete from their own dedicated event (e.g. a timeout firing), so this is
   * still never re-entrant for the code that registered the continuation.
   */
  protected completeFromOwnEvent(value: T): void {
    this.markDone(value);
    const first = this.firstContinuation;
    const more = this.moreContinuations;
    this.firstContinuation = undefined;
    this.moreContinuations = undefined;
    if (first !== undefined) first(value);
    if (more !== undefined) for (const callback of more) callback(value);
  }

  private markDone(value: T): void {
    if (this.isDone) throw new Error(`${this.describe()} completed twice`);
    this.isDone = true;
    this.doneValue = value;
  }
}
