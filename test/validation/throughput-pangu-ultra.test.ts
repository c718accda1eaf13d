// Published training throughput of Pangu Ultra MoE on about 6K 910B (about 1.46M tokens/s at about 30% MFU), a
// 6,144-device run. Each tolerance and known-gap band is stated here and must equal the registry's
// (src/studies/validate/cases-published-figures.ts).
import { describe } from 'vitest';
import { experimentsBeforeAll, validationCase } from './validation-helpers.ts';

describe('Pangu Ultra MoE training throughput', () => {
  const get = experimentsBeforeAll(['pangu-ultra-910b-6k']);

  validationCase('pangu-ultra-6k-tokens-per-s', { tolerance: { kind: 'relative', value: 0.1 }, band: [-0.62, -0.5] }, get);
});
