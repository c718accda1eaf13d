// Tests for generator processes: stepping, typed waits, allOf/anyOf, process-as-waitable, stall reports,
// ProcessError, and that already-done waitables still resume asynchronously.
import { describe, expect, it } from 'vitest';
import { ProcessError, Signal, SimulationStalledError, Simulator, wait } from '../../src/engine/index.ts';
import type { Waitable } from '../../src/engine/index.ts';

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an exception');
}

describe('processes', () => {
  it('run timeouts in sequence and return a result', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const p = sim.process(
      'worker',
      (function* () {
        log.push(`start@${sim.now}`);
        yield* wait(sim.timeout(100));
        log.push(`mid@${sim.now}`);
        yield sim.timeout(50);
        return 'ok';
      })(),
    );
    expect(p.state).toBe('running');
    sim.run();
    expect(log).toEqual(['start@0', 'mid@100']);
    expect(p.state).toBe('done');
    expect(p.result).toBe('ok');
    expect(sim.now).toBe(150);
  });

  it('start at the current time through an event, in creation order', () => {
    const sim = new Simulator();
    const log: string[] = [];
    sim.schedule(10, () => {
      sim.process('b', (function* () { log.push(`b@${sim.now}`); yield sim.timeout(0); })());
      sim.process('c', (function* () { log.push(`c@${sim.now}`); yield sim.timeout(0); })());
      log.push('creator done');
    });
    sim.run();
    expect(log).toEqual(['creator done', 'b@10', 'c@10']);
  });

  it('receive a signal value with a typed wait', () => {
    const sim = new Simulator();
    const ready = new Signal<number>(sim, 'ready');
    let received = 0;
    sim.process('consumer', (function* () { received = yield* wait(ready); })());
    sim.schedule(7, () => ready.trigger(41 + 1));
    sim.run();
    expect(received).toBe(42);
  });

  it('can wait for another process and get its result', () => {
    const sim = new Simulator();
    const child = sim.process('child', (function* () { yield sim.timeout(30); return 5; })());
    let got = 0;
    let at = -1;
    sim.process('parent', (function* () { got = yield* wait(child); at = sim.now; })());
    sim.run();
    expect([got, at]).toEqual([5, 30]);
  });

  it('resumes asynchronously even when the waitable is already done', () => {
    const sim = new Simulator();
    const sig = new Signal(sim, 'early');
    const log: string[] = [];
    sig.trigger();
    sim.process('late', (function* () {
      log.push('before');
      yield sig;
      log.push('after');
    })());
    sim.schedule(0, () => log.push('other event'));
    sim.run();
    // The process's first step runs first; its resume comes from a later zero-delay event.
    expect(log).toEqual(['before', 'other event', 'after']);
  });

  it('never calls an onDone continuation re-entrantly', () => {
    const sim = new Simulator();
    const sig = new Signal<string>(sim, 's');
    sig.trigger('v');
    let called = false;
    sig.onDone(() => (called = true));
    expect(called).toBe(false);
    sim.run();
    expect(called).toBe(true);
  });
});

describe('allOf / anyOf', () => {
  it('allOf completes when the last input does, with values in input order', () => {
    const sim = new Simulator();
    const a = new Signal<string>(sim, 'a');
    let values: unknown[] = [];
    let at = -1;
    sim.process('joiner', (function* () {
      values = yield* wait(sim.allOf([sim.timeout(20), a, sim.timeout(5)]));
      at = sim.now;
    })());
    sim.schedule(12, () => a.trigger('A'));
    sim.run();
    expect(values).toEqual([undefined, 'A', undefined]);
    expect(at).toBe(20);
  });

  it('allOf of nothing completes at once', () => {
    const sim = new Simulator();
    let done = false;
    sim.process('p', (function* () { yield sim.allOf([]); done = true; })());
    sim.run();
    expect(done).toBe(true);
    expect(sim.now).toBe(0);
  });

  it('anyOf completes with the first input, by index', () => {
    const sim = new Simulator();
    let result: { index: number; value: unknown } | undefined;
    const slow = new Signal<string>(sim, 'slow');
    sim.process('racer', (function* () {
      result = yield* wait(sim.anyOf([slow, sim.timeout(8, 'deadline')]));
    })());
    sim.schedule(20, () => slow.trigger('late'));
    sim.run();
    expect(result).toEqual({ index: 1, value: undefined });
    expect(sim.now).toBe(20);
  });

  it('anyOf refuses an empty list and non-waitables', () => {
    const sim = new Simulator();
    expect(() => sim.anyOf([])).toThrow(/at least one/);
    expect(() => sim.allOf([42 as unknown as Waitable<unknown>], 'deps')).toThrow(/allOf "deps": element 0/);
  });

  it('describe lists what is still pending', () => {
    const sim = new Simulator();
    const a = new Signal(sim, 'a');
    const b = new Signal(sim, 'b');
    expect(sim.allOf([a, b], 'layer deps').describe()).toBe('all of "layer deps" [signal "a", signal "b"]');
    expect(sim.anyOf([a, sim.timeout(5)]).describe()).toBe('any of [signal "a", timeout until t=5 ns]');
  });
});

