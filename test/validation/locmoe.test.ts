// LocMoE (arXiv 2401.13920) validation: PanGu-Σ-like 16-expert model on 910A clusters of 32–256 NPUs under Hash,
// Switch and LocMoE. Each tolerance, and each known gap's recorded error band, is stated here and must equal the
// registry's (src/studies/validate/cases-locmoe.ts).
import { describe } from 'vitest';
import type { Tolerance } from '../../src/studies/index.ts';
import { experimentsBeforeAll, validationCase } from './validation-helpers.ts';

const RANGE: Tolerance = { kind: 'range', low: 0.1268, high: 0.2224 };
const FASTER: Tolerance = { kind: 'range', low: 1, high: Number.POSITIVE_INFINITY };
const REDUCTION_BANDS: Record<string, [number, number]> = { '32-hash': [-0.099, -0.059], '32-switch': [-0.121, -0.081], '128-hash': [-0.094, -0.054], '128-switch': [-0.191, -0.151] };

describe('LocMoE on 910A (Hash, Switch, LocMoE)', () => {
  const get = experimentsBeforeAll(['locmoe-910a-32', 'locmoe-910a-64', 'locmoe-910a-128', 'locmoe-910a-256']);

  for (const n of [32, 128]) {
    for (const r of ['hash', 'switch']) validationCase(`locmoe-${n}-time-reduction-vs-${r}`, { tolerance: RANGE, band: REDUCTION_BANDS[`${n}-${r}`] as [number, number] }, get);
  }
  validationCase('locmoe-64-speedup-vs-hash', { kind: 'relative', value: 0.1 }, get);
  validationCase('locmoe-64-speedup-vs-switch', { tolerance: { kind: 'relative', value: 0.1 }, band: [-0.246, -0.201] }, get);
  for (const n of [32, 64, 128]) for (const r of ['hash', 'switch']) if (!(n === 128 && r === 'switch')) validationCase(`locmoe-${n}-beats-${r}`, FASTER, get);
  validationCase('locmoe-128-beats-switch', { tolerance: FASTER, band: [-0.063, -0.022] }, get);
  validationCase('locmoe-256-not-faster-than-hash', { tolerance: { kind: 'range', low: 0, high: 1 }, band: [0.021, 0.062] }, get);
  validationCase('locmoe-128-alltoall-share', { kind: 'points', value: 0.05 }, get);
  validationCase('locmoe-256-alltoall-share', { tolerance: { kind: 'points', value: 0.05 }, band: [-0.195, -0.155] }, get);
  validationCase('locmoe-64-switch-idle-experts', { tolerance: { kind: 'relative', value: 0.1 }, band: [-1, -0.9] }, get);
});
