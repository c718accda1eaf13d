// Resolve a validated scenario against the catalogs and registries: model preset, cluster preset, router and
// parallelism. Everything `moesim validate` checks without running a simulation happens here.
import { z } from 'zod';
import { InputError, secondsToNs } from '../../engine/index.ts';
import type { KernelChip } from '../../kernels/index.ts';
import { kernelProfileAttention, kernelProfileMemoryOps, kernelProfileTable, lookupAttentionEfficiency } from '../../kernels/index.ts';
import type { RouterExecution } from '../../routing/index.ts';
import { INPUT_LIMITS, checkInputFile, routerExecution, routerParamsSchema } from '../../routing/index.ts';
import type { Cluster, ClusterOverrides } from '../../topology/index.ts';
import { buildCluster } from '../../topology/index.ts';
import type { Layout, ModelSpec } from '../../workloads/index.ts';
import { denseEquivalentModel, epServerSlots, loadModelPreset, modelPresetFields, modelSpecSchema, resolveLayout } from '../../workloads/index.ts';
import { formatIssue } from './format-issues.ts';
import type { Scenario } from './scenario-schema.ts';

export interface ResolvedScenario {
  scenario: Scenario;
  model: ModelSpec;
  cluster: Cluster;
  kernelChip: KernelChip;
  layout: Layout;
  router: ResolvedRouter;
  /** What the linear layers run on (kernelChip, or its FP8 view) and the dispatch's bytes per element. */
  precision: ResolvedPrecision;
}

export interface ResolvedPrecision {
  linear: 'bf16' | 'fp8';
  dispatch: 'bf16' | 'fp8';
  linearChip: KernelChip;
  dispatchBytesPerElement: number;
}

/** FP8 dispatch: one byte per element and an fp32 scale per 128-element tile (DeepSeek-V3's activation quantisation). */
const FP8_DISPATCH_BYTES = 1 + 4 / 128;

function resolvePrecision(scenario: Scenario, cluster: Cluster, kernelChip: KernelChip): ResolvedPrecision {
  const linear = scenario.precision?.linear ?? 'bf16';
  const dispatch = scenario.precision?.dispatch ?? linear;
  const fp8 = cluster.chip.fp8;
  const wantsFp8 = linear === 'fp8' ? 'linear' : dispatch === 'fp8' ? 'dispatch' : undefined;
  if (wantsFp8 !== undefined && fp8 === undefined) {
    throw new InputError(`precision.${wantsFp8}: fp8, but the catalog gives ${cluster.chip.name} no FP8 figures; use bf16, or add cluster.overrides.chip.fp8 { peakFlops, gemmEfficiency }`, `precision.${wantsFp8}`);
  }
  const linearChip = linear === 'fp8' && fp8 ? { ...kernelChip, peakFlops: fp8.peakFlops.value, gemmEfficiency: fp8.gemmEfficiency.value } : kernelChip;
  return { linear, dispatch, linearChip, dispatchBytesPerElement: dispatch === 'fp8' ? FP8_DISPATCH_BYTES : 2 };
}

function resolveModel(scenario: Scenario): ModelSpec {
  const preset = loadModelPreset(scenario.model.preset);
  if (!scenario.model.overrides) return preset;
  // Overrides are laid over the preset as written, so that a dense preset stays dense whatever is overridden.
  const merged = { ...modelPresetFields(scenario.model.preset), ...scenario.model.overrides };
  const parsed = modelSpecSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(issue ? formatIssue(issue, merged, { prefix: 'model.overrides' }) : 'model.overrides: invalid', 'model.overrides');
  }
  return parsed.data;
}

/** The scenario's router: its name, its parameters with defaults filled in, and how a step runs its decisions. */
export interface ResolvedRouter {
  name: string;
  params: Record<string, unknown>;
  execution: RouterExecution;
}

function resolveRouter(scenario: Scenario): ResolvedRouter {
  const { name, ...rest } = scenario.router;
  const schema = routerParamsSchema(name);
  const parsed = schema.safeParse(rest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const knownKeys = (): string[] | undefined => (schema instanceof z.ZodObject ? ['name', ...Object.keys(schema.shape)] : undefined);
    throw new InputError(issue ? formatIssue(issue, rest, { prefix: 'router', knownKeys }) : 'router: invalid', 'router');
  }
  return { name, params: parsed.data as Record<string, unknown>, execution: routerExecution(name) };
}

