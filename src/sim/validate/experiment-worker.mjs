// Worker-thread entry of the validation pool (piscina): registers tsx so the TypeScript sources load, then runs
// one experiment per task and returns its CompareResult (structured-cloned back to the main thread).
import { register } from 'tsx/esm/api';

register();
const { runExperiment } = await import('./run-experiment.ts');

export default async function runOne({ scenario, routers }) {
  return runExperiment(scenario, routers);
}
