// Zod schemas and types for the hardware catalog (catalog/chips/*.yaml, catalog/systems/*.yaml).
// Every numeric figure is { value (SI base units), source, assumed?, note? } so provenance travels with it.
import { z } from 'zod';

/** The fields every figure carries; `value` is in SI base units (FLOP/s, bytes, bytes/s, seconds, watts). */
function figureWith(value: z.ZodNumber) {
  return z.strictObject({
    value,
    source: z.string().trim().min(1, 'every figure needs a non-empty source'),
    assumed: z.boolean().optional(),
    note: z.string().optional(),
  });
}

const finite = () => z.number().finite();
export const positiveFigureSchema = figureWith(finite().positive());
export const nonNegativeFigureSchema = figureWith(finite().nonnegative());
export const fractionFigureSchema = figureWith(finite().positive().max(1));

/** A figure with its source. `assumed` marks defaults that HARDWARE.md does not give. */
export type Figure = z.infer<typeof positiveFigureSchema>;

export const moneySchema = z.strictObject({
  value: finite().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD or CNY'),
  source: z.string().trim().min(1, 'every figure needs a non-empty source'),
  assumed: z.boolean().optional(),
  note: z.string().optional(),
});
export type Money = z.infer<typeof moneySchema>;

const catalogName = z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case letters, digits, dots and dashes');

export const chipSpecSchema = z.strictObject({
  name: catalogName,
  vendor: z.enum(['huawei', 'nvidia', 'generic']),
  displayName: z.string().min(1),
  variantOf: catalogName.optional(),
  peakFlopsBf16: positiveFigureSchema,
  hbmBytes: positiveFigureSchema,
  hbmBandwidth: positiveFigureSchema,
  l2CacheBytes: positiveFigureSchema.optional(),
  kernelLaunchOverhead: nonNegativeFigureSchema,
  gemmEfficiency: fractionFigureSchema,
  memoryBoundEfficiency: fractionFigureSchema,
  /**
   * The share of HBM a training framework keeps for itself (runtime context, workspaces, collective-library buffers,
   * allocator fragmentation), taken off before a layout is said to fit; absent: DEFAULT_MEMORY_RESERVE.
   */
  memoryReserve: figureWith(finite().nonnegative().lt(1)).optional(),
  /**
   * How much slower kernels run while a collective runs in the background on the same chip (its copies and reductions
   * take SMs or AI cores and HBM bandwidth): kernel time × (1 + overlapSlowdown) for as long as one is in flight;
   * absent: DEFAULT_OVERLAP_SLOWDOWN.
   */
  overlapSlowdown: figureWith(finite().nonnegative().max(10)).optional(),
  /**
   * The kernel profile: catalog/kernels/<kernelProfile>.csv, the GEMM efficiency by shape relative to
   * gemmEfficiency (one table per hardware generation; DESIGN.md, "Kernel cost model").
   */
  kernelProfile: catalogName,
  /**
   * Flash attention's achieved fraction of peak, flat, by pass. Where the chip has it, it is used for every
   * sequence length and head size; otherwise the kernel profile's <name>.attention.csv (measured, GPUs), otherwise
   * gemmEfficiency.
   */
  attentionEfficiency: z.strictObject({ forward: fractionFigureSchema, backward: fractionFigureSchema }).optional(),
  /**
   * FP8 GEMMs, on chips that have them: the dense FP8 peak and the large-GEMM efficiency at it (the shape table of the
   * chip's kernel profile applies as for BF16). Absent: the chip runs no FP8 (a scenario may add both figures).
   */
  fp8: z.strictObject({ peakFlops: positiveFigureSchema, gemmEfficiency: fractionFigureSchema }).optional(),
  /**
   * What the chip's compute figures rest on, in one line a report can cite next to an MFU: measured, calibrated
   * (and to which case) or assumed.
   */
  computeBasis: z.string().min(1),
  powerWatts: positiveFigureSchema,
  price: moneySchema.optional(),
});
export type ChipSpec = z.infer<typeof chipSpecSchema>;

export const intraServerLinkKinds = ['hccs', 'pcie', 'nvlink', 'ub'] as const;
export const nicKinds = ['roce', 'ib'] as const;

