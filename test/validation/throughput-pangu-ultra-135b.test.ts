// Pangu Ultra 135B (dense) on 8,192 × 910B: MFU "over 52%", PaLM's FLOP count (src/studies/validate/cases-ascend-compute.ts).
// Its own file, so this 8,192-device run goes to its own test worker. The tolerance is stated here and must equal the
// registry's (it passes since tpCommOverlap models the report's MC2; it was a known gap before).
import { describe } from 'vitest';
import { experimentsBeforeAll, validationCase } from './validation-helpers.ts';

describe('Pangu Ultra 135B MFU on 8,192 NPUs', () => {
  const get = experimentsBeforeAll(['pangu-ultra-135b-910b-8k']);

  validationCase('pangu-ultra-135b-mfu', { kind: 'relative', value: 0.1 }, get);
});
