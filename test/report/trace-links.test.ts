// trace.json's link tracks: a "links" process with one counter track per kept link (at most TIMELINE_LINKS, the
// busiest by bytes, said in the metadata), points in time order with finite GB/s values ending at 0, whose rate ×
// duration adds up to the link's bytes in links.csv, on both network models; and the same bytes for the same run.
import { describe, expect, it } from 'vitest';
import { chromeTrace, toJsonText } from '../../src/report/index.ts';
import { TIMELINE_BUCKETS, TIMELINE_LINKS, resolveScenario, runScenario, validateScenarioObject } from '../../src/sim/index.ts';
import type { RunResult } from '../../src/sim/index.ts';

interface Event { name: string; ph: string; pid: number; tid: number; ts?: number; args?: Record<string, unknown> }

function scenario(network: 'analytical' | 'flow', trace = true): unknown {
  return {
    version: 1, name: 'trace-links', seed: 5,
    cluster: { preset: 'atlas-800t-a2', servers: 2, network },
    model: { preset: 'tiny-moe', overrides: { seqLength: 128 } },
    parallelism: { tp: 2, pp: 2, dp: 4, ep: 4, microBatchSize: 1, globalBatch: 8 },
    router: { name: 'gshard', capacityFactor: 1.25 },
    tokens: { source: 'synthetic', clusters: 16, zipfExponent: 1, spread: 1, layerDrift: 0.5 },
    output: { trace },
  };
}

const run = async (s: unknown): Promise<RunResult> => runScenario(resolveScenario(validateScenarioObject(s, 'test')));

describe.each(['analytical', 'flow'] as const)('link tracks in trace.json (%s network)', (network) => {
  it('parse, are capped, ordered, finite, end at 0 and integrate to each link\'s bytes', async () => {
    const r = await run(scenario(network));
    const text = toJsonText(chromeTrace(r), false);
    const trace = JSON.parse(text) as { traceEvents: Event[]; metadata: { linkTracks: { kept: number; linksWithTraffic: number } } };
    const links = trace.traceEvents.find((e) => e.ph === 'M' && e.name === 'process_name' && e.args?.name === 'links');
    expect(links).toBeDefined();
    const pid = (links as Event).pid;
    expect(trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'process_name' && e.pid === pid)).toHaveLength(1);
    const counters = trace.traceEvents.filter((e) => e.ph === 'C');
    expect(counters.every((e) => e.pid === pid)).toBe(true);
    const tracks = new Map<string, Event[]>();
    for (const e of counters) tracks.set(e.name, [...(tracks.get(e.name) ?? []), e]);
    expect(r.links.length).toBeGreaterThan(TIMELINE_LINKS); // the cap really binds here
    expect(tracks.size).toBe(TIMELINE_LINKS);
    expect(trace.metadata.linkTracks).toMatchObject({ kept: TIMELINE_LINKS, linksWithTraffic: r.links.length });
    // The kept links are the busiest ones.
    expect([...tracks.keys()].sort()).toEqual(r.links.slice(0, TIMELINE_LINKS).map((l) => l.name).sort());
    const bytesOf = new Map(r.links.map((l) => [l.name, l.bytes]));
    for (const [name, events] of tracks) {
      expect(events.length).toBeLessThanOrEqual(TIMELINE_BUCKETS + 1);
      let bytes = 0;
      events.forEach((e, i) => {
        const value = e.args?.['GB/s'] as number;
        expect(Number.isFinite(value) && value >= 0, name).toBe(true);
        expect(Number.isFinite(e.ts)).toBe(true);
        const next = events[i + 1];
        if (next === undefined) return;
        expect(next.ts as number).toBeGreaterThan(e.ts as number);
        bytes += value * 1e9 * ((next.ts as number) - (e.ts as number)) * 1e-6;
      });
      expect(events[events.length - 1]?.args?.['GB/s']).toBe(0);
      const expected = bytesOf.get(name) as number;
      expect(expected).toBeGreaterThan(0);
      expect(Math.abs(bytes - expected) / expected, name).toBeLessThan(0.01);
    }
    // Deterministic: the same scenario gives the same bytes.
    expect(toJsonText(chromeTrace(await run(scenario(network))), false)).toBe(text);
  }, 120_000);
});

describe('link tracks without a trace', () => {
  it('are not kept in the run result when the scenario writes no trace', async () => {
    const r = await run(scenario('analytical', false));
    expect(r.linkTimeline).toBeUndefined();
    expect(chromeTrace(r).traceEvents.some((e) => e.ph === 'C')).toBe(false);
  }, 120_000);
});
