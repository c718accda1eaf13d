// The shape of one link fault in a scenario (`cluster.faults[i]`) or in buildCluster's options; applied by
// link-faults.ts. Kept apart so the cluster types can name it without an import cycle.
import { z } from 'zod';

export const linkFaultSchema = z.strictObject({
  /** A link name (`leaf0↑spine1`, `d2→d5`, `s3.nic5↑leaf0`) or a glob over names (`*`, `?`). */
  link: z.string().min(1),
  state: z.union([z.literal('down'), z.strictObject({ bandwidthFactor: z.number().gt(0).max(1) })], {
    error: 'expected "down" or { bandwidthFactor: <a number in (0, 1]> }',
  }),
  /** Also apply to the reverse direction of every matched link (default true). */
  bothDirections: z.boolean().optional(),
});
export type LinkFault = z.input<typeof linkFaultSchema>;