/** One physical link type; bandwidth is bytes/s in each direction, latency one-way seconds. */
function linkSpecSchema<K extends readonly [string, ...string[]]>(kinds: K) {
  return z.strictObject({
    kind: z.enum(kinds),
    bandwidth: positiveFigureSchema,
    /** A measured figure kept for calibration; the model uses `bandwidth` × `efficiency`. */
    achievedBandwidth: positiveFigureSchema.optional(),
    /** Fraction of `bandwidth` that transfers reach (protocol and software overheads); default 1. */
    efficiency: fractionFigureSchema.optional(),
    latency: nonNegativeFigureSchema,
  });
}

/** The bandwidth the network models use for a link type: line rate × efficiency (bytes/s per direction). */
export function effectiveBandwidth(link: { bandwidth: { value: number }; efficiency?: { value: number } | undefined }): number {
  return link.bandwidth.value * (link.efficiency?.value ?? 1);
}
const intraLinkSchema = linkSpecSchema(intraServerLinkKinds);
export type IntraServerLinkSpec = z.infer<typeof intraLinkSchema>;

const positiveInt = () => z.number().int().positive();

export const intraServerSchema = z.discriminatedUnion('kind', [
  /** A direct link for every ordered pair of devices in the server. */
  z.strictObject({ kind: z.literal('full-mesh'), link: intraLinkSchema }),
  /** Full meshes inside groups; each group has a PCIe bridge (host root complex), bridges are meshed. */
  z.strictObject({
    kind: z.literal('mesh-groups-pcie'),
    groupSize: positiveInt(),
    link: intraLinkSchema,
    pcieLink: intraLinkSchema,
  }),
  /** Every device has an up/down link to one non-blocking intra-server switch (NVSwitch, PCIe switch). */
  z.strictObject({ kind: z.literal('switch'), link: intraLinkSchema, switchLatency: nonNegativeFigureSchema }),
  /** A unified-bus supernode: modelled like `switch`, with UB attachments. */
  z.strictObject({ kind: z.literal('supernode'), link: intraLinkSchema, switchLatency: nonNegativeFigureSchema }),
]);
export type IntraServerSpec = z.infer<typeof intraServerSchema>;
export type IntraServerKind = IntraServerSpec['kind'];

const nicSchema = linkSpecSchema(nicKinds);
export type NicSpec = z.infer<typeof nicSchema>;

/** The fabric kinds between servers (see fabric/wiring.ts and fabric/clos.ts for how each is wired and routed). */
export const fabricTopologies = ['single-switch', 'fat-tree-2', 'fat-tree-3', 'rail-optimised'] as const;
export type FabricTopology = (typeof fabricTopologies)[number];

/** A whole-number figure (switch and server counts that carry a source and may be `assumed`). */
const countFigureSchema = figureWith(finite().int().positive());

/**
 * Switch-to-switch links of one tier. `portBandwidth` is the line rate of one uplink port: it sets the default
 * number of switches above (one port to each). The capacity of a tier's trunks comes from the oversubscription.
 */
const uplinkSchema = z.strictObject({ portBandwidth: positiveFigureSchema, latency: nonNegativeFigureSchema });
export type FabricUplinkSpec = z.infer<typeof uplinkSchema>;

const fabricCommon = {
  /** NIC ports per server; devices share them in contiguous blocks when fewer than devicesPerServer. */
  nicsPerServer: positiveInt(),
  /** One NIC port: bandwidth per direction; latency is charged once at each end of a path. */
  nic: nicSchema,
  /** Traversal latency of every fabric switch. */
  switchLatency: nonNegativeFigureSchema,
};
const leafTier = {
  /** Servers under one leaf (rail-optimised: servers whose NIC i shares rail leaf i, a scalable unit). */
  serversPerLeaf: countFigureSchema,
  /** Leaf downlink capacity : uplink capacity (1 = non-blocking, 2 = 2:1). */
  leafOversubscription: positiveFigureSchema,
  leafUplink: uplinkSchema,
};

