// The traffic matrix of a run: its bins (devices up to 64, then servers, then groups of servers), its total equal to
// commBytes.total (every transfer of every collective), its diagonal equal to the intra-server bytes when binned by
// server, and its shape following the routing (skewed routing concentrates the all-to-all on the hot experts' devices).
import { describe, expect, it } from 'vitest';
import { resolveScenario, runScenario, trafficBins, validateScenarioObject } from '../../src/sim/index.ts';
import type { RunResult, TrafficMatrix } from '../../src/sim/index.ts';
import { buildCluster } from '../../src/topology/index.ts';

function scenario(over: { servers: number; tp?: number; pp?: number; dp: number; ep: number; seqLength?: number; microBatches?: number; tokens?: Record<string, unknown> }): unknown {
  const { servers, tp = 1, pp = 1, dp, ep, seqLength = 128, microBatches = 2 } = over;
  return {
    version: 1, name: 'traffic', seed: 3,
    cluster: { preset: 'atlas-800t-a2', servers, network: 'analytical' },
    model: { preset: 'tiny-moe', overrides: { seqLength } },
    parallelism: { tp, pp, dp, ep, microBatchSize: 1, globalBatch: dp * microBatches },
    router: { name: 'gshard', capacityFactor: 8, secondExpert: 'always' },
    tokens: { source: 'synthetic', clusters: 16, zipfExponent: 1, spread: 1, layerDrift: 0.5, ...over.tokens },
    output: { trace: false },
  };
}

const run = async (s: unknown): Promise<RunResult> => runScenario(resolveScenario(validateScenarioObject(s, 'test')));
const total = (t: TrafficMatrix): number => t.bytes.flat().reduce((a, b) => a + b, 0);
const diagonal = (t: TrafficMatrix): number => t.bytes.reduce((a, row, i) => a + (row[i] as number), 0);

describe('traffic bins', () => {
  it('are devices up to 64, servers up to 64, then runs of consecutive servers', () => {
    const small = trafficBins(buildCluster({ preset: 'atlas-800t-a2', servers: 8 }));
    expect(small.binLabel).toBe('device');
    expect(small.bins).toHaveLength(64);
    const mid = trafficBins(buildCluster({ preset: 'atlas-800t-a2', servers: 9 }));
    expect(mid.binLabel).toBe('server');
    expect(mid.bins).toHaveLength(9);
    expect(mid.binOf[71]).toBe(8);
    const big = trafficBins(buildCluster({ preset: 'atlas-800t-a2', servers: 130 }));
    expect(big.binLabel).toBe('server group');
    expect(big.bins).toHaveLength(44); // ⌈130 / 3⌉ groups of 3 servers
    expect(big.bins[0]).toBe('s0–s2');
    expect(big.bins[43]).toBe('s129');
    expect(big.binOf[8 * 129]).toBe(43);
  });
});

describe('the traffic matrix of a run', () => {
  it('sums to commBytes.total with TP, PP, DP and EP collectives (16 devices, per device)', async () => {
    const r = await run(scenario({ servers: 2, tp: 2, pp: 2, dp: 4, ep: 4 }));
    const t = r.traffic as TrafficMatrix;
    expect(t.binLabel).toBe('device');
    expect(t.bins).toHaveLength(16);
    expect(diagonal(t)).toBe(0); // a device sending to itself moves nothing
    for (const kind of ['tp', 'pp', 'ep-dispatch', 'dp-grad']) expect(r.summary.commBytesByCategory[kind]?.total ?? 0, kind).toBeGreaterThan(0);
    expect(total(t)).toBeGreaterThan(0);
    expect(Math.abs(total(t) - r.summary.commBytes.total)).toBeLessThanOrEqual(1e-9 * r.summary.commBytes.total);
    // Per device, the intra/inter split follows the servers (devices 0–7 on server 0).
    let inter = 0;
    t.bytes.forEach((row, i) => row.forEach((v, j) => { if ((i < 8) !== (j < 8)) inter += v; }));
    expect(Math.abs(inter - r.summary.commBytes.interServer)).toBeLessThanOrEqual(1e-9 * r.summary.commBytes.total);
  }, 120_000);

  it('binned by server (80 devices), the diagonal is the intra-server bytes and the rest the inter-server bytes', async () => {
    // EP groups of 16 span two servers: the all-to-alls are hierarchical (packed plans with staging hops).
    const r = await run(scenario({ servers: 10, dp: 80, ep: 16 }));
    expect(r.summary.collectiveAlgorithms['ep-dispatch']).toBe('hierarchical');
    const t = r.traffic as TrafficMatrix;
    expect(t.binLabel).toBe('server');
    expect(t.bins).toHaveLength(10);
    const c = r.summary.commBytes;
    expect(c.interServer).toBeGreaterThan(0);
    expect(Math.abs(diagonal(t) - c.intraServer)).toBeLessThanOrEqual(1e-9 * c.total);
    expect(Math.abs(total(t) - diagonal(t) - c.interServer)).toBeLessThanOrEqual(1e-9 * c.total);
  }, 120_000);

  it('follows the routing: skewed routing concentrates the bytes on the hot experts\' devices', async () => {
    // Long sequences so that the all-to-all outweighs the (routing-independent) gradient allreduce.
    const base = { servers: 1, dp: 8, ep: 8, seqLength: 1024, microBatches: 4 };
    const even = (await run(scenario(base))).traffic as TrafficMatrix;
    const skewed = (await run(scenario({ ...base, tokens: { clusters: 1, spread: 0.01 } }))).traffic as TrafficMatrix;
    expect(Math.abs(total(skewed) - total(even))).toBeLessThan(0.05 * total(even)); // about the same bytes, elsewhere
    // Largest over smallest pair of devices: even routing spreads the all-to-all over every pair; with every token
    // going to the same two experts, pairs with their devices carry it all and the other pairs only the allreduce.
    const spread = (t: TrafficMatrix): number => {
      const pairs = t.bytes.flatMap((row, i) => row.filter((_, j) => j !== i));
      return Math.max(...pairs) / Math.min(...pairs);
    };
    console.log(`bytes per device pair, max/min: even routing ${spread(even).toFixed(2)}, skewed ${spread(skewed).toFixed(2)}`);
    expect(spread(skewed)).toBeGreaterThan(1.5 * spread(even));
  }, 120_000);

  it('is not recorded when turned off, and recording it changes nothing else', async () => {
    const resolved = resolveScenario(validateScenarioObject(scenario({ servers: 2, tp: 2, pp: 2, dp: 4, ep: 4 }), 'test'));
    const off = await runScenario(resolved, { recordTraffic: false });
    expect(off.traffic).toBeUndefined();
    const on = await runScenario(resolved);
    expect(on.traffic).toBeDefined();
    expect(on.summary).toEqual(off.summary);
    expect(on.links).toEqual(off.links);
  }, 120_000);
});
