// Worker-thread entry of the sweep pool (piscina): registers tsx so the TypeScript sources load, then runs one
// sweep point per task and returns { row, notes } (structured-cloned back). Each thread keeps its own token-batch
// cache, so points that share token features (routers, capacity factors) do not regenerate them.
import { register } from 'tsx/esm/api';

register();
const { runSweepPoint } = await import('./sweep-point.ts');

export default async function runOne(task) {
  return runSweepPoint(task);
}
