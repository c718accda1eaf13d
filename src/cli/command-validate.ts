// `moesim validate <scenario>`: every check a run makes before simulating (schema, presets, router, parallelism).
import { loadScenarioFile, resolveScenario } from '../sim/index.ts';
import type { CliIo } from './io.ts';

export function validateCommand(file: string, io: CliIo): number {
  const resolved = resolveScenario(loadScenarioFile(file));
  const { scenario, cluster, model, layout, router } = resolved;
  io.stdout(
    `ok: ${file}: "${scenario.name}": ${cluster.servers} × ${scenario.cluster.preset} (${cluster.devices} × ${cluster.chip.name}), ` +
      `${model.name}, tp ${layout.tp} · pp ${layout.pp} · dp ${layout.dp} · ep ${layout.ep}, router ${router.name}\n`,
  );
  return 0;
}
