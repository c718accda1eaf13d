// Mutable graph used while building a cluster: named nodes on levels, duplex links stored as two named directed
// Links, and conversion of a node path into link ids. Wiring modules (servers, fabric) add to it.
import type { TimeNs } from '../../engine/index.ts';
import type { Link, LinkKind, NodeInfo, NodeKind } from './types.ts';

/**
 * Levels order nodes for link names: a link to a higher level is named with ↑, to a lower one with ↓,
 * between equal levels with →.
 */
export const NodeLevel = { device: 0, attachment: 1, leaf: 2, spine: 3, core: 4 } as const;

/** Node ids stay far below 2^26, so (from, to) packs exactly into one number. */
const NODE_KEY = 2 ** 26;

export class LinkGraph {
  readonly nodes: NodeInfo[] = [];
  readonly links: Link[] = [];
  private readonly levels: number[] = [];
  /** (from * 2^26 + to) → link id. */
  private readonly linkByEnds = new Map<number, number>();
  readonly linkByName = new Map<string, number>();

  addNode(kind: NodeKind, server: number, traversalLatencyNs: TimeNs, name: string, level: number): number {
    const id = this.nodes.length;
    if (id >= NODE_KEY) throw new Error(`internal: more than ${NODE_KEY} nodes`);
    this.nodes.push(Object.freeze({ id, kind, name, server, traversalLatencyNs }));
    this.levels.push(level);
    return id;
  }

  /**
   * Adds a physical link as two directed Links (a→b then b→a, ids 2k and 2k+1) with the same bandwidth and
   * latency; returns the id of a→b. `labelA`/`labelB` replace the node names in the link names (a device's
   * port on a fabric switch is named after its NIC, `s3.nic5`).
   */
  addDuplexLink(a: number, b: number, kind: LinkKind, bandwidth: number, latencyNs: TimeNs, labelA?: string, labelB?: string): number {
    const nameA = labelA ?? this.nodeName(a);
    const nameB = labelB ?? this.nodeName(b);
    const levelA = this.levels[a]!;
    const levelB = this.levels[b]!;
    const forward = levelA < levelB ? '↑' : levelA > levelB ? '↓' : '→';
    const backward = forward === '↑' ? '↓' : forward === '↓' ? '↑' : '→';
    const id = this.addDirectedLink(a, b, kind, bandwidth, latencyNs, `${nameA}${forward}${nameB}`);
    this.addDirectedLink(b, a, kind, bandwidth, latencyNs, `${nameB}${backward}${nameA}`);
    return id;
  }

  private nodeName(node: number): string {
    const info = this.nodes[node];
    if (info === undefined) throw new Error(`internal: no node ${node}`);
    return info.name;
  }

  private addDirectedLink(from: number, to: number, kind: LinkKind, bandwidth: number, latencyNs: TimeNs, name: string): number {
    if (from === to) throw new Error(`link from node ${from} to itself`);
    const key = from * NODE_KEY + to;
    if (this.linkByEnds.has(key)) throw new Error(`duplicate link ${from}→${to}`);
    if (this.linkByName.has(name)) throw new Error(`internal: duplicate link name ${name}`);
    const id = this.links.length;
    this.links.push(Object.freeze({ id, name, from, to, kind, bandwidth, latencyNs, up: true, bandwidthFactor: 1 }));
    this.linkByEnds.set(key, id);
    this.linkByName.set(name, id);
    return id;
  }

  linkId(from: number, to: number): number {
    const id = this.linkByEnds.get(from * NODE_KEY + to);
    if (id === undefined) throw new Error(`internal: no link ${from}→${to}`);
    return id;
  }

  /** Link ids along a node path [n0, n1, ..., nk]. */
  pathToLinks(path: readonly number[]): number[] {
    const ids: number[] = [];
    for (let i = 1; i < path.length; i++) ids.push(this.linkId(path[i - 1]!, path[i]!));
    return ids;
  }
}

/** Routes a pair of devices to a node path (first element src, last dst). */
export type NodePathRouter = (src: number, dst: number) => readonly number[];
