// Signal: a one-shot event that processes wait for and some code triggers once, optionally with a value
// (e.g. "all-to-all of layer 3 finished"). Triggering twice is a bug and throws.
import { formatTime } from './time.ts';
import type { TimeNs } from './time.ts';
import { Completion } from './waitable.ts';
import type { CallScheduler } from './waitable.ts';

export class Signal<T = void> extends Completion<T> {
  readonly name: string;
  private triggerTime: TimeNs | undefined = undefined;

  constructor(sim: CallScheduler, name: string) {
    super(sim);
    if (typeof name !== 'string' || name === '') throw new TypeError('a Signal needs a non-empty name');
    this.name = name;
  }

  /** Completes the signal; every waiter is resumed with `value` (each from its own zero-delay event). */
  trigger(value: T): void {
    if (this.triggerTime !== undefined) {
      throw new Error(
        `signal "${this.name}" triggered twice: first at ${formatTime(this.triggerTime)}, again at ${formatTime(this.scheduler.now)}`,
      );
    }
    this.triggerTime = this.scheduler.now;
    this.complete(value);
  }

  get triggered(): boolean {
    return this.triggerTime !== undefined;
  }

  /** When it was triggered, or undefined. */
  get triggeredAt(): TimeNs | undefined {
    return this.triggerTime;
  }

  /** The trigger value, or undefined before the trigger. */
  get value(): T | undefined {
    return this.completedValue;
  }

  describe(): string {
    return `signal "${this.name}"`;
  }
}
