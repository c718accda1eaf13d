// Fits the Ascend 910B generation's compute efficiency to the designated calibration case and prints the figures
// to put in catalog/chips/910b{1,2,3,4}.yaml (docs/VALIDATION.md, "Ascend compute calibration"):
//   node --import tsx scripts/calibrate-ascend-910b.ts
// One figure is fitted, the large-GEMM efficiency g, shared by every 910B variant (one per hardware generation,
// never per case). Flash attention's efficiency cannot be told apart from g by the calibration case (the attention
// core is about 7% of its FLOPs), so it is tied to g by an assumed ratio: the ratio measured on Hopper at 4k
// tokens, head size 128, causal (FA3 forward 579 TFLOPS and the derived backward 428, against H100's measured
// large-GEMM efficiency 0.7262 of 989 TFLOPS). g is found by bisection: the predicted tokens/s falls as g falls.
import { loadScenarioFile } from '../src/sim/index.ts';
import { compareRouters } from '../src/studies/index.ts';
import type { Scenario } from '../src/sim/index.ts';

/** The calibration case: MindSpeed-LLM's Llama 2 7B on 8 × 910B, 4,241 tokens/s per NPU (the scenario's header). */
const CALIBRATION = { scenario: 'scenarios/papers/mindspeed-llama2-7b-910b-8.yaml', tokensPerSecondPerNpu: 4241 };
/** Flash attention's efficiency over the large-GEMM efficiency, measured on Hopper (see the header). */
export const ATTENTION_RATIO = { forward: 579 / 989 / 0.7262, backward: 427.6 / 989 / 0.7262 };

function withEfficiency(base: Scenario, g: number): Scenario {
  const chip = { gemmEfficiency: g, attentionEfficiency: { forward: g * ATTENTION_RATIO.forward, backward: g * ATTENTION_RATIO.backward } };
  const overrides = (base.cluster.overrides ?? {}) as { chip?: Record<string, unknown> };
  return { ...base, cluster: { ...base.cluster, overrides: { ...overrides, chip: { ...(overrides.chip ?? {}), ...chip } } } };
}

async function tokensPerNpu(base: Scenario, g: number): Promise<number> {
  const result = await compareRouters(withEfficiency(base, g), base.router.name, { recordLinkActivity: false, criticalPath: false });
  const row = result.rows[0];
  if (row === undefined) throw new Error('no result row');
  return row.tokensPerSecond / result.devices;
}

const base = loadScenarioFile(CALIBRATION.scenario);
let [low, high] = [0.2, 1.0];
const target = CALIBRATION.tokensPerSecondPerNpu;
for (let i = 0; i < 14; i++) {
  const mid = (low + high) / 2;
  const got = await tokensPerNpu(base, mid);
  console.log(`g = ${mid.toFixed(5)}: ${got.toFixed(1)} tokens/s per NPU (target ${target})`);
  if (got > target) high = mid;
  else low = mid;
}
const g = (low + high) / 2;
const check = await tokensPerNpu(base, Number(g.toFixed(3)));
console.log([
  '',
  `fitted 910B large-GEMM efficiency g = ${g.toFixed(4)} (catalog: ${g.toFixed(3)})`,
  `flash attention (assumed ratio to g, from Hopper): forward ${(g * ATTENTION_RATIO.forward).toFixed(3)}, backward ${(g * ATTENTION_RATIO.backward).toFixed(3)}`,
  `calibration case at the catalog value: ${check.toFixed(1)} tokens/s per NPU against ${target} (${((check / target - 1) * 100).toFixed(2)}%)`,
].join('\n'));
