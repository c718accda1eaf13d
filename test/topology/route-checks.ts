// Test helper: checks that a route is a valid path of links from device src to device dst.
import type { Cluster } from '../../src/topology/index.ts';

/** Returns a description of what is wrong with route(src, dst), or undefined when it is a valid path. */
export function routeProblem(cluster: Cluster, src: number, dst: number): string | undefined {
  const ids = cluster.route(src, dst);
  if (src === dst) return ids.length === 0 ? undefined : `route ${src}→${src} should be empty`;
  if (ids.length === 0) return `route ${src}→${dst} is empty`;
  const visited = new Set<number>([src]);
  let at = src;
  for (const id of ids) {
    const link = cluster.links[id];
    if (link === undefined) return `route ${src}→${dst} uses unknown link ${id}`;
    if (link.from !== at) return `route ${src}→${dst}: link ${id} starts at ${link.from}, expected ${at}`;
    at = link.to;
    if (visited.has(at)) return `route ${src}→${dst} visits node ${at} twice`;
    visited.add(at);
    if (at !== dst && cluster.nodeInfo(at).kind === 'device') return `route ${src}→${dst} passes through device ${at}`;
  }
  return at === dst ? undefined : `route ${src}→${dst} ends at ${at}`;
}
