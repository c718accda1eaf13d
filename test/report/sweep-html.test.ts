// The sweep report's index.html: the scaling curves pick devices for x when an axis changes the device count
// (lines per combination of the other swept keys), fall back to the first numeric swept key or skip with a note,
// keep the best MAX_SCALING_SERIES lines when there are more, list failed points, and are deterministic.
import { describe, expect, it } from 'vitest';
import { MAX_SCALING_SERIES, sweepCharts, sweepHtmlReport, sweepScaling } from '../../src/report/index.ts';
import type { SweepHeader, SweepRow } from '../../src/studies/index.ts';

function header(axes: SweepHeader['axes']): SweepHeader {
  return { scenario: 'demo', fingerprint: 'f'.repeat(64), points: axes.reduce((n, a) => n * a.values.length, 1), axes };
}

/** Rows of the cartesian product (first axis slowest); `metrics` gives each point's tokens/s and devices, or an error. */
function rows(sweep: SweepHeader, metrics: (v: Record<string, unknown>) => { tps: number; devices: number } | string): SweepRow[] {
  let combos: Record<string, unknown>[] = [{}];
  for (const a of sweep.axes) combos = combos.flatMap((c) => a.values.map((vals) => ({ ...c, ...Object.fromEntries(a.keys.map((k, i) => [k, vals[i]])) })));
  return combos.map((values, point) => {
    const m = metrics(values);
    const base = { point, values, allToAllIntraServerBytes: 0, allToAllInterServerBytes: 0, exposedAllToAll_s: 0, maxOverMeanExpertLoad: 1.2, droppedFraction: 0.01, peakMemoryBytes: 2 ** 34, memoryFits: true };
    if (typeof m === 'string') {
      return { ...base, status: 'error', error: m, stepTime_s: null, tokensPerSecond: null, mfu: null, maxOverMeanExpertLoad: null, droppedFraction: null, allToAllIntraServerBytes: null, allToAllInterServerBytes: null, exposedAllToAll_s: null, peakMemoryBytes: null, memoryFits: null, devices: null };
    }
    return { ...base, status: 'ok', error: null, stepTime_s: 1e6 / m.tps, tokensPerSecond: m.tps, mfu: m.tps / (m.devices * 1e4), devices: m.devices };
  });
}

const sizeAxis = { keys: ['cluster.servers', 'parallelism.dp'], values: [[4, 2], [8, 4], [16, 8]] };
const routerAxis = { keys: ['router.name'], values: [['switch'], ['gshard']] };
const cfAxis = { keys: ['router.capacityFactor'], values: [[1], [2]] };

describe('sweep scaling curves', () => {
  it('draws devices on x with one line per combination of the other keys, sorted by devices', () => {
    const sweep = header([sizeAxis, routerAxis, cfAxis]);
    const r = rows(sweep, (v) => ({ tps: (v['cluster.servers'] as number) * (v['router.name'] === 'switch' ? 1000 : 700) / (v['router.capacityFactor'] as number), devices: (v['cluster.servers'] as number) * 8 }));
    const s = sweepScaling(sweep, r);
    if ('skipped' in s) throw new Error(s.skipped);
    expect(s.x).toBe('devices');
    expect(s.seriesKeys).toEqual(['router.name', 'router.capacityFactor']);
    expect(s.series.map((l) => l.name)).toEqual(['router=switch, capacityFactor=1', 'router=switch, capacityFactor=2', 'router=gshard, capacityFactor=1', 'router=gshard, capacityFactor=2']);
    expect(s.series[2]?.points.map((p) => [p.x, p.tokensPerSecond])).toEqual([[32, 2800], [64, 5600], [128, 11200]]);
    const { charts } = sweepCharts(sweep, r);
    expect(charts.map((c) => c.name)).toEqual(['tokens-per-second', 'mfu']);
    expect(charts[0]?.svg).toContain('Throughput (tokens/s)');
    expect(charts[1]?.svg).toContain('MFU (%)');
    expect(charts[0]?.svg).toContain('Devices');
  });

  it('falls back to the first numeric swept key when the device count never changes, and skips with a note when none is numeric', () => {
    const sweep = header([routerAxis, cfAxis]);
    const r = rows(sweep, (v) => ({ tps: 100 * (v['router.capacityFactor'] as number), devices: 16 }));
    const s = sweepScaling(sweep, r);
    if ('skipped' in s) throw new Error(s.skipped);
    expect([s.x, s.seriesKeys, s.series.length]).toEqual(['router.capacityFactor', ['router.name'], 2]);
    const only = header([routerAxis]);
    const skipped = sweepCharts(only, rows(only, () => ({ tps: 1, devices: 16 })));
    expect(skipped.charts).toEqual([]);
    expect(skipped.note).toMatch(/no swept key takes two or more numeric values/);
    expect(sweepHtmlReport(only, rows(only, () => ({ tps: 1, devices: 16 })), skipped)).toContain('no scaling chart');
  });

  it(`keeps the ${MAX_SCALING_SERIES} best lines by peak tokens/s and says so`, () => {
    const many = { keys: ['router.capacityFactor'], values: Array.from({ length: 12 }, (_, i) => [1 + i / 4]) };
    const sweep = header([sizeAxis, many]);
    const r = rows(sweep, (v) => ({ tps: (v['cluster.servers'] as number) * (v['router.capacityFactor'] as number), devices: (v['cluster.servers'] as number) * 8 }));
    const s = sweepScaling(sweep, r);
    if ('skipped' in s) throw new Error(s.skipped);
    expect(s.combinations).toBe(12);
    expect(s.series.map((l) => l.name)).toEqual([2, 2.25, 2.5, 2.75, 3, 3.25, 3.5, 3.75].map((cf) => `capacityFactor=${cf}`));
    expect(sweepCharts(sweep, r).charts[0]?.svg).toContain(`the ${MAX_SCALING_SERIES} best of 12 by peak tokens/s`);
  });

  it('lists failed points with their message, and writes the same bytes for the same rows', () => {
    const sweep = header([sizeAxis, routerAxis]);
    const r = rows(sweep, (v) => (v['cluster.servers'] === 8 && v['router.name'] === 'gshard' ? 'parallelism: dp <7> does not divide' : { tps: 10 * (v['cluster.servers'] as number), devices: 8 * (v['cluster.servers'] as number) }));
    const html = sweepHtmlReport(sweep, r, sweepCharts(sweep, r));
    expect(html).toMatch(/<h2>Failed points<\/h2>\n<table class="grid">[^]*<td class="n">3<\/td><td>cluster\.servers=8, parallelism\.dp=4, router\.name=gshard<\/td><td>parallelism: dp &lt;7&gt; does not divide<\/td>/);
    expect(html).toContain('(5 ok, 1 error)');
    expect(html.match(/<svg/g)).toHaveLength(2);
    expect(html).not.toMatch(/<script|src="http|href="http/);
    const again = rows(sweep, (v) => (v['cluster.servers'] === 8 && v['router.name'] === 'gshard' ? 'parallelism: dp <7> does not divide' : { tps: 10 * (v['cluster.servers'] as number), devices: 8 * (v['cluster.servers'] as number) }));
    expect(sweepHtmlReport(sweep, again, sweepCharts(sweep, again))).toBe(html);
  });
});
