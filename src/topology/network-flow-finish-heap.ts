// An indexed 4-ary min-heap of flow entities keyed by a float (an entity's projected finish time, ns),
// growable with the entity count: set a key (insert or move), remove, peek the minimum. Ties break on the
// smaller entity id, so the order in which simultaneous finishes are found is deterministic. It lets the
// fluid state find the next finish without scanning every active flow. Four children per node: half the
// depth of a binary heap, for the many key changes a re-solve makes among tens of thousands of flows.

export class FinishHeap {
  private heap = new Int32Array(64);
  /** Position of each entity in `heap`, or -1 when it is not in the heap. */
  private position = new Int32Array(64).fill(-1);
  private key = new Float64Array(64);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The entity with the smallest key; the heap must not be empty. */
  peek(): number {
    return this.heap[0] as number;
  }

  /** Inserts `entity` with `key`, or moves it to `key` when it is already in the heap. */
  set(entity: number, key: number): void {
    if (entity >= this.position.length) this.grow(entity + 1);
    const at = this.position[entity] as number;
    if (at < 0) {
      this.key[entity] = key;
      this.heap[this.count] = entity;
      this.position[entity] = this.count;
      this.count++;
      this.siftUp(this.count - 1);
      return;
    }
    const old = this.key[entity] as number;
    this.key[entity] = key;
    if (key < old) this.siftUp(at);
    else this.siftDown(at);
  }

  /** Removes `entity` if it is in the heap. */
  remove(entity: number): void {
    if (entity >= this.position.length) return;
    const at = this.position[entity] as number;
    if (at < 0) return;
    this.position[entity] = -1;
    this.count--;
    if (at === this.count) return;
    const last = this.heap[this.count] as number;
    this.heap[at] = last;
    this.position[last] = at;
    this.siftUp(at);
    this.siftDown(this.position[last] as number);
  }

  private grow(minimum: number): void {
    const size = Math.max(minimum, this.position.length * 2);
    const heap = new Int32Array(size);
    heap.set(this.heap);
    const position = new Int32Array(size).fill(-1);
    position.set(this.position);
    const key = new Float64Array(size);
    key.set(this.key);
    this.heap = heap;
    this.position = position;
    this.key = key;
  }

  private less(a: number, b: number): boolean {
    const ka = this.key[a] as number;
    const kb = this.key[b] as number;
    return ka < kb || (ka === kb && a < b);
  }

  private place(at: number, entity: number): void {
    this.heap[at] = entity;
    this.position[entity] = at;
  }

  private siftUp(start: number): void {
    let at = start;
    const entity = this.heap[at] as number;
    while (at > 0) {
      const parent = (at - 1) >> 2;
      const parentEntity = this.heap[parent] as number;
      if (!this.less(entity, parentEntity)) break;
      this.place(at, parentEntity);
      at = parent;
    }
    this.place(at, entity);
  }

  private siftDown(start: number): void {
    let at = start;
    const entity = this.heap[at] as number;
    for (;;) {
      const first = 4 * at + 1;
      if (first >= this.count) break;
      let child = first;
      let childEntity = this.heap[first] as number;
      const last = Math.min(first + 4, this.count);
      for (let c = first + 1; c < last; c++) {
        const candidate = this.heap[c] as number;
        if (this.less(candidate, childEntity)) {
          child = c;
          childEntity = candidate;
        }
      }
      if (!this.less(childEntity, entity)) break;
      this.place(at, childEntity);
      at = child;
    }
    this.place(at, entity);
  }
}
