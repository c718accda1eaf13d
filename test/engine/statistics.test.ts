// Tests for Counter, Tally (Welford mean/variance) and TimeWeighted (time-average of a level).
import { describe, expect, it } from 'vitest';
import { Counter, Tally, TimeWeighted, median } from '../../src/engine/index.ts';

describe('Counter', () => {
  it('adds 1 by default and any finite amount', () => {
    const c = new Counter();
    c.add();
    c.add(4.5);
    expect(c.value).toBe(5.5);
    expect(() => c.add(NaN)).toThrow(RangeError);
  });
});

describe('Tally', () => {
  it('computes count, sum, mean, sample variance, stdDev, min and max', () => {
    const t = new Tally();
    for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) t.record(x);
    expect(t.count).toBe(8);
    expect(t.sum).toBe(40);
    expect(t.mean).toBe(5);
    expect(t.variance).toBeCloseTo(32 / 7, 12);
    expect(t.stdDev).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(t.min).toBe(2);
    expect(t.max).toBe(9);
  });

  it('is numerically stable for large offsets (Welford)', () => {
    const t = new Tally();
    for (const x of [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]) t.record(x);
    expect(t.variance).toBeCloseTo(30, 6);
  });

  it('returns NaN for undefined statistics and rejects NaN input', () => {
    const t = new Tally();
    expect(t.mean).toBeNaN();
    expect(t.min).toBeNaN();
    t.record(3);
    expect(t.variance).toBeNaN();
    expect(t.mean).toBe(3);
    expect(() => t.record(NaN)).toThrow(/Tally.record/);
  });
});

describe('TimeWeighted', () => {
  it('averages a piecewise-constant level over time', () => {
    const level = new TimeWeighted(100, 1);
    level.update(110, 3); // 1 over [100,110)
    level.update(130, 0); // 3 over [110,130)
    expect(level.integral(140)).toBe(10 + 60);
    expect(level.mean(140)).toBeCloseTo(70 / 40, 12);
    expect(level.current).toBe(0);
    expect(level.max).toBe(3);
    expect(level.min).toBe(0);
  });

  it('returns the current level when no time has passed', () => {
    expect(new TimeWeighted(5, 2).mean(5)).toBe(2);
  });

  it('throws on NaN or decreasing time', () => {
    const level = new TimeWeighted(0);
    level.update(10, 1);
    expect(() => level.update(9, 2)).toThrow(/backwards/);
    expect(() => level.update(NaN, 2)).toThrow(/finite/);
    expect(() => level.mean(5)).toThrow(/backwards/);
    expect(() => new TimeWeighted(NaN)).toThrow(RangeError);
  });
});

describe('median', () => {
  it('takes the middle value, the mean of the two middle ones for an even count, NaN for none, and leaves its input alone', () => {
    const values = [5, 1, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
