// Published training throughput of PanGu-Σ on 512 × 910 (69,905 tokens/s). The tolerance and the known-gap band are stated here and must
// equal the registry's (src/studies/validate/cases-published-figures.ts). Pangu Ultra MoE has its own file, so the
// two large runs go to different test workers.
import { describe } from 'vitest';
import { experimentsBeforeAll, validationCase } from './validation-helpers.ts';

describe('PanGu-Σ training throughput', () => {
  const get = experimentsBeforeAll(['pangu-sigma-910a-512']);

  validationCase('pangu-sigma-512-tokens-per-s', { tolerance: { kind: 'relative', value: 0.1 }, band: [0.21, 0.31] }, get);
});
