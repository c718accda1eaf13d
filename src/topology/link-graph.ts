// Mutable graph used while building a cluster: nodes with kinds, duplex links stored as two directed Links,
// and conversion of a node path into link ids. Wiring modules (servers, fabric) add to it.
import type { TimeNs } from '../engine/index.ts';
import type { Link, LinkKind, NodeInfo, NodeKind } from './cluster-types.ts';

export class LinkGraph {
  readonly nodes: NodeInfo[] = [];
  readonly links: Link[] = [];
  /** (from * 2^26 + to) → link id; node counts stay far below 2^26. */
  private readonly linkByEnds = new Map<number, number>();

  addNode(kind: NodeKind, server: number, traversalLatencyNs: TimeNs = 0): number {
    const id = this.nodes.length;
    this.nodes.push(Object.freeze({ id, kind, server, traversalLatencyNs }));
    return id;
  }

  /** Adds a physical link as two directed Links (a→b then b→a) with the same bandwidth and latency. */
  addDuplexLink(a: number, b: number, kind: LinkKind, bandwidth: number, latencyNs: TimeNs): void {
    this.addDirectedLink(a, b, kind, bandwidth, latencyNs);
    this.addDirectedLink(b, a, kind, bandwidth, latencyNs);
  }

  private addDirectedLink(from: number, to: number, kind: LinkKind, bandwidth: number, latencyNs: TimeNs): void {
    if (from === to) throw new Error(`link from node ${from} to itself`);
    const key = from * 2 ** 26 + to;
    if (this.linkByEnds.has(key)) throw new Error(`duplicate link ${from}→${to}`);
    const id = this.links.length;
    this.links.push(Object.freeze({ id, from, to, kind, bandwidth, latencyNs }));
    this.linkByEnds.set(key, id);
  }

  linkId(from: number, to: number): number {
    const id = this.linkByEnds.get(from * 2 ** 26 + to);
    if (id === undefined) throw new Error(`internal: no link ${from}→${to}`);
    return id;
  }

  /** Link ids along a node path [n0, n1, ..., nk]. */
  pathToLinks(path: readonly number[]): number[] {
    const ids: number[] = [];
    for (let i = 1; i < path.length; i++) ids.push(this.linkId(path[i - 1] as number, path[i] as number));
    return ids;
  }
}

/** Routes a pair of devices to a node path (first element src, last dst). */
export type NodePathRouter = (src: number, dst: number) => readonly number[];
