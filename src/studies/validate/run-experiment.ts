// One validation experiment: a scenario of scenarios/papers/ run under its routers with `compare` (every router
// sees the same tokens and seed). The scenario path is relative to the package root, so the suite runs the
// same from any working directory. Used in-process, and by the worker pools (experiment-task.ts).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompareResult } from '../compare/compare-routers.ts';
import { compareRouters } from '../compare/compare-routers.ts';
import { loadScenarioFile } from '../../sim/index.ts';

/** The package root (scenarios/papers/ lives under it). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export async function runExperiment(scenario: string, routers: string): Promise<CompareResult> {
  // No case reads link activity, and recording it dominates the 6,144-device run.
  return compareRouters(loadScenarioFile(join(PACKAGE_ROOT, scenario)), routers, { recordLinkActivity: false, criticalPath: false });
}
