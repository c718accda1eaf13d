// Tests for Simulator's event loop: scheduling, run(until), validation, the livelock guard and re-entrancy.
import { describe, expect, it } from 'vitest';
import { SimulationLivelockError, Simulator } from '../../src/engine/index.ts';

describe('Simulator.schedule / run', () => {
  it('fires callbacks in time order and advances the clock', () => {
    const sim = new Simulator();
    const log: string[] = [];
    sim.schedule(30, () => log.push(`c@${sim.now}`));
    sim.schedule(10, () => log.push(`a@${sim.now}`));
    sim.scheduleAt(20, () => log.push(`b@${sim.now}`));
    expect(sim.pendingEvents).toBe(3);
    expect(sim.run()).toBe(30);
    expect(log).toEqual(['a@10', 'b@20', 'c@30']);
    expect(sim.now).toBe(30);
    expect(sim.eventsProcessed).toBe(3);
  });

  it('fires equal-time events in scheduling order, including ones scheduled while running', () => {
    const sim = new Simulator();
    const log: number[] = [];
    sim.schedule(5, () => {
      log.push(1);
      sim.schedule(0, () => log.push(4));
    });
    sim.schedule(5, () => log.push(2));
    sim.scheduleAt(5, () => log.push(3));
    sim.run();
    expect(log).toEqual([1, 2, 3, 4]);
  });

  it('run(until) stops before later events, sets now = until, and can resume', () => {
    const sim = new Simulator();
    const log: number[] = [];
    for (const t of [10, 20, 30]) sim.scheduleAt(t, () => log.push(t));
    expect(sim.run(20)).toBe(20);
    expect(log).toEqual([10, 20]);
    expect(sim.run(25)).toBe(25);
    expect(log).toEqual([10, 20]);
    expect(sim.run()).toBe(30);
    expect(log).toEqual([10, 20, 30]);
  });

  it('run(until) past the last event leaves the clock at until', () => {
    const sim = new Simulator();
    sim.schedule(5, () => {});
    expect(sim.run(100)).toBe(100);
  });

  it('rejects scheduling in the past and bad delays, naming the problem', () => {
    const sim = new Simulator();
    sim.schedule(50, () => {});
    sim.run();
    expect(() => sim.scheduleAt(10, () => {})).toThrow(/in the past.*t=50 ns/);
    expect(() => sim.schedule(-1, () => {})).toThrow(/schedule delay.*negative/);
    expect(() => sim.schedule(0.5, () => {})).toThrow(/not an integer/);
    expect(() => sim.schedule(NaN, () => {})).toThrow(/NaN/);
    expect(() => sim.schedule(Number.MAX_SAFE_INTEGER, () => {})).toThrow(/largest exact time/);
    expect(() => sim.run(10)).toThrow(/in the past/);
    expect(() => sim.schedule(1, 'not a function' as unknown as () => void)).toThrow(TypeError);
  });

  it('propagates exceptions from plain callbacks unchanged and stays usable', () => {
    const sim = new Simulator();
    const boom = new Error('boom');
    sim.schedule(1, () => {
      throw boom;
    });
    let ranLater = false;
    sim.schedule(2, () => (ranLater = true));
    expect(() => sim.run()).toThrow(boom);
    expect(sim.now).toBe(1);
    sim.run();
    expect(ranLater).toBe(true);
  });

  it('refuses a re-entrant run()', () => {
    const sim = new Simulator();
    sim.schedule(1, () => sim.run());
    expect(() => sim.run()).toThrow(/inside an event/);
  });

  it('scheduleCall passes its argument', () => {
    const sim = new Simulator();
    const seen: string[] = [];
    sim.scheduleCall(3, (s: string) => seen.push(`${s}@${sim.now}`), 'x');
    sim.run();
    expect(seen).toEqual(['x@3']);
  });

  it('recycles event slots without mixing up callbacks', () => {
    const sim = new Simulator();
    const fired = new Array<number>(3000).fill(0);
    for (let i = 0; i < 3000; i++) {
      sim.schedule(i % 17, () => {
        fired[i]!++;
        if (i < 1500) sim.schedule(100 + (i % 5), () => fired[i]!++);
      });
    }
    sim.run();
    fired.forEach((count, i) => expect(count, `event ${i}`).toBe(i < 1500 ? 2 : 1));
  });
});

describe('livelock guard', () => {
  it('throws a SimulationLivelockError naming the time and the count on a zero-delay loop', () => {
    const sim = new Simulator({ maxEventsAtOneTime: 1000 });
    let iterations = 0;
    // Bounded, so that a broken guard makes this test fail instead of hang.
    const loop = (): void => {
      if (++iterations < 5000) sim.schedule(0, loop);
    };
    sim.schedule(42, loop);
    let error: unknown;
    try {
      sim.run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SimulationLivelockError);
    expect(String(error)).toMatch(/t=42 ns/);
    expect(String(error)).toMatch(/1001 events/);
  });

  it('counts events per instant: many events spread over time are fine', () => {
    const sim = new Simulator({ maxEventsAtOneTime: 10 });
    for (let t = 0; t < 100; t++) for (let k = 0; k < 10; k++) sim.scheduleAt(t, () => {});
    expect(() => sim.run()).not.toThrow();
    expect(sim.eventsProcessed).toBe(1000);
  });

  it('rejects a bad limit', () => {
    expect(() => new Simulator({ maxEventsAtOneTime: 0 })).toThrow(/maxEventsAtOneTime/);
  });
});
