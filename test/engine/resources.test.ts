// Tests for Signal, Server and Store: one-shot semantics, FIFO service, capacity, blocking and statistics.
import { describe, expect, it } from 'vitest';
import { Server, Signal, SimulationStalledError, Simulator, Store, wait } from '../../src/engine/index.ts';

describe('Signal', () => {
  it('wakes every waiter with the value, in waiting order', () => {
    const sim = new Simulator();
    const sig = new Signal<string>(sim, 'go');
    const log: string[] = [];
    for (const name of ['p1', 'p2', 'p3']) {
      sim.process(name, (function* () { log.push(`${name}:${yield* wait(sig)}@${sim.now}`); })());
    }
    sim.schedule(9, () => sig.trigger('v'));
    expect(sig.triggered).toBe(false);
    expect(sig.value).toBeUndefined();
    sim.run();
    expect(log).toEqual(['p1:v@9', 'p2:v@9', 'p3:v@9']);
    expect(sig.triggered).toBe(true);
    expect(sig.value).toBe('v');
    expect(sig.triggeredAt).toBe(9);
  });

  it('throws on a second trigger, naming the signal and both times', () => {
    const sim = new Simulator();
    const sig = new Signal(sim, 'a2a-done[layer 2]');
    sim.schedule(3, () => sig.trigger());
    sim.schedule(8, () => sig.trigger());
    expect(() => sim.run()).toThrow(/signal "a2a-done\[layer 2\]" triggered twice: first at t=3 ns, again at t=8 ns/);
  });
});

describe('Server', () => {
  it('serves requests first come, first served, within capacity', () => {
    const sim = new Simulator();
    const link = new Server(sim, 'hccs-link', 2);
    const log: string[] = [];
    const job = (name: string, arrive: number, hold: number) =>
      sim.process(name, (function* () {
        yield sim.timeout(arrive);
        yield link.acquire();
        log.push(`${name} start@${sim.now}`);
        expect(link.inUse).toBeLessThanOrEqual(2);
        yield sim.timeout(hold);
        link.release();
      })());
    job('a', 0, 10);
    job('b', 1, 10);
    job('c', 2, 10);
    job('d', 3, 1);
    job('e', 4, 1);
    sim.run();
    expect(log).toEqual(['a start@0', 'b start@1', 'c start@10', 'd start@11', 'e start@12']);
    expect(link.inUse).toBe(0);
    expect(link.queueLength).toBe(0);
  });

  it('tracks busy units over time and waiting times', () => {
    const sim = new Simulator();
    const dma = new Server(sim, 'dma', 2);
    sim.process('x', (function* () { yield dma.acquire(); yield sim.timeout(100); dma.release(); })());
    sim.process('y', (function* () { yield dma.acquire(); yield sim.timeout(50); dma.release(); })());
    sim.process('z', (function* () { yield sim.timeout(10); yield dma.acquire(); yield sim.timeout(90); dma.release(); })());
    sim.run();
    // Busy: 2 units on [0,50), 2 on [50,100) (z took y's unit at 50), 1 on [100,140).
    expect(sim.now).toBe(140);
    expect(dma.busyUnits.integral(140)).toBe(2 * 100 + 1 * 40);
    expect(dma.utilisation()).toBeCloseTo(240 / 140 / 2, 12);
    expect(dma.busyUnits.max).toBe(2);
    expect(dma.waitTime.count).toBe(3);
    expect(dma.waitTime.max).toBe(40);
  });

  it('describes itself for stall reports', () => {
    const sim = new Simulator();
    const link = new Server(sim, 'hccs-link', 2);
    link.acquire();
    link.acquire();
    for (let i = 0; i < 5; i++) link.acquire();
    sim.process('blocked', (function* () { yield link.acquire(); })());
    let error: unknown;
    try {
      sim.run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SimulationStalledError);
    expect((error as SimulationStalledError).waiting[0]!.waitsFor).toBe('server "hccs-link" (capacity 2, 6 queued)');
  });

  it('throws on release without acquire and on a bad capacity', () => {
    const sim = new Simulator();
    expect(() => new Server(sim, 'link', 1).release()).toThrow(/server "link": release\(\) with no unit held/);
    expect(() => new Server(sim, 'link', 0)).toThrow(/capacity must be a positive integer/);
    expect(() => new Server(sim, 'link', 1.5)).toThrow(/capacity/);
  });
});

describe('Store', () => {
  it('get blocks while empty and receives items in FIFO order', () => {
    const sim = new Simulator();
    const queue = new Store<string>(sim, 'micro-batches');
    const got: string[] = [];
    sim.process('consumer', (function* () {
      for (let i = 0; i < 3; i++) got.push(`${yield* wait(queue.get())}@${sim.now}`);
    })());
    sim.process('producer', (function* () {
      yield sim.timeout(5);
      yield queue.put('mb0');
      yield queue.put('mb1');
      yield sim.timeout(5);
      yield queue.put('mb2');
    })());
    sim.run();
    expect(got).toEqual(['mb0@5', 'mb1@5', 'mb2@10']);
    expect(queue.size).toBe(0);
  });

  it('put blocks while full and resumes when space frees', () => {
    const sim = new Simulator();
    const buffer = new Store<number>(sim, 'buffer', 2);
    const putTimes: number[] = [];
    sim.process('producer', (function* () {
      for (let i = 0; i < 4; i++) {
        yield buffer.put(i);
        putTimes.push(sim.now);
      }
    })());
    const taken: number[] = [];
    sim.process('consumer', (function* () {
      yield sim.timeout(100);
      for (let i = 0; i < 4; i++) {
        taken.push(yield* wait(buffer.get()));
        yield sim.timeout(10);
      }
    })());
    sim.run();
    expect(putTimes).toEqual([0, 0, 100, 110]);
    expect(taken).toEqual([0, 1, 2, 3]);
    expect(buffer.occupancy.max).toBe(2);
  });

  it('reports blocked getters and putters in a stall', () => {
    const sim = new Simulator();
    const empty = new Store<number>(sim, 'q');
    const full = new Store<number>(sim, 'full', 1);
    full.put(1);
    sim.process('reader', (function* () { yield empty.get(); })());
    sim.process('writer', (function* () { yield full.put(2); })());
    expect(() => sim.run()).toThrow(/"reader" waits for store "q" get\n {2}- "writer" waits for store "full" put/);
    expect(empty.waitingGetters).toBe(1);
    expect(full.waitingPutters).toBe(1);
  });

  it('rejects a bad capacity', () => {
    expect(() => new Store(new Simulator(), 's', 0)).toThrow(/capacity/);
  });
});
