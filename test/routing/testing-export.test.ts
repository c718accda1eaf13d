// The package's `moesim/testing` entry point: users check their own routers with checkRouterInvariants.
import { beforeAll, describe, expect, it } from 'vitest';
import { checkRouterInvariants } from 'moesim/testing';
import type { Router, RouterContext } from 'moesim/testing';
import { createRouter, initTfBackend } from '../../src/routing/index.ts';

/** A user's router: top-1 by the first feature's sign, with a capacity it does not respect when `broken`. */
function userRouter(broken: boolean) {
  return (ctx: RouterContext): Router => ({
    name: 'user', params: {},
    route(input, layer, microBatch) {
      const inner = createRouter('switch', { capacityFactor: 1000 }, ctx).route(input, layer, microBatch);
      return broken ? { ...inner, capacity: 1 } : inner;
    },
  });
}

describe('moesim/testing', () => {
  beforeAll(async () => {
    await initTfBackend('wasm');
  });

  it('passes a well-behaved router given as a plain factory', () => {
    expect(() => checkRouterInvariants(userRouter(false), { numRuns: 10, seed: 3 })).not.toThrow();
  });

  it('fails a broken router with the invariant, the problem and a shrunk counterexample', () => {
    let message = '';
    try {
      checkRouterInvariants(userRouter(true), { numRuns: 20, seed: 4 });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/router invariant failed: decisions are valid/);
    expect(message).toMatch(/over capacity 1/);
    expect(message).toMatch(/Counterexample: \[\{"seed":\d+,"groups":\d,"groupSize":\d+/);
    expect(message).toMatch(/Shrunk \d+ time/);
  });
});
