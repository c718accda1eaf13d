// A scenario small enough to sweep in tests: tiny-moe with 128-token sequences on one server (8 devices, DP 8,
// EP 8), 2 micro-batches; a point runs in a fraction of a second.
import { defaultScenarioText } from './run-cli.ts';

function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`default.yaml does not contain ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

export const tinySweepScenario = [
  ['  preset: tiny-moe ', '  overrides: { seqLength: 128 }\n  preset: tiny-moe '],
  ['  servers: 2', '  servers: 1'],
  ['  dp: 16', '  dp: 8'],
  ['  ep: 16', '  ep: 8'],
  ['  globalBatch: 32', '  globalBatch: 16'],
].reduce((text, [from, to]) => replaceOnce(text, from as string, to as string), defaultScenarioText);
