// The scaling curves of a sweep's report: which x axis to draw (the device count when the sweep changes it, else
// the first numeric swept key), which lines (one per combination of the other swept keys, the best few when there
// are too many), and the two charts (tokens/s and MFU against that x). Pure: rows in, SVG text out.
import type { SweepHeader, SweepRow } from '../../studies/index.ts';
import { lineSeries } from '../charts/index.ts';
import type { LineSeriesItem } from '../charts/index.ts';

/** Most lines a scaling chart draws; with more combinations the best (by peak tokens/s) are kept. */
export const MAX_SCALING_SERIES = 8;

interface OkRow { row: SweepRow; tokensPerSecond: number; mfu: number; devices: number }

export interface ScalingSeries {
  name: string;
  /** Sorted by x, then point. */
  points: { x: number; point: number; tokensPerSecond: number; mfu: number }[];
}

export interface SweepScaling {
  /** 'devices', or the swept key drawn on x. */
  x: string;
  xLabel: string;
  /** The swept keys that tell the lines apart (empty: one line). */
  seriesKeys: string[];
  /** The lines drawn, in point order of their first point. */
  series: ScalingSeries[];
  /** How many combinations there were before keeping the best MAX_SCALING_SERIES. */
  combinations: number;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const valueText = (v: unknown): string => (v === null || v === undefined ? 'null' : String(v));

function okRows(rows: readonly SweepRow[]): OkRow[] {
  const out: OkRow[] = [];
  for (const row of rows) {
    if (row.status === 'ok' && isNumber(row.tokensPerSecond) && isNumber(row.mfu) && isNumber(row.devices)) out.push({ row, tokensPerSecond: row.tokensPerSecond, mfu: row.mfu, devices: row.devices });
  }
  return out;
}

/** Axes whose value changes the device count with every other axis held fixed (cluster.servers, zipped with dp). */
function deviceAxes(sweep: SweepHeader, ok: readonly OkRow[]): number[] {
  return sweep.axes.flatMap((axis, a) => {
    const others = sweep.axes.flatMap((o, j) => (j === a ? [] : o.keys));
    const devicesByRest = new Map<string, Set<number>>();
    for (const r of ok) {
      const rest = JSON.stringify(others.map((k) => r.row.values[k] ?? null));
      devicesByRest.set(rest, (devicesByRest.get(rest) ?? new Set()).add(r.devices));
    }
    return [...devicesByRest.values()].some((d) => d.size > 1) && axis.keys.length > 0 ? [a] : [];
  });
}

/** Short key names for legends: the last path segment (router.name → router), unless two keys share it. */
function shortNames(keys: readonly string[]): Map<string, string> {
  const last = (k: string): string => {
    const parts = k.split('.');
    const tail = parts[parts.length - 1] as string;
    return tail === 'name' && parts.length > 1 ? (parts[parts.length - 2] as string) : tail;
  };
  return new Map(keys.map((k) => [k, keys.filter((o) => last(o) === last(k)).length > 1 ? k : last(k)]));
}

/**
 * Pick the x axis and the lines. x is the device count when some swept axis changes it; otherwise the first swept
 * key whose values are numbers and differ between ok points; otherwise there is nothing to draw (a reason instead).
 */
export function sweepScaling(sweep: SweepHeader, rows: readonly SweepRow[]): SweepScaling | { skipped: string } {
  const ok = okRows(rows);
  if (ok.length < 2) return { skipped: `no scaling chart: ${ok.length === 0 ? 'no point' : 'only one point'} ran successfully` };
  const devAxes = deviceAxes(sweep, ok);
  let x: string;
  let xOf: (r: OkRow) => number;
  let xAxes: number[];
  if (devAxes.length > 0) {
    x = 'devices';
    xOf = (r) => r.devices;
    xAxes = devAxes;
  } else {
    const found = sweep.axes.flatMap((axis, a) => axis.keys.map((key) => ({ a, key })))
      .find(({ key }) => ok.every((r) => isNumber(r.row.values[key])) && new Set(ok.map((r) => r.row.values[key])).size > 1);
    if (!found) return { skipped: 'no scaling chart: the device count is the same at every point and no swept key takes two or more numeric values' };
    x = found.key;
    xOf = (r) => Number(r.row.values[found.key]);
    xAxes = [found.a];
  }
  const seriesKeys = sweep.axes.flatMap((axis, a) => (xAxes.includes(a) ? [] : axis.keys));
  const names = shortNames(seriesKeys);
  const groups = new Map<string, ScalingSeries>();
  for (const r of ok) {
    const name = seriesKeys.length === 0 ? sweep.scenario : seriesKeys.map((k) => `${names.get(k)}=${valueText(r.row.values[k])}`).join(', ');
    const s = groups.get(name) ?? { name, points: [] };
    s.points.push({ x: xOf(r), point: r.row.point, tokensPerSecond: r.tokensPerSecond, mfu: r.mfu });
    groups.set(name, s);
  }
  const all = [...groups.values()];
  for (const s of all) s.points.sort((p, q) => p.x - q.x || p.point - q.point);
  const peak = (s: ScalingSeries): number => Math.max(...s.points.map((p) => p.tokensPerSecond));
  const kept = new Set([...all].sort((p, q) => peak(q) - peak(p) || (p.points[0]?.point ?? 0) - (q.points[0]?.point ?? 0)).slice(0, MAX_SCALING_SERIES));
  return { x, xLabel: x === 'devices' ? 'Devices' : x, seriesKeys, series: all.filter((s) => kept.has(s)), combinations: all.length };
}

/** The subtitle line both charts share: what the lines are, and whether some were left out. */
function linesText(s: SweepScaling): string {
  const what = s.seriesKeys.length === 0 ? 'every successful point' : `one line per ${s.seriesKeys.join(' × ')}`;
  const cut = s.combinations > s.series.length ? `; the ${s.series.length} best of ${s.combinations} by peak tokens/s` : '';
  return `${what}${cut}`;
}

/** The two scaling charts by file stem: tokens/s and MFU against x. */
export function sweepScalingCharts(sweep: SweepHeader, s: SweepScaling): { name: string; svg: string }[] {
  const xs = s.series.flatMap((l) => l.points.map((p) => p.x));
  // Device counts spanning 4× or more read best on a log-2 axis (32, 64, 128 evenly spaced).
  const logX = s.x === 'devices' && Math.min(...xs) > 0 && Math.max(...xs) / Math.min(...xs) >= 4;
  const lines = (pick: (p: ScalingSeries['points'][number]) => number): LineSeriesItem[] => s.series.map((l) => ({ name: l.name, points: l.points.map((p) => ({ x: p.x, y: pick(p) })) }));
  const against = s.x === 'devices' ? 'devices' : s.x;
  const common = { xLabel: s.xLabel, xUnit: '', logX, markers: true as const, subtitle: `${sweep.scenario}: ${linesText(s)}` };
  return [
    { name: 'tokens-per-second', svg: lineSeries(lines((p) => p.tokensPerSecond), { ...common, title: `Throughput against ${against}`, yLabel: 'Throughput', yUnit: 'tokens/s' }) },
    { name: 'mfu', svg: lineSeries(lines((p) => p.mfu), { ...common, title: `MFU against ${against}`, yLabel: 'MFU', yUnit: '%' }) },
  ];
}
