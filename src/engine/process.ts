// Processes: generator functions that yield Waitables, SimPy-style. The simulator steps the generator
// from events only, so process code runs deterministically and never re-entrantly.
import { ProcessError } from './errors.ts';
import { Completion, isWaitable } from './waitable.ts';
import type { CallScheduler, Waitable } from './waitable.ts';

export type ProcessState = 'running' | 'waiting' | 'done' | 'failed';

/** A process body: a generator object that yields Waitables and returns R. */
export type ProcessBody<R> = Generator<Waitable<unknown>, R, unknown>;

/**
 * Typed wait inside a process body: `const value = yield* wait(signal)`.
 * (A bare `yield signal` also works but TypeScript types its result as unknown.)
 */
export function* wait<T>(waitable: Waitable<T>): Generator<Waitable<T>, T, unknown> {
  return (yield waitable) as T;
}

/** A running process. It is itself a Waitable that completes with the body's return value. */
export class Process<R> extends Completion<R> {
  readonly name: string;
  private currentState: ProcessState = 'running';
  private currentWait: Waitable<unknown> | undefined = undefined;
  private readonly body: ProcessBody<R>;
  private readonly unfinished: Set<Process<unknown>>;
  private readonly resume: (value: unknown) => void;

  /** Use Simulator.process(); this registers the process and schedules its first step at the current time. */
  constructor(scheduler: CallScheduler, name: string, body: ProcessBody<R>, unfinished: Set<Process<unknown>>) {
    super(scheduler);
    if (typeof name !== 'string' || name === '') throw new TypeError('a process needs a non-empty name');
    if (typeof body !== 'object' || body === null || typeof body.next !== 'function') {
      throw new TypeError(
        `process "${name}": body must be a generator object, e.g. sim.process("${name}", myBody()) ` +
          `- call the generator function, don't pass it`,
      );
    }
    this.name = name;
    this.body = body;
    this.unfinished = unfinished;
    this.resume = (value: unknown) => this.step(value);
    unfinished.add(this as Process<unknown>);
    scheduler.scheduleCall(0, this.resume, undefined);
  }

  /** 'running' (ready or executing), 'waiting' (blocked on waitingFor), 'done' or 'failed'. */
  get state(): ProcessState {
    return this.currentState;
  }

  /** The body's return value once done, otherwise undefined. */
  get result(): R | undefined {
    return this.completedValue;
  }

  /** What the process is blocked on while state is 'waiting'. */
  get waitingFor(): Waitable<unknown> | undefined {
    return this.currentWait;
  }

  describe(): string {
    return `process "${this.name}"`;
  }

  private step(value: unknown): void {
    this.currentState = 'running';
    this.currentWait = undefined;
    let next: IteratorResult<Waitable<unknown>, R>;
    try {
      next = this.body.next(value);
    } catch (error) {
      throw this.failure(error);
    }
    if (next.done === true) {
      this.currentState = 'done';
      this.unfinished.delete(this as Process<unknown>);
      this.complete(next.value);
      return;
    }
    const waitable = next.value;
    if (!isWaitable(waitable)) {
      throw this.failure(
        new TypeError(
          `yielded ${describeValue(waitable)}, which is not a Waitable; yield sim.timeout(...), a Signal, ` +
            `a resource request or a Process (use \`yield* wait(x)\` for a typed result)`,
        ),
      );
    }
    this.currentState = 'waiting';
    this.currentWait = waitable;
    waitable.onDone(this.resume);
  }

  private failure(cause: unknown): ProcessError {
    this.currentState = 'failed';
    this.unfinished.delete(this as Process<unknown>);
    return new ProcessError(this.name, this.scheduler.now, cause);
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object without onDone/describe (${Object.keys(value).slice(0, 4).join(', ')})`;
  return `${typeof value} ${String(value)}`;
}
