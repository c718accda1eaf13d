// The interface every fabric wiring returns to the cluster builder: how devices map to NICs and leaves, the
// route between devices on different servers (ECMP-hashed, avoiding down links), and the connectivity check.
import type { FabricLayout } from '../cluster/types.ts';

export interface FabricRouter {
  readonly layout: FabricLayout;
  /** Server-local NIC index of a device. */
  nicOf(device: number): number;
  /** Node id of the fabric switch the device's NIC plugs into. */
  leafOf(device: number): number;
  /**
   * Link ids from src to dst (on different servers), choosing among equal-cost paths by a hash of
   * (src, dst, flowKey) and never using a link with down[id] !== 0; undefined when no path is left.
   */
  route(src: number, dst: number, flowKey: number, down: Uint8Array): number[] | undefined;
  /** Some ordered pair of devices on different servers with no path left, or undefined when none is cut. */
  findCut(down: Uint8Array): [number, number] | undefined;
}
