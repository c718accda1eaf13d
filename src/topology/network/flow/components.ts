// Which active flows use each link, and the connected components of the flow/link graph around a set of
// links. Max-min fair rates decompose exactly over these components (a flow's rate depends only on the
// flows it shares links with, transitively), so when flows start or finish the fluid state re-solves only
// the components that touch their links and every other flow keeps its rate.
//
// Per-link lists are plain arrays with swap-removal; each entity remembers its index in the lists of the
// first POSITIONS links of its path (longer paths fall back to a search), so removal is O(path length).
import { grownInt32 } from './typed-array-growth.ts';

/** Per entity, how many path links have a remembered list index. */
const POSITIONS = 8;

export class LinkFlowIndex {
  /** Links visited by the last collect(), then the flows found (counts in linkCount / flowCount). */
  links: Int32Array;
  flows = new Int32Array(256);
  linkCount = 0;
  flowCount = 0;
  private readonly flowsOn: number[][];
  private readonly linkMark: Int32Array;
  private flowMark = new Int32Array(256);
  /** position[entity × POSITIONS + k]: the entity's index in the list of its path's k-th link. */
  private position = new Int32Array(256 * POSITIONS);
  private generation = 0;

  constructor(linkCount: number) {
    this.flowsOn = Array.from({ length: linkCount }, () => []);
    this.links = new Int32Array(linkCount);
    this.linkMark = new Int32Array(linkCount);
  }

  /** Registers `entity` on the links pool[start .. end). */
  add(entity: number, pool: Int32Array, start: number, end: number): void {
    const base = entity * POSITIONS;
    if (base + POSITIONS > this.position.length) this.position = grownInt32(this.position, Math.max(base + POSITIONS, this.position.length * 2));
    for (let p = start; p < end; p++) {
      const list = this.flowsOn[pool[p]!] as number[];
      if (p - start < POSITIONS) this.position[base + p - start] = list.length;
      list.push(entity);
    }
  }

  /** Unregisters `entity` (still on its path in pathStart / pathLength) from its links. */
  remove(entity: number, pool: Int32Array, pathStart: Int32Array, pathLength: Int32Array): void {
    const { position } = this;
    const start = pathStart[entity]!;
    const end = start + pathLength[entity]!;
    for (let p = start; p < end; p++) {
      const link = pool[p]!;
      const list = this.flowsOn[link] as number[];
      let at = p - start < POSITIONS ? position[entity * POSITIONS + p - start]! : -1;
      if (at < 0 || list[at] !== entity) at = list.lastIndexOf(entity);
      if (at < 0) throw new Error(`internal: flow entity ${entity} is not on link ${link}`);
      const lastAt = list.length - 1;
      const last = list.pop() as number;
      if (at === lastAt) continue;
      list[at] = last;
      // The moved entity's remembered index for this link (the k with that link and the old index).
      const lastStart = pathStart[last]!;
      const limit = Math.min(pathLength[last]!, POSITIONS);
      for (let k = 0; k < limit; k++) {
        if (pool[lastStart + k] === link && position[last * POSITIONS + k] === lastAt) {
          position[last * POSITIONS + k] = at;
          break;
        }
      }
    }
  }

  /** The flows on `link` (live view; do not modify). */
  flowsOnLink(link: number): readonly number[] {
    return this.flowsOn[link] as number[];
  }

  /**
   * Collects every link and flow connected to seeds[0 .. seedCount) through shared links into `links` /
   * `flows` (each once; seed links with no flow left are included, so their totals can drop to zero).
   */
  collect(seeds: Int32Array, seedCount: number, pool: Int32Array, pathStart: Int32Array, pathLength: Int32Array): void {
    const generation = ++this.generation;
    const { linkMark, links, flowsOn } = this;
    let linkCount = 0;
    let flowCount = 0;
    for (let s = 0; s < seedCount; s++) {
      const l = seeds[s]!;
      if (linkMark[l] === generation) continue;
      linkMark[l] = generation;
      links[linkCount++] = l;
    }
    // Breadth-first: `links` doubles as the queue.
    for (let q = 0; q < linkCount; q++) {
      const list = flowsOn[links[q]!] as number[];
      for (let i = 0; i < list.length; i++) {
        const f = list[i]!;
        if (f >= this.flowMark.length) this.growFlowMark(f + 1);
        if (this.flowMark[f] === generation) continue;
        this.flowMark[f] = generation;
        if (flowCount === this.flows.length) this.flows = grownInt32(this.flows, flowCount * 2);
        this.flows[flowCount++] = f;
        const end = pathStart[f]! + pathLength[f]!;
        for (let p = pathStart[f]!; p < end; p++) {
          const l = pool[p]!;
          if (linkMark[l] === generation) continue;
          linkMark[l] = generation;
          links[linkCount++] = l;
        }
      }
    }
    this.linkCount = linkCount;
    this.flowCount = flowCount;
  }

  private growFlowMark(minimum: number): void {
    this.flowMark = grownInt32(this.flowMark, Math.max(minimum, this.flowMark.length * 2));
  }
}
