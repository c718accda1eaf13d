// LocMoE (arXiv 2401.13920) validation: PanGu-Σ-like 16-expert model on 910A clusters of 32–256 NPUs under Hash,
// Switch and LocMoE. Each tolerance is stated here and must equal the registry's (src/sim/validate/cases-locmoe.ts).
import { beforeAll, describe } from 'vitest';
import type { CompareResult, Tolerance } from '../../src/sim/index.ts';
import { runExperiments, validationCase } from './validation-helpers.ts';

let results = new Map<string, CompareResult>();
const get = (): Map<string, CompareResult> => results;
const RANGE: Tolerance = { kind: 'range', low: 0.1268, high: 0.2224 };
const FASTER: Tolerance = { kind: 'range', low: 1, high: Number.POSITIVE_INFINITY };

describe('LocMoE on 910A (Hash, Switch, LocMoE)', () => {
  beforeAll(async () => {
    results = await runExperiments(['locmoe-910a-32', 'locmoe-910a-64', 'locmoe-910a-128', 'locmoe-910a-256']);
  }, 600_000);

  for (const n of [32, 128]) for (const r of ['hash', 'switch']) validationCase(`locmoe-${n}-time-reduction-vs-${r}`, RANGE, get);
  validationCase('locmoe-64-speedup-vs-hash', { kind: 'relative', value: 0.1 }, get);
  validationCase('locmoe-64-speedup-vs-switch', { kind: 'relative', value: 0.1 }, get);
  for (const n of [32, 64, 128]) for (const r of ['hash', 'switch']) validationCase(`locmoe-${n}-beats-${r}`, FASTER, get);
  validationCase('locmoe-256-not-faster-than-hash', { kind: 'range', low: 0, high: 1 }, get);
  validationCase('locmoe-128-alltoall-share', { kind: 'points', value: 0.05 }, get);
  validationCase('locmoe-256-alltoall-share', { kind: 'points', value: 0.05 }, get);
  validationCase('locmoe-64-switch-idle-experts', { kind: 'relative', value: 0.1 }, get);
});
