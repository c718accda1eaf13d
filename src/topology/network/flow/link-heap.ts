// An indexed binary min-heap of link ids keyed by a float (a link's fair share in progressive filling).
// Typed arrays only, allocated once for the cluster's link count: push (or append then heapify), pop-min,
// change a key, remove, clear.
// Ties break on the smaller link id, so the order in which bottlenecks are found is deterministic.

export class LinkShareHeap {
  private readonly heap: Int32Array;
  /** Position of each link in `heap`, or -1 when it is not in the heap. */
  private readonly position: Int32Array;
  private readonly key: Float64Array;
  private count = 0;

  constructor(linkCount: number) {
    this.heap = new Int32Array(linkCount);
    this.position = new Int32Array(linkCount).fill(-1);
    this.key = new Float64Array(linkCount);
  }

  get size(): number {
    return this.count;
  }

  has(link: number): boolean {
    return this.position[link]! >= 0;
  }

  /** Inserts `link` (which must not be in the heap) with `key`. */
  push(link: number, key: number): void {
    this.key[link] = key;
    this.heap[this.count] = link;
    this.position[link] = this.count;
    this.count++;
    this.siftUp(this.count - 1);
  }

  /** Appends `link` (not in the heap) with `key` without ordering; call heapify() before any other operation. */
  append(link: number, key: number): void {
    this.key[link] = key;
    this.heap[this.count] = link;
    this.position[link] = this.count;
    this.count++;
  }

  /** Restores the heap order after append() calls, in O(size). */
  heapify(): void {
    for (let at = (this.count >> 1) - 1; at >= 0; at--) this.siftDown(at);
  }

  /** Empties the heap in O(size). */
  clear(): void {
    for (let i = 0; i < this.count; i++) this.position[this.heap[i]!] = -1;
    this.count = 0;
  }

  /** The key `link` was last given. */
  keyOf(link: number): number {
    return this.key[link]!;
  }

  /** The link with the smallest key; the heap must not be empty. */
  peek(): number {
    return this.heap[0]!;
  }

  /** Sets the key of a link in the heap and restores the order. */
  update(link: number, key: number): void {
    const old = this.key[link]!;
    this.key[link] = key;
    const at = this.position[link]!;
    if (key < old) this.siftUp(at);
    else this.siftDown(at);
  }

  /** Removes `link` if it is in the heap. */
  remove(link: number): void {
    const at = this.position[link]!;
    if (at < 0) return;
    this.position[link] = -1;
    this.count--;
    if (at === this.count) return;
    const last = this.heap[this.count]!;
    this.heap[at] = last;
    this.position[last] = at;
    this.siftUp(at);
    this.siftDown(this.position[last]!);
  }

  private less(a: number, b: number): boolean {
    const ka = this.key[a]!;
    const kb = this.key[b]!;
    return ka < kb || (ka === kb && a < b);
  }

  private place(at: number, link: number): void {
    this.heap[at] = link;
    this.position[link] = at;
  }

  private siftUp(start: number): void {
    let at = start;
    const link = this.heap[at]!;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const parentLink = this.heap[parent]!;
      if (!this.less(link, parentLink)) break;
      this.place(at, parentLink);
      at = parent;
    }
    this.place(at, link);
  }

  private siftDown(start: number): void {
    let at = start;
    const link = this.heap[at]!;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= this.count) break;
      const right = left + 1;
      let child = left;
      if (right < this.count && this.less(this.heap[right]!, this.heap[left]!)) child = right;
      const childLink = this.heap[child]!;
      if (!this.less(childLink, link)) break;
      this.place(at, childLink);
      at = child;
    }
    this.place(at, link);
  }
}
