// Fits one kind of memory-bound kernel to Vidur's measured times (the fit-set models): the fixedNs and
// bandwidthEfficiency of time = max(fixedNs · launches, bytes / (HBM × bandwidthEfficiency)) (memory-ops.ts) that
// minimise the squared log error of the predicted times, so a small kernel's error weighs as much as a large
// one's. The objective is not smooth (the max), so the search is a grid in (log fixedNs, log efficiency), refined
// around the best point six times; deterministic. The result is rounded as the catalog stores it: fixedNs to a
// whole ns, the efficiency to 4 significant digits.
import type { MemoryOpEfficiency } from './memory-op-kinds.ts';
import type { VidurMemoryOp } from './vidur-op-shapes.ts';

export interface MemoryOpFit extends MemoryOpEfficiency {
  /** Measured ops fitted. */
  observations: number;
}

const FIXED_RANGE_NS: [number, number] = [100, 100_000];
const EFFICIENCY_RANGE: [number, number] = [0.01, 2];
const COARSE = 40;
const FINE = 20;
const REFINEMENTS = 6;

/** The least-squares (in log time) floor and bandwidth efficiency of `ops` on a chip of `hbmBandwidth` bytes/s. */
export function fitMemoryOp(ops: readonly VidurMemoryOp[], hbmBandwidth: number): MemoryOpFit {
  if (ops.length === 0) throw new Error('fitMemoryOp: no measured ops');
  const logStream = Float64Array.from(ops, (o) => Math.log((o.bytes / hbmBandwidth) * 1e9));
  const logLaunches = Float64Array.from(ops, (o) => Math.log(o.launches));
  const logTime = Float64Array.from(ops, (o) => Math.log(o.timeNs));
  /** Σ (log predicted − log measured)² at log fixedNs = lf and log efficiency = le. */
  const cost = (lf: number, le: number): number => {
    let sum = 0;
    for (let i = 0; i < logTime.length; i++) {
      const predicted = Math.max(lf + logLaunches[i]!, logStream[i]! - le);
      sum += (predicted - logTime[i]!) ** 2;
    }
    return sum;
  };
  let [fLow, fHigh] = FIXED_RANGE_NS.map(Math.log) as [number, number];
  let [eLow, eHigh] = EFFICIENCY_RANGE.map(Math.log) as [number, number];
  let best = { lf: fLow, le: eLow, cost: Infinity };
  for (let round = 0; round <= REFINEMENTS; round++) {
    const steps = round === 0 ? COARSE : FINE;
    const fStep = (fHigh - fLow) / steps;
    const eStep = (eHigh - eLow) / steps;
    for (let a = 0; a <= steps; a++) {
      for (let b = 0; b <= steps; b++) {
        const lf = fLow + a * fStep;
        const le = eLow + b * eStep;
        const c = cost(lf, le);
        if (c < best.cost) best = { lf, le, cost: c };
      }
    }
    [fLow, fHigh] = [best.lf - fStep, best.lf + fStep];
    [eLow, eHigh] = [best.le - eStep, best.le + eStep];
  }
  return { fixedNs: Math.round(Math.exp(best.lf)), bandwidthEfficiency: Number(Math.exp(best.le).toPrecision(4)), observations: ops.length };
}
