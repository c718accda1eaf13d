// The loud failure when link faults leave some pair of devices without a path: finds a cut pair once at build
// time (fabric leaves and NIC ports structurally, servers touched by a down link pair by pair) and words the
// error with the pair, their servers and the down links next to them.
import { InputError } from '../../engine/index.ts';
import type { Link, NodeInfo } from './types.ts';
import type { FabricRouter } from '../fabric/router.ts';
import type { LinkGraph, NodePathRouter } from './link-graph.ts';

export interface CutContext {
  readonly links: readonly Link[];
  readonly nodes: readonly NodeInfo[];
  readonly down: Uint8Array;
  readonly devicesPerServer: number;
  readonly fabric: FabricRouter;
}

/** The InputError for a pair of devices that no route joins once the faults are applied. */
export function cutError(context: CutContext, src: number, dst: number): InputError {
  const { links, nodes, down, devicesPerServer, fabric } = context;
  const near = new Set([src, dst, fabric.leafOf(src), fabric.leafOf(dst)]);
  const downNear: string[] = [];
  const downAll: string[] = [];
  for (const link of links) {
    if (down[link.id] !== 1) continue;
    downAll.push(link.name);
    if (near.has(link.from) || near.has(link.to)) downNear.push(link.name);
  }
  const shown = (downNear.length > 0 ? downNear : downAll).slice(0, 8);
  const more = downAll.length > shown.length ? `, … (${downAll.length} down in all)` : '';
  const server = (d: number): number => Math.floor(d / devicesPerServer);
  const where = (d: number): string =>
    server(src) === server(dst) ? `server ${server(d)}` : `server ${server(d)}, ${(nodes[fabric.leafOf(d)] as NodeInfo).name}`;
  return new InputError(
    `cluster.faults: devices ${src} (${where(src)}) and ${dst} (${where(dst)}) are cut off: every path from ${src} to ${dst} ` +
      `crosses a link the faults take down (${shown.join(', ')}${more}); remove or narrow a fault, or degrade the link ` +
      'with { bandwidthFactor } instead of taking it down',
    'cluster.faults',
  );
}

/** Throws cutError for the first pair of devices left without a path, if any. Call only when a link is down. */
export function checkNoCut(context: CutContext, graph: LinkGraph, serverRouters: readonly NodePathRouter[]): void {
  const { links, nodes, down, devicesPerServer, fabric } = context;
  const fabricCut = fabric.findCut(down);
  if (fabricCut !== undefined) throw cutError(context, fabricCut[0], fabricCut[1]);
  const touched = new Set<number>();
  for (const link of links) {
    if (down[link.id] !== 1) continue;
    const a = nodes[link.from] as NodeInfo;
    const b = nodes[link.to] as NodeInfo;
    if (a.server >= 0 && a.server === b.server) touched.add(a.server);
  }
  for (const server of [...touched].sort((x, y) => x - y)) {
    const router = serverRouters[server] as NodePathRouter;
    const first = server * devicesPerServer;
    for (let src = first; src < first + devicesPerServer; src++) {
      for (let dst = first; dst < first + devicesPerServer; dst++) {
        if (src === dst) continue;
        if (graph.pathToLinks(router(src, dst)).some((id) => down[id] === 1)) throw cutError(context, src, dst);
      }
    }
  }
}
