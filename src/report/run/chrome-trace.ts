// trace.json in the Chrome/Perfetto trace-event format: a process per server, and per device three tracks:
// compute, communication the device waits in (waiting for slower peers and pipeline neighbours is shown there too),
// and background communication (gradient reduction overlapped with backward). A last process, "links", holds one
// counter track per busy link (the busiest TIMELINE_LINKS by bytes, their rate in GB/s over time, downsampled to
// at most TIMELINE_BUCKETS bucket means; the metadata says how many links were kept out of how many).
import type { RunResult } from '../../sim/index.ts';

interface TraceEvent {
  name: string;
  ph: 'X' | 'M' | 'C';
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  args?: Record<string, unknown>;
}

/** Tracks per device: compute, comm, background comm. */
const TRACKS = 3;

/** Trace timestamps are microseconds; engine time is integer nanoseconds. */
const nsToUs = (ns: number): number => ns / 1000;

export function chromeTrace(result: RunResult): { traceEvents: TraceEvent[]; displayTimeUnit: 'ns'; metadata: Record<string, unknown> } {
  const events: TraceEvent[] = [];
  const servers = [...new Set(result.serverOfDevice)].sort((a, b) => a - b);
  for (const s of servers) {
    events.push({ name: 'process_name', ph: 'M', pid: s, tid: 0, args: { name: `server ${s}` } });
    events.push({ name: 'process_sort_index', ph: 'M', pid: s, tid: 0, args: { sort_index: s } });
  }
  result.serverOfDevice.forEach((server, d) => {
    const label = result.summary.cluster.chip;
    const tracks = [`device ${d} (${label}) compute`, `device ${d} comm`, `device ${d} background comm`];
    tracks.forEach((name, k) => {
      events.push({ name: 'thread_name', ph: 'M', pid: server, tid: TRACKS * d + k, args: { name } });
      events.push({ name: 'thread_sort_index', ph: 'M', pid: server, tid: TRACKS * d + k, args: { sort_index: TRACKS * d + k } });
    });
  });
  for (const span of result.spans) {
    events.push({
      name: span.name,
      ph: 'X',
      pid: result.serverOfDevice[span.device] ?? 0,
      tid: TRACKS * span.device + (span.kind === 'compute' ? 0 : span.kind === 'async-comm' ? 2 : 1),
      ts: nsToUs(span.startNs),
      dur: nsToUs(span.endNs - span.startNs),
      cat: `${span.kind},${span.category}`,
      ...(span.pass !== undefined ? { args: { pass: span.pass } } : {}),
    });
  }
  const links = linkCounters(result, servers.length > 0 ? servers[servers.length - 1]! + 1 : 0);
  events.push(...links.events);
  return {
    traceEvents: events,
    displayTimeUnit: 'ns',
    metadata: { scenario: result.summary.scenario, router: result.summary.router, seed: result.summary.seed, ...(links.metadata ? { linkTracks: links.metadata } : {}) },
  };
}

/** Counter name's argument: each link's track shows its rate in GB/s (10^9 bytes/s). */
const RATE_KEY = 'GB/s';

/** The "links" process: one counter track per kept link, points in time order, ending with an explicit 0. */
function linkCounters(result: RunResult, pid: number): { events: TraceEvent[]; metadata?: Record<string, unknown> } {
  const timeline = result.linkTimeline;
  if (timeline === undefined || timeline.linksWithTraffic === 0) return { events: [] };
  const events: TraceEvent[] = [
    { name: 'process_name', ph: 'M', pid, tid: 0, args: { name: 'links' } },
    { name: 'process_sort_index', ph: 'M', pid, tid: 0, args: { sort_index: pid } },
  ];
  for (const link of timeline.links) {
    link.timesNs.forEach((t, i) => {
      const rate = link.bytesPerSecond[i]! / 1e9;
      events.push({ name: link.name, ph: 'C', pid, tid: 0, ts: nsToUs(t), args: { [RATE_KEY]: Number.isFinite(rate) ? rate : 0 } });
    });
  }
  return {
    events,
    metadata: {
      kept: timeline.links.length,
      linksWithTraffic: timeline.linksWithTraffic,
      selection: `the ${timeline.links.length} links that carried the most bytes, of ${timeline.linksWithTraffic} that carried any`,
      rate: `${RATE_KEY}, mean over buckets of ${nsToUs(timeline.bucketNs)} µs`,
    },
  };
}
