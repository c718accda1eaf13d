// The two-level view of a group that hierarchical collectives need: which server each rank is in, and its
// local index there. Servers are numbered by first appearance in the group, local indices by group order,
// and every server must hold the same number of group members (a loud error names the group otherwise).
import { InputError } from '../../engine/index.ts';
import { describeGroup, validateGroup } from './plan.ts';
import type { GroupOptions } from './plan.ts';

/** What a hierarchical algorithm needs to know about the cluster; a Cluster satisfies it. */
export interface HierarchyOptions extends GroupOptions {
  /** The server of a device (any integer label; equal labels mean the same server). */
  serverOf(device: number): number;
}

export interface ServerLayout {
  /** Number of servers the group spans. */
  readonly servers: number;
  /** Group members per server (the same for every server). */
  readonly perServer: number;
  /** devices[s][l]: the device with local index l in the group's server s. */
  readonly devices: readonly (readonly number[])[];
  /** rail(l): the devices with local index l, one per server, in server order. */
  rail(local: number): readonly number[];
}

/** Splits `group` by server; throws when the servers hold different numbers of group members. */
export function serverLayout(group: readonly number[], options: HierarchyOptions, what: string): ServerLayout {
  validateGroup(group, options);
  if (typeof options.serverOf !== 'function') {
    throw new InputError(`${describeGroup(group)}: ${what} needs serverOf(device) (pass the Cluster)`);
  }
  const slotOfServer = new Map<number, number>();
  const devices: number[][] = [];
  for (const device of group) {
    const server = options.serverOf(device);
    if (!Number.isInteger(server)) {
      throw new InputError(`${describeGroup(group)}: serverOf(${device}) returned ${String(server)}, not an integer server id`);
    }
    let slot = slotOfServer.get(server);
    if (slot === undefined) {
      slot = devices.length;
      slotOfServer.set(server, slot);
      devices.push([]);
    }
    (devices[slot] as number[]).push(device);
  }
  const perServer = (devices[0] as number[]).length;
  const uneven = devices.findIndex((members) => members.length !== perServer);
  if (uneven >= 0) {
    const servers = [...slotOfServer.keys()];
    const counts = devices.map((members, s) => `server ${servers[s]}: ${members.length}`).join(', ');
    throw new InputError(
      `${describeGroup(group)}: ${what} needs the same number of group devices in every server, got ${counts}; ` +
        `use a group with equal devices per server or a flat algorithm (ring, direct, pairwise)`,
    );
  }
  return {
    servers: devices.length,
    perServer,
    devices,
    rail: (local) => devices.map((members) => members[local]!),
  };
}
