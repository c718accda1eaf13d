// The shape of one link fault in a scenario (`cluster.faults[i]`) or in buildCluster's options; applied by
// link-faults.ts. Kept apart so the cluster types can name it without an import cycle.
import { z } from 'zod';

/**
 * The slowest a degraded link may run, as a fraction of its bandwidth (one fault, or several multiplied): below it a
 * transfer's time leaves the simulator's clock range (5e-324 reached Infinity); such a link is down in practice.
 */
export const MIN_BANDWIDTH_FACTOR = 1e-6;

export const linkFaultSchema = z.strictObject({
  /** A link name (`leaf0↑spine1`, `d2→d5`, `s3.nic5↑leaf0`) or a glob over names (`*`, `?`). */
  link: z.string().min(1),
  state: z.union([z.literal('down'), z.strictObject({ bandwidthFactor: z.number().min(MIN_BANDWIDTH_FACTOR).max(1) })], {
    error: `expected "down" or { bandwidthFactor: <a number in [${MIN_BANDWIDTH_FACTOR}, 1]> } (slower than that: use "down")`,
  }),
  /** Also apply to the reverse direction of every matched link (default true). */
  bothDirections: z.boolean().optional(),
});
export type LinkFault = z.input<typeof linkFaultSchema>;
