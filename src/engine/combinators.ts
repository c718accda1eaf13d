// Built-in waitables made by the simulator: a timeout, and the allOf / anyOf combinators.
import { assertTime, formatTime } from './time.ts';
import type { TimeNs } from './time.ts';
import { Completion, isWaitable } from './waitable.ts';
import type { CallScheduler, Waitable } from './waitable.ts';

/** Completes `delay` ns after creation. Create through Simulator.timeout(). */
export class Timeout extends Completion<void> {
  /** The absolute time it fires. */
  readonly at: TimeNs;
  readonly label: string | undefined;

  constructor(scheduler: CallScheduler, delay: TimeNs, label?: string) {
    super(scheduler);
    // The message is built only on failure (a label concatenated per timeout would cost millions of strings).
    if (!(Number.isSafeInteger(delay) && delay >= 0)) assertTime(delay, label === undefined ? 'timeout delay' : `timeout "${label}" delay`);
    this.at = scheduler.now + delay;
    this.label = label;
    scheduler.scheduleCall(delay, Timeout.fire, this);
  }

  describe(): string {
    return label(this.label, 'timeout', `until ${formatTime(this.at)}`);
  }

  // The timeout's own event is already the delivery event: continuations run directly from it.
  private static fire(timeout: Timeout): void {
    timeout.completeFromOwnEvent(undefined);
  }
}

/** Completes when every input has completed, with their values in input order. */
export class AllOf extends Completion<unknown[]> {
  readonly label: string | undefined;
  private readonly inputs: readonly Waitable<unknown>[];
  private readonly values: unknown[];
  private readonly finished: boolean[];
  private remaining: number;

  constructor(scheduler: CallScheduler, waitables: readonly Waitable<unknown>[], label?: string) {
    super(scheduler);
    this.inputs = checkWaitables(waitables, 'allOf', label);
    this.label = label;
    const count = this.inputs.length;
    this.values = new Array<unknown>(count).fill(undefined);
    this.finished = new Array<boolean>(count).fill(false);
    this.remaining = count;
    if (count === 0) this.complete([]);
    this.inputs.forEach((waitable, index) => waitable.onDone((value) => this.inputDone(index, value)));
  }

  describe(): string {
    const pending = this.inputs.filter((_, i) => this.finished[i] !== true).map((w) => w.describe());
    const doneCount = this.inputs.length - pending.length;
    const doneNote = doneCount > 0 ? ` (${doneCount} of ${this.inputs.length} done)` : '';
    return label(this.label, 'all of', `[${pending.join(', ')}]${doneNote}`);
  }

  private inputDone(index: number, value: unknown): void {
    this.values[index] = value;
    this.finished[index] = true;
    if (--this.remaining === 0) this.complete(this.values);
  }
}

/** The value an AnyOf completes with: which input finished first, and its value. */
export interface AnyOfResult {
  index: number;
  value: unknown;
}

/** Completes when the first input completes (ties: the one delivered first). Later completions are ignored. */
export class AnyOf extends Completion<AnyOfResult> {
  readonly label: string | undefined;
  private readonly inputs: readonly Waitable<unknown>[];

  constructor(scheduler: CallScheduler, waitables: readonly Waitable<unknown>[], label?: string) {
    super(scheduler);
    this.inputs = checkWaitables(waitables, 'anyOf', label);
    this.label = label;
    if (this.inputs.length === 0) {
      throw new RangeError(`anyOf${label === undefined ? '' : ` "${label}"`}: needs at least one waitable (an empty anyOf never completes)`);
    }
    this.inputs.forEach((waitable, index) =>
      waitable.onDone((value) => {
        if (!this.done) this.complete({ index, value });
      }),
    );
  }

  describe(): string {
    return label(this.label, 'any of', `[${this.inputs.map((w) => w.describe()).join(', ')}]`);
  }
}

function label(name: string | undefined, kind: string, detail: string): string {
  return name === undefined ? `${kind} ${detail}` : `${kind} "${name}" ${detail}`;
}

function checkWaitables(waitables: readonly Waitable<unknown>[], what: string, name: string | undefined): readonly Waitable<unknown>[] {
  const where = name === undefined ? what : `${what} "${name}"`;
  if (!Array.isArray(waitables)) throw new TypeError(`${where}: expects an array of waitables`);
  waitables.forEach((w, i) => {
    if (!isWaitable(w)) throw new TypeError(`${where}: element ${i} is not a Waitable`);
  });
  return waitables.slice();
}
