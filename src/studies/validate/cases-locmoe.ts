// LocMoE (arXiv 2401.13920) cases: a PanGu-Σ-like model with 16 experts on 910A clusters of 32 to 256 NPUs under
// Hash, Switch and LocMoE routing (ROUTERS.md, "LocMoE: claims to reproduce"). Each size is one experiment
// (scenarios/papers/locmoe-910a-N.yaml run under the three routers).
import { allToAllShare, idleExpertShare, speedup, summaryOf, timeReduction } from './case-measures.ts';
import type { Experiment, KnownGap, ValidationCase } from './validation-types.ts';

const PAPER = 'LocMoE';
const SOURCE = 'arXiv 2401.13920 (ROUTERS.md, LocMoE claims)';
const SIZES = [32, 64, 128, 256] as const;
const experimentOf = (npus: number): string => `locmoe-910a-${npus}`;

export const LOCMOE_EXPERIMENTS: Experiment[] = SIZES.map((n) => ({ id: experimentOf(n), scenario: `scenarios/papers/${experimentOf(n)}.yaml`, routers: 'hash,switch,locmoe' }));

const BASELINES = [['hash', 'Hash'], ['switch', 'Switch']] as const;

/**
 * Why LocMoE's published gains do not reproduce (docs/VALIDATION.md, "LocMoE"): with MP 8 read as TP 8, a server
 * is one model replica, so every expert-parallel peer is on another server and LocMoE's locality can only keep
 * tokens on the device's own expert rank (1 of 8 or 16); moesim's step is then mostly compute, and LocMoE's gain
 * is its smaller all-to-all alone. LocMoE's locality preference also leaves its experts less balanced than
 * Switch's (max/mean 2.2 against 1.5 at 64 NPUs), which costs it the step at 128 NPUs.
 */
const GAIN_GAP = 'moesim predicts a smaller LocMoE gain than published: under the paper\'s MP 8 (TP 8: one replica per server) every expert peer is on another server, so locality saves only the own-rank share of the all-to-all, and compute dominates the step (see docs/VALIDATION.md, LocMoE)';

/** Recorded error bands of the known gaps (distance below the published range; docs/VALIDATION.md). */
const REDUCTION_BANDS: Record<string, [number, number]> = { '32-hash': [-0.099, -0.059], '32-switch': [-0.121, -0.081], '128-hash': [-0.094, -0.054], '128-switch': [-0.191, -0.151] };

/** "Epoch time 12.68–22.24% lower than Hash and Switch": at 32 and 128 NPUs (64 has its own exact figures). */
const reductions: ValidationCase[] = [32, 128].flatMap((n) => BASELINES.map(([router, label]): ValidationCase => ({
  id: `locmoe-${n}-time-reduction-vs-${router}`, paper: PAPER, source: SOURCE,
  what: `${n} NPUs: LocMoE's step time below ${label}'s`, unit: '%', published: 0.1268, publishedText: '12.68–22.24% lower',
  tolerance: { kind: 'range', low: 0.1268, high: 0.2224 }, kind: 'relative', role: 'held-out', experiments: [experimentOf(n)],
  knownGap: { reason: GAIN_GAP, band: REDUCTION_BANDS[`${n}-${router}`] as [number, number] },
  measure: (m) => timeReduction(m, experimentOf(n), 'locmoe', router),
})));

/** "At 64 NPUs it is 1.15× faster than Hash and 1.29× faster than Switch." */
const SWITCH_GAIN_GAP = { reason: GAIN_GAP, band: [-0.246, -0.201] as const };
const speedups64: ValidationCase[] = ([['hash', 'Hash', 1.15, undefined], ['switch', 'Switch', 1.29, SWITCH_GAIN_GAP]] as const).map(([router, label, published, gap]) => ({
  id: `locmoe-64-speedup-vs-${router}`, paper: PAPER, source: SOURCE,
  what: `64 NPUs: LocMoE's speed-up over ${label}`, unit: '×', published, publishedText: `${published}×`,
  tolerance: { kind: 'relative', value: 0.1 }, kind: 'relative', role: 'held-out', experiments: [experimentOf(64)],
  ...(gap ? { knownGap: gap } : {}),
  measure: (m) => speedup(m, experimentOf(64), 'locmoe', router),
}));

