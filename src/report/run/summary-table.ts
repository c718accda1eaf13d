// The short summary table printed after a run.
import type { Summary } from '../../sim/index.ts';
import { formatBytes, formatCount, formatPercent, formatSeconds } from '../common/format-units.ts';

/** "21.7 ms compute (expert 9.1 ms), 15.6 ms communication (ep-dispatch 5.2 ms), ends on device 15". */
function criticalPathText(p: NonNullable<Summary['criticalPath']>): string {
  const total = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);
  const top = (r: Record<string, number>): string => {
    const [k, v] = Object.entries(r).sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
    return k ? ` (most: ${k} ${formatSeconds(v)})` : '';
  };
  return `${formatSeconds(total(p.compute))} compute${top(p.compute)}, ${formatSeconds(total(p.comm))} communication${top(p.comm)}, ends on device ${p.endDevice}`;
}

/** Mean device's kernel time by pass: "25.570 ms (forward 8.1 ms, backward 9.2 ms, wgrad 5.6 ms, optimizer 2.7 ms)". */
function computeText(b: Summary['breakdown_s']): string {
  const total = Object.values(b.compute).reduce((x, y) => x + y, 0);
  const passes = Object.entries(b.computeByPass ?? {}).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${formatSeconds(v)}`);
  return `${formatSeconds(total)}${passes.length > 0 ? ` (${passes.join(', ')})` : ''}`;
}

/** The mean device's four longest kernel categories: "expert 6.408 ms, lm-head 5.1 ms, …". */
function topKernelsText(b: Summary['breakdown_s']): string {
  return Object.entries(b.compute).sort((x, y) => y[1] - x[1]).slice(0, 4).map(([k, v]) => `${k} ${formatSeconds(v)}`).join(', ');
}

export function summaryTable(s: Summary): string {
  const mem = s.memory;
  const rows: [string, string][] = [
    ['scenario', s.scenario],
    ['cluster', `${s.cluster.servers} × ${s.cluster.preset} (${s.devices} × ${s.cluster.chip}), ${s.cluster.network} network`],
    ['model', `${s.model.name}, ${(s.model.totalParams / 1e9).toFixed(2)}B params (${(s.model.activeParamsPerToken / 1e9).toFixed(2)}B active)`],
    ['parallelism', `tp ${s.parallelism.tp} · pp ${s.parallelism.pp}${s.parallelism.vpp > 1 ? ` (vpp ${s.parallelism.vpp})` : ''} · dp ${s.parallelism.dp} · ep ${s.parallelism.ep}, ${s.parallelism.microBatches} micro-batches`],
    ['router', `${s.router} (${s.routing.backend}), ${formatCount(s.routing.decisionsComputed)} decisions computed`],
    ['step time', formatSeconds(s.stepTime_s)],
    ['tokens/s', formatCount(s.tokensPerSecond)],
    ['MFU', `${formatPercent(s.mfu)} model FLOPs, HFU ${formatPercent(s.hfu)} executed FLOPs (of the ${s.cluster.chip} BF16 peak)`],
    ['dropped', `${formatCount(s.droppedTokens)} of ${formatCount(s.proposedAssignments)} assignments (${formatPercent(s.droppedFraction, 2)})`],
    ['expert load', `max/mean ${s.maxOverMeanExpertLoad.toFixed(3)}`],
    ['compute', computeText(s.breakdown_s)],
    ['top kernels', topKernelsText(s.breakdown_s)],
    ['communication', `${formatBytes(s.commBytes.total)} (intra-server ${formatBytes(s.commBytes.intraServer)}, inter-server ${formatBytes(s.commBytes.interServer)})`],
    ['exposed comm', formatSeconds(Object.values(s.breakdown_s.exposedComm).reduce((a, b) => a + b, 0))],
    ['imbalance wait', formatSeconds(s.breakdown_s.imbalanceWait)],
    ...(s.breakdown_s.overlapSlowdown > 0 ? [['overlap slowdown', `${formatSeconds(s.breakdown_s.overlapSlowdown)} (kernels beside background collectives)`] as [string, string]] : []),
    ...(s.parallelism.pp > 1 ? [['pipeline bubble', formatSeconds(s.breakdown_s.pipelineBubble)] as [string, string]] : []),
    ...(s.criticalPath ? [['critical path', criticalPathText(s.criticalPath)] as [string, string]] : []),
    ['peak memory', `${formatBytes(s.peakMemoryBytes)} of ${formatBytes(mem.hbmBytes)} on device ${mem.device}, ${formatBytes(mem.reserveBytes)} kept for the framework${mem.verdict ? `: ${mem.verdict}` : ''}`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}
