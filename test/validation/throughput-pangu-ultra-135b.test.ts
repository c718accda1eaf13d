// Pangu Ultra 135B (dense) on 8,192 × 910B: MFU "over 52%", PaLM's FLOP count (src/studies/validate/cases-ascend-compute.ts).
// Its own file, so this 8,192-device run goes to its own test worker. The tolerance and the known-gap band are stated
// here and must equal the registry's.
import { describe } from 'vitest';
import { experimentsBeforeAll, validationCase } from './validation-helpers.ts';

describe('Pangu Ultra 135B MFU on 8,192 NPUs', () => {
  const get = experimentsBeforeAll(['pangu-ultra-135b-910b-8k']);

  validationCase('pangu-ultra-135b-mfu', { tolerance: { kind: 'relative', value: 0.1 }, band: [-0.26, -0.17] }, get);
});
