// LocMoE+ (arXiv 2406.00023) validation: Mixtral 8x7B on 910B3 at 32, 64 and 256 NPUs under the baseline (top-2,
// capacity factor 1.1), LocMoE and LocMoE+. Each tolerance, and each known gap's recorded error band, is stated
// here and must equal the registry's (src/studies/validate/cases-locmoe-plus.ts).
import { describe } from 'vitest';
import type { Tolerance } from '../../src/studies/index.ts';
import { experimentsBeforeAll, validationCase } from './validation-helpers.ts';

const FASTER: Tolerance = { kind: 'range', low: 1, high: Number.POSITIVE_INFINITY };
const SIZES = [32, 64, 256];
const EFFICIENCY_BANDS: Record<string, [number, number]> = {
  '32-gshard': [0.04, 0.085], '64-gshard': [0.14, 0.19], '256-gshard': [0.115, 0.16],
  '32-locmoe': [-0.035, -0.001], '64-locmoe': [0.025, 0.055], '256-locmoe': [0.045, 0.075],
};

describe('LocMoE+ on 910B3 (baseline, LocMoE, LocMoE+)', () => {
  const get = experimentsBeforeAll(SIZES.map((n) => `locmoe-plus-910b3-${n}`));

  for (const n of SIZES) {
    validationCase(`locmoe-plus-${n}-efficiency-vs-gshard`, { tolerance: { kind: 'range', low: 0.054, high: 0.466 }, band: EFFICIENCY_BANDS[`${n}-gshard`] as [number, number] }, get);
    validationCase(`locmoe-plus-${n}-efficiency-vs-locmoe`, { tolerance: { kind: 'range', low: 0.029, high: 0.133 }, band: EFFICIENCY_BANDS[`${n}-locmoe`] as [number, number] }, get);
    validationCase(`locmoe-plus-${n}-locmoe-plus-beats-locmoe`, FASTER, get);
    validationCase(`locmoe-plus-${n}-locmoe-beats-gshard`, FASTER, get);
    validationCase(`locmoe-plus-${n}-tokens-per-expert`, { kind: 'range', low: 0.4, high: 1 }, get);
    validationCase(`locmoe-plus-${n}-memory`, { kind: 'range', low: 0.0457, high: 0.1627 }, get);
  }
});