/** One strict object per fabric topology; fields absent from a kind are rejected. */
export const fabricVariantSchemas = {
  'single-switch': z.strictObject({ topology: z.literal('single-switch'), ...fabricCommon }),
  'fat-tree-2': z.strictObject({
    topology: z.literal('fat-tree-2'),
    ...fabricCommon,
    ...leafTier,
    /** Spine switches; default: the leaf uplink capacity / leafUplink.portBandwidth, rounded up. */
    spines: countFigureSchema.optional(),
  }),
  'fat-tree-3': z.strictObject({
    topology: z.literal('fat-tree-3'),
    ...fabricCommon,
    ...leafTier,
    leavesPerPod: countFigureSchema,
    /** Aggregation switches per pod; default: leaf uplink capacity / leafUplink.portBandwidth, rounded up. */
    aggregationsPerPod: countFigureSchema.optional(),
    /** Aggregation downlink capacity : uplink capacity. */
    aggregationOversubscription: positiveFigureSchema,
    aggregationUplink: uplinkSchema,
    /** Core switches per plane (aggregation j of every pod joins plane j); default from aggregationUplink.portBandwidth. */
    coresPerPlane: countFigureSchema.optional(),
  }),
  'rail-optimised': z.strictObject({
    topology: z.literal('rail-optimised'),
    ...fabricCommon,
    ...leafTier,
    spines: countFigureSchema.optional(),
  }),
} as const;

export const fabricSchema = z.discriminatedUnion('topology', [
  fabricVariantSchemas['single-switch'],
  fabricVariantSchemas['fat-tree-2'],
  fabricVariantSchemas['fat-tree-3'],
  fabricVariantSchemas['rail-optimised'],
]);
export type FabricSpec = z.infer<typeof fabricSchema>;

export const systemSpecSchema = z
  .strictObject({
    name: catalogName,
    displayName: z.string().min(1),
    description: z.string().optional(),
    chip: catalogName,
    devicesPerServer: positiveInt(),
    intraServer: intraServerSchema,
    fabric: fabricSchema,
    /** Software cost of starting one message, charged per message of a phase's busiest sender. */
    messageLatency: nonNegativeFigureSchema,
    /**
     * Bytes per second one device moves to or from its host's memory (its PCIe link, each direction): what offloaded
     * optimizer states cross each step. Absent: offload is refused, naming the override.
     */
    hostLinkBandwidth: positiveFigureSchema.optional(),
    price: moneySchema.optional(),
    powerWatts: positiveFigureSchema.optional(),
  })
  .superRefine((system, ctx) => {
    const intra = system.intraServer;
    if (system.fabric.nicsPerServer > system.devicesPerServer) {
      ctx.addIssue({
        code: 'custom',
        path: ['fabric', 'nicsPerServer'],
        message: `nicsPerServer ${system.fabric.nicsPerServer} must not exceed devicesPerServer ${system.devicesPerServer} (each device uses one NIC)`,
      });
    }
    if (intra.kind === 'mesh-groups-pcie' && system.devicesPerServer % intra.groupSize !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['intraServer', 'groupSize'],
        message: `groupSize ${intra.groupSize} must divide devicesPerServer ${system.devicesPerServer}`,
      });
    }
  });
export type SystemSpec = z.infer<typeof systemSpecSchema>;

/** Formats zod issues as "field.path: message" lines, prefixed by where the data came from. */
export function formatIssues(where: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
    return `${where}: ${field}: ${issue.message}`;
  });
  return lines.join('\n');
}

/** The framework's share of HBM for a chip without its own `memoryReserve` figure (the shipped chips all give 0.10). */
export const DEFAULT_MEMORY_RESERVE = 0.1;

/** Compute slowdown under a background collective for a chip without its own `overlapSlowdown` figure. */
export const DEFAULT_OVERLAP_SLOWDOWN = 0.1;

/** The factor a kernel's time is multiplied by while a collective runs in the background on its chip. */
export function overlapSlowdownFactor(chip: Pick<ChipSpec, 'overlapSlowdown'>): number {
  return 1 + (chip.overlapSlowdown?.value ?? DEFAULT_OVERLAP_SLOWDOWN);
}

/** Bytes of a chip's HBM the framework keeps (memoryReserve × hbmBytes): a layout fits in the rest. */
export function memoryReserveBytes(chip: Pick<ChipSpec, 'hbmBytes' | 'memoryReserve'>): number {
  return chip.hbmBytes.value * (chip.memoryReserve?.value ?? DEFAULT_MEMORY_RESERVE);
}
