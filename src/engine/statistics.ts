// Statistics collected during a run: a Counter, a Tally of observations (Welford mean/variance),
// and a TimeWeighted level (e.g. busy servers, queue length) averaged over simulated time; and the median of a list.
import type { TimeNs } from './time.ts';

function assertFiniteValue(value: number, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${what} must be a finite number, got ${String(value)}`);
  }
}

/** A running total. */
export class Counter {
  private total = 0;

  add(n = 1): void {
    assertFiniteValue(n, 'Counter.add amount');
    this.total += n;
  }

  get value(): number {
    return this.total;
  }
}

/** Summary of a stream of observations. Undefined statistics (mean of nothing, variance of one value) are NaN. */
export class Tally {
  private n = 0;
  private total = 0;
  private runningMean = 0;
  private sumSquaredDeviations = 0;
  private smallest = Infinity;
  private largest = -Infinity;

  record(x: number): void {
    assertFiniteValue(x, 'Tally.record value');
    this.n++;
    this.total += x;
    const delta = x - this.runningMean;
    this.runningMean += delta / this.n;
    this.sumSquaredDeviations += delta * (x - this.runningMean);
    if (x < this.smallest) this.smallest = x;
    if (x > this.largest) this.largest = x;
  }

  get count(): number {
    return this.n;
  }

  get sum(): number {
    return this.total;
  }

  get mean(): number {
    return this.n === 0 ? NaN : this.runningMean;
  }

  /** Sample variance (divides by count - 1); NaN with fewer than two observations. */
  get variance(): number {
    return this.n < 2 ? NaN : this.sumSquaredDeviations / (this.n - 1);
  }

  get stdDev(): number {
    return Math.sqrt(this.variance);
  }

  get min(): number {
    return this.n === 0 ? NaN : this.smallest;
  }

  get max(): number {
    return this.n === 0 ? NaN : this.largest;
  }
}

/** A piecewise-constant level over time; mean() is its time average since startTime. */
export class TimeWeighted {
  readonly startTime: TimeNs;
  private lastTime: TimeNs;
  private level: number;
  private area = 0;
  private highest: number;
  private lowest: number;

  constructor(startTime: TimeNs, initial = 0) {
    if (typeof startTime !== 'number' || !Number.isFinite(startTime) || startTime < 0) {
      throw new RangeError(`TimeWeighted: startTime must be a finite time >= 0, got ${String(startTime)}`);
    }
    assertFiniteValue(initial, 'TimeWeighted initial value');
    this.startTime = startTime;
    this.lastTime = startTime;
    this.level = initial;
    this.highest = initial;
    this.lowest = initial;
  }

  /** Sets the level to `value` from time `now` on. `now` must not go backwards. */
  update(now: TimeNs, value: number): void {
    this.checkTime(now, 'update');
    assertFiniteValue(value, 'TimeWeighted.update value');
    this.area += this.level * (now - this.lastTime);
    this.lastTime = now;
    this.level = value;
    if (value > this.highest) this.highest = value;
    if (value < this.lowest) this.lowest = value;
  }

  /** Integral of the level from startTime to `now` (level × ns). */
  integral(now: TimeNs): number {
    this.checkTime(now, 'integral');
    return this.area + this.level * (now - this.lastTime);
  }

  /** Time average from startTime to `now`; the current level if no time has passed. */
  mean(now: TimeNs): number {
    const elapsed = now - this.startTime;
    const integral = this.integral(now);
    return elapsed === 0 ? this.level : integral / elapsed;
  }

  get current(): number {
    return this.level;
  }

  get max(): number {
    return this.highest;
  }

  get min(): number {
    return this.lowest;
  }

  private checkTime(now: TimeNs, what: string): void {
    if (typeof now !== 'number' || Number.isNaN(now) || !Number.isFinite(now)) {
      throw new RangeError(`TimeWeighted.${what}: time must be a finite number, got ${String(now)}`);
    }
    if (now < this.lastTime) {
      throw new RangeError(`TimeWeighted.${what}: time went backwards (${now} ns < last update at ${this.lastTime} ns)`);
    }
  }
}

/** The median of `values` (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