/** Known gaps of the ranking cases, by `${devices}-${router}`. */
const RANKING_GAPS: Record<string, KnownGap | undefined> = {
  '128-switch': { reason: 'at 128 NPUs LocMoE\'s experts are less balanced than Switch\'s (its locality preference piles tokens on the own-rank expert), and moesim\'s step is set by the busiest expert, so Switch wins by about 4%', band: [-0.063, -0.022] },
};

/** Rankings: LocMoE beats Hash and Switch at 32–128 NPUs, and no longer beats Hash at 256. */
const rankings: ValidationCase[] = [
  ...[32, 64, 128].flatMap((n) => BASELINES.map(([router, label]): ValidationCase => ({
    id: `locmoe-${n}-beats-${router}`, paper: PAPER, source: SOURCE,
    what: `${n} NPUs: LocMoE is faster than ${label} (speed-up > 1)`, unit: '×', published: 1, publishedText: 'faster',
    tolerance: { kind: 'range', low: 1, high: Number.POSITIVE_INFINITY }, kind: 'ranking', role: 'held-out', experiments: [experimentOf(n)],
    ...(RANKING_GAPS[`${n}-${router}`] ? { knownGap: RANKING_GAPS[`${n}-${router}`] } : {}),
    measure: (m) => speedup(m, experimentOf(n), 'locmoe', router),
  }))),
  {
    id: 'locmoe-256-not-faster-than-hash', paper: PAPER, source: SOURCE,
    what: '256 NPUs: LocMoE no longer beats Hash (speed-up ≤ 1)', unit: '×', published: 1, publishedText: 'not faster',
    tolerance: { kind: 'range', low: 0, high: 1 }, kind: 'ranking', role: 'held-out', experiments: [experimentOf(256)],
    knownGap: { band: [0.021, 0.062], reason: 'the paper\'s reversal at 256 NPUs comes with an all-to-all share of 28.74%; moesim\'s is 11% there (global batch 32 over 32 DP ranks leaves one sequence per rank, and EP stops at 16 experts), so the smaller all-to-all still pays and LocMoE stays about 4% ahead' },
    measure: (m) => speedup(m, experimentOf(256), 'locmoe', 'hash'),
  },
];

/** "All-to-all takes 18.10% of step time at 128 NPUs and 28.74% at 256" (LocMoE's runs), within 5 points. */
const shares: ValidationCase[] = ([[128, 0.181], [256, 0.2874]] as const).map(([n, published]) => ({
  id: `locmoe-${n}-alltoall-share`, paper: PAPER, source: SOURCE,
  what: `${n} NPUs: exposed all-to-all share of LocMoE's step`, unit: '%', published, publishedText: `${(published * 100).toFixed(2)}%`,
  tolerance: { kind: 'points', value: 0.05 }, kind: 'accuracy', role: 'held-out', experiments: [experimentOf(n)],
  ...(n === 256 ? { knownGap: { band: [-0.195, -0.155] as const, reason: 'moesim\'s EP group stops at the 16 experts (16 servers), so the all-to-all does not grow from 128 to 256 NPUs while each rank\'s compute halves into imbalance wait; the paper\'s share grows to 28.74%' } } : {}),
  measure: (m) => allToAllShare(m, experimentOf(n), 'locmoe'),
}));

/** "Switch leaves about 40% of experts unused": nearly idle (layer, expert) pairs at 64 NPUs. */
const idle: ValidationCase = {
  id: 'locmoe-64-switch-idle-experts', paper: PAPER, source: SOURCE,
  what: '64 NPUs: share of experts Switch leaves (nearly) unused, < 10% of the mean load', unit: '%', published: 0.4, publishedText: 'about 40%',
  tolerance: { kind: 'relative', value: 0.1 }, kind: 'accuracy', role: 'held-out', experiments: [experimentOf(64)],
  knownGap: { band: [-1, -0.9], reason: 'unused experts are a training-dynamics effect (a learned Switch gate collapsing onto a few experts); moesim routes with a fixed gate on fixed token features, which leaves no expert idle' },
  measure: async (m) => idleExpertShare(summaryOf(await m.compare(experimentOf(64)), 'switch')),
};

export const LOCMOE_CASES: ValidationCase[] = [...reductions, ...speedups64, ...rankings, ...shares, idle];
