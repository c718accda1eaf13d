// Property tests (fast-check) for the event loop over arbitrary schedules, including events scheduled from
// inside callbacks and runs split by run(until): time never goes backwards, every scheduled event fires
// exactly once and at its scheduled time, and equal-time events fire in scheduling order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/index.ts';

/** Event i is scheduled with `delay` from top level (parent -1) or from inside the callback of an earlier event. */
interface EventSpec {
  delay: number;
  parent: number;
  absolute: boolean;
}

const scheduleArb = fc
  .array(
    fc.record({
      delay: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 1000 })),
      parentPick: fc.nat(),
      nested: fc.boolean(),
      absolute: fc.boolean(),
    }),
    { minLength: 1, maxLength: 150 },
  )
  .map((raw) =>
    raw.map((r, i): EventSpec => ({
      delay: r.delay,
      parent: r.nested && i > 0 ? r.parentPick % i : -1,
      absolute: r.absolute,
    })),
  );

interface Fired {
  event: number;
  time: number;
}

function runSchedule(specs: EventSpec[], stops: number[]) {
  const sim = new Simulator();
  const children = specs.map(() => [] as number[]);
  specs.forEach((s, i) => {
    if (s.parent >= 0) children[s.parent]!.push(i);
  });
  const fired: Fired[] = [];
  const scheduledAt = new Array<number>(specs.length).fill(-1);
  const scheduleOrder = new Array<number>(specs.length).fill(-1);
  let scheduleCounter = 0;
  const scheduleEvent = (i: number): void => {
    const spec = specs[i]!;
    const target = sim.now + spec.delay;
    scheduledAt[i] = target;
    scheduleOrder[i] = scheduleCounter++;
    const callback = (): void => {
      fired.push({ event: i, time: sim.now });
      for (const child of children[i]!) scheduleEvent(child);
    };
    if (spec.absolute) sim.scheduleAt(target, callback);
    else sim.schedule(spec.delay, callback);
  };
  specs.forEach((s, i) => {
    if (s.parent < 0) scheduleEvent(i);
  });
  const nowAfterRun: number[] = [];
  for (const stop of [...stops].sort((a, b) => a - b)) {
    if (stop >= sim.now) nowAfterRun.push(sim.run(stop));
  }
  nowAfterRun.push(sim.run());
  return { fired, scheduledAt, scheduleOrder, nowAfterRun, sim };
}

const stopsArb = fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 4 });

describe('Simulator (property)', () => {
  it('time never goes backwards across fired events, nor across run(until) calls', () => {
    fc.assert(
      fc.property(scheduleArb, stopsArb, (specs, stops) => {
        const { fired, nowAfterRun } = runSchedule(specs, stops);
        for (let k = 1; k < fired.length; k++) expect(fired[k]!.time).toBeGreaterThanOrEqual(fired[k - 1]!.time);
        for (let k = 1; k < nowAfterRun.length; k++) expect(nowAfterRun[k]!).toBeGreaterThanOrEqual(nowAfterRun[k - 1]!);
      }),
      { numRuns: 300 },
    );
  });

  it('every scheduled event fires exactly once, at the time it was scheduled for', () => {
    fc.assert(
      fc.property(scheduleArb, stopsArb, (specs, stops) => {
        const { fired, scheduledAt, sim } = runSchedule(specs, stops);
        const counts = new Array<number>(specs.length).fill(0);
        for (const f of fired) {
          counts[f.event]!++;
          expect(f.time).toBe(scheduledAt[f.event]);
        }
        expect(counts).toEqual(new Array<number>(specs.length).fill(1));
        expect(sim.eventsProcessed).toBe(specs.length);
        expect(sim.pendingEvents).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('events at equal times fire in the order they were scheduled', () => {
    fc.assert(
      fc.property(scheduleArb, stopsArb, (specs, stops) => {
        const { fired, scheduleOrder } = runSchedule(specs, stops);
        for (let k = 1; k < fired.length; k++) {
          const before = fired[k - 1]!;
          const after = fired[k]!;
          if (before.time === after.time) {
            expect(scheduleOrder[after.event]!).toBeGreaterThan(scheduleOrder[before.event]!);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