describe('stall detection', () => {
  it('throws SimulationStalledError listing each waiting process and what it waits for', () => {
    const sim = new Simulator();
    const a2a = new Signal(sim, 'a2a-done[layer 0]');
    const never = new Signal(sim, 'never');
    sim.process('dev0.forward', (function* () { yield sim.timeout(1200); })());
    sim.process('dev3.forward', (function* () { yield sim.timeout(1000); yield a2a; })());
    sim.process('dev1.backward', (function* () { yield sim.allOf([never, sim.timeout(3)]); })());
    const error = catchError(() => sim.run());
    expect(error).toBeInstanceOf(SimulationStalledError);
    const stalled = error as SimulationStalledError;
    expect(stalled.waiting).toEqual([
      { process: 'dev3.forward', waitsFor: 'signal "a2a-done[layer 0]"' },
      { process: 'dev1.backward', waitsFor: 'all of [signal "never"] (1 of 2 done)' },
    ]);
    expect(stalled.message).toBe(
      'simulation stalled at t=1200 ns: 2 processes still waiting:\n' +
        '  - "dev3.forward" waits for signal "a2a-done[layer 0]"\n' +
        '  - "dev1.backward" waits for all of [signal "never"] (1 of 2 done)',
    );
  });

  it('uses the singular for one process', () => {
    const sim = new Simulator();
    sim.process('lonely', (function* () { yield new Signal(sim, 'x'); })());
    expect(() => sim.run()).toThrow(/^simulation stalled at t=0 ns: 1 process still waiting:\n {2}- "lonely" waits for signal "x"$/);
  });

  it('also stalls when run(until) empties the queue', () => {
    const sim = new Simulator();
    sim.process('p', (function* () { yield sim.timeout(5); yield new Signal(sim, 'never'); })());
    expect(() => sim.run(100)).toThrow(SimulationStalledError);
  });

  it('does not throw when every process finished', () => {
    const sim = new Simulator();
    sim.process('p', (function* () { yield sim.timeout(3); })());
    expect(() => sim.run()).not.toThrow();
  });

  it('reports a process waiting for a process that waits', () => {
    const sim = new Simulator();
    const gate = new Signal(sim, 'gate');
    const inner = sim.process('inner', (function* () { yield gate; })());
    sim.process('outer', (function* () { yield inner; })());
    const error = catchError(() => sim.run()) as SimulationStalledError;
    expect(error.message).toMatch(/^simulation stalled at t=0 ns: 2 processes still waiting:/);
    expect(error.waiting.map((w) => `${w.process} -> ${w.waitsFor}`)).toEqual([
      'inner -> signal "gate"',
      'outer -> process "inner"',
    ]);
  });
});

describe('ProcessError', () => {
  it('wraps an exception from a process body with its name, time and cause', () => {
    const sim = new Simulator();
    const cause = new Error('expert 7 has no placement');
    const p = sim.process('dev2.moe-layer3', (function* () {
      yield sim.timeout(250);
      throw cause;
    })());
    const error = catchError(() => sim.run());
    expect(error).toBeInstanceOf(ProcessError);
    const processError = error as ProcessError;
    expect(processError.message.startsWith('dev2.moe-layer3')).toBe(true);
    expect(processError.message).toMatch(/t=250 ns.*expert 7 has no placement/);
    expect(processError.cause).toBe(cause);
    expect(processError.processName).toBe('dev2.moe-layer3');
    expect(p.state).toBe('failed');
  });

  it('reports a yield of something that is not a waitable', () => {
    const sim = new Simulator();
    sim.process('bad', (function* () { yield 5 as unknown as Waitable<unknown>; })());
    const error = catchError(() => sim.run()) as ProcessError;
    expect(error).toBeInstanceOf(ProcessError);
    expect(error.message).toMatch(/^bad: .*not a Waitable/);
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('rejects a generator function passed instead of a generator object', () => {
    const sim = new Simulator();
    function* body() { yield sim.timeout(1); }
    expect(() => sim.process('p', body as unknown as Generator<Waitable<unknown>, void, unknown>)).toThrow(/generator object/);
  });
});