/** Flash attention's efficiency: the chip's flat figure, else its kernel profile's table, else none (gemmEfficiency). */
function attentionOf(c: Cluster['chip']): Pick<KernelChip, 'attentionEfficiency'> {
  const flat = c.attentionEfficiency;
  if (flat !== undefined) return { attentionEfficiency: (pass) => flat[pass].value };
  const table = kernelProfileAttention(c.kernelProfile);
  if (table === undefined) return {};
  return { attentionEfficiency: (pass, seqLength, headDim, causal) => lookupAttentionEfficiency(table, pass, seqLength, headDim, causal) };
}

/**
 * The chip figures the kernel models use, taken from the (overridden) catalog entry, with the GEMM efficiency table
 * of the chip's kernel profile (catalog/kernels/<kernelProfile>.csv) and its memory-bound kernels by kind where the
 * profile has them (<kernelProfile>.memory-ops.csv; none: every kind streams at memoryBoundEfficiency). Each file
 * is read once per process.
 */
export function kernelChipOf(cluster: Cluster): KernelChip {
  const c = cluster.chip;
  return {
    name: c.name,
    peakFlops: c.peakFlopsBf16.value,
    hbmBandwidth: c.hbmBandwidth.value,
    launchOverheadNs: secondsToNs(c.kernelLaunchOverhead.value),
    gemmEfficiency: c.gemmEfficiency.value,
    memoryEfficiency: c.memoryBoundEfficiency.value,
    gemmShapeEfficiency: kernelProfileTable(c.kernelProfile),
    memoryOps: kernelProfileMemoryOps(c.kernelProfile),
    ...attentionOf(c),
  };
}

export function resolveScenario(scenario: Scenario): ResolvedScenario {
  const router = resolveRouter(scenario);
  // The dense router is the reference "same active size, no MoE": the step runs the dense-equivalent model.
  const model = router.execution === 'dense' ? denseEquivalentModel(resolveModel(scenario)) : resolveModel(scenario);
  let cluster: Cluster;
  try {
    cluster = buildCluster({
      preset: scenario.cluster.preset,
      servers: scenario.cluster.servers,
      overrides: scenario.cluster.overrides as ClusterOverrides | undefined,
      fabric: scenario.cluster.fabric,
      faults: scenario.cluster.faults,
    });
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cluster: ${(err as Error).message}`, 'cluster');
  }
  const layout = resolveLayout(scenario.parallelism, cluster.devices, model);
  if (router.execution === 'merged' && layout.ep !== 1) {
    throw new InputError(`parallelism.ep: the ${router.name} router merges each sequence's experts into one on the sequence's own device, so every device holds every expert: set ep = 1 (got ${layout.ep})`, 'parallelism.ep');
  }
  // A node limit binds when an EP group's experts span more servers than it allows.
  const maxNodes = router.params['maxNodes'];
  const epServers = epServerSlots(layout, (d) => cluster.serverOf(d)).servers;
  if (layout.expertPlacement === 'locality-aware' && typeof maxNodes === 'number' && maxNodes < epServers) {
    throw new InputError(`parallelism.expertPlacement: ${router.name} sends each token to at most maxNodes = ${maxNodes} of the ${epServers} servers an EP group spans, in the placement it routes against, and locality-aware placement moves the experts after routing, which would break that limit: use contiguous or round-robin, or raise router.maxNodes to ${epServers}`, 'parallelism.expertPlacement');
  }
  if (layout.offloadOptimizer && cluster.system.hostLinkBandwidth === undefined) {
    throw new InputError(`parallelism.offloadOptimizer: the catalog gives ${cluster.system.name} no host link bandwidth; add cluster.overrides.system.hostLinkBandwidth (bytes/s per device and direction)`, 'parallelism.offloadOptimizer');
  }
  // Token feature files are read when routing starts: check here that they are there (validate says so too).
  if (scenario.tokens.source === 'npy') {
    for (const [key, path] of [['features', scenario.tokens.features], ['tokenIds', scenario.tokens.tokenIds]] as const) {
      if (path !== undefined) checkInputFile(path, 'npy file', INPUT_LIMITS.npy, { origin: `tokens.${key}: ${path}`, field: `tokens.${key}` });
    }
  }
  const kernelChip = kernelChipOf(cluster);
  return { scenario, model, cluster, kernelChip, layout, router, precision: resolvePrecision(scenario, cluster, kernelChip) };
}
