// trace.json in the Chrome/Perfetto trace-event format: a process per server, and per device one track for
// compute and one for communication (waiting for slower peers is shown on the communication track).
import type { RunResult } from '../sim/index.ts';

interface TraceEvent {
  name: string;
  ph: 'X' | 'M';
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  args?: Record<string, unknown>;
}

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
    events.push({ name: 'thread_name', ph: 'M', pid: server, tid: 2 * d, args: { name: `device ${d} (${label}) compute` } });
    events.push({ name: 'thread_name', ph: 'M', pid: server, tid: 2 * d + 1, args: { name: `device ${d} comm` } });
    events.push({ name: 'thread_sort_index', ph: 'M', pid: server, tid: 2 * d, args: { sort_index: 2 * d } });
    events.push({ name: 'thread_sort_index', ph: 'M', pid: server, tid: 2 * d + 1, args: { sort_index: 2 * d + 1 } });
  });
  for (const span of result.spans) {
    events.push({
      name: span.name,
      ph: 'X',
      pid: result.serverOfDevice[span.device] ?? 0,
      tid: 2 * span.device + (span.kind === 'compute' ? 0 : 1),
      ts: nsToUs(span.startNs),
      dur: nsToUs(span.endNs - span.startNs),
      cat: `${span.kind},${span.category}`,
    });
  }
  return {
    traceEvents: events,
    displayTimeUnit: 'ns',
    metadata: { scenario: result.summary.scenario, router: result.summary.router, seed: result.summary.seed },
  };
}
