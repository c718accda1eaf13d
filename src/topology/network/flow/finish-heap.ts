// An indexed 4-ary min-heap of flow entities keyed by a float (an entity's projected finish time, ns),
// growable with the entity count: set a key (insert or move), remove, peek the minimum. Ties break on the
// smaller entity id, so the order in which simultaneous finishes are found is deterministic. It lets the
// fluid state find the next finish without scanning every active flow. Four children per node: half the
// depth of a binary heap, for the many key changes a re-solve makes among tens of thousands of flows; keys
// are stored by heap slot next to the entity ids, so sifting reads contiguous memory.

export class FinishHeap {
  /** Entity and key in each heap slot. */
  private heap = new Int32Array(64);
  private keys = new Float64Array(64);
  /** Slot of each entity in `heap`, or -1 when it is not in the heap. */
  private position = new Int32Array(64).fill(-1);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The entity with the smallest key; the heap must not be empty. */
  peek(): number {
    return this.heap[0]!;
  }

  /** Inserts `entity` with `key`, or moves it to `key` when it is already in the heap. */
  set(entity: number, key: number): void {
    if (entity >= this.position.length) this.grow(entity + 1);
    const at = this.position[entity]!;
    if (at < 0) {
      this.siftUp(this.count++, entity, key);
      return;
    }
    const old = this.keys[at]!;
    if (key < old) this.siftUp(at, entity, key);
    else this.siftDown(at, entity, key);
  }

  /** Removes `entity` if it is in the heap. */
  remove(entity: number): void {
    if (entity >= this.position.length) return;
    const at = this.position[entity]!;
    if (at < 0) return;
    this.position[entity] = -1;
    this.count--;
    if (at === this.count) return;
    const last = this.heap[this.count]!;
    const lastKey = this.keys[this.count]!;
    // The moved entry goes up if it beats the parent of the hole, else down.
    const parent = (at - 1) >> 2;
    if (at > 0 && less(lastKey, last, this.keys[parent]!, this.heap[parent]!)) this.siftUp(at, last, lastKey);
    else this.siftDown(at, last, lastKey);
  }

  private grow(minimum: number): void {
    const size = Math.max(minimum, this.position.length * 2);
    const heap = new Int32Array(size);
    heap.set(this.heap);
    const keys = new Float64Array(size);
    keys.set(this.keys);
    const position = new Int32Array(size).fill(-1);
    position.set(this.position);
    this.heap = heap;
    this.keys = keys;
    this.position = position;
  }

  private place(at: number, entity: number, key: number): void {
    this.heap[at] = entity;
    this.keys[at] = key;
    this.position[entity] = at;
  }

  /** Places (entity, key) at slot `start` or above it, moving larger parents down. */
  private siftUp(start: number, entity: number, key: number): void {
    const { heap, keys } = this;
    let at = start;
    while (at > 0) {
      const parent = (at - 1) >> 2;
      const parentEntity = heap[parent]!;
      const parentKey = keys[parent]!;
      if (!less(key, entity, parentKey, parentEntity)) break;
      this.place(at, parentEntity, parentKey);
      at = parent;
    }
    this.place(at, entity, key);
  }

  /** Places (entity, key) at slot `start` or below it, moving smaller children up. */
  private siftDown(start: number, entity: number, key: number): void {
    const { heap, keys } = this;
    let at = start;
    for (;;) {
      const first = 4 * at + 1;
      if (first >= this.count) break;
      let child = first;
      let childEntity = heap[first]!;
      let childKey = keys[first]!;
      const last = Math.min(first + 4, this.count);
      for (let c = first + 1; c < last; c++) {
        const candidateKey = keys[c]!;
        const candidate = heap[c]!;
        if (less(candidateKey, candidate, childKey, childEntity)) {
          child = c;
          childEntity = candidate;
          childKey = candidateKey;
        }
      }
      if (!less(childKey, childEntity, key, entity)) break;
      this.place(at, childEntity, childKey);
      at = child;
    }
    this.place(at, entity, key);
  }
}

/** (ka, a) before (kb, b): smaller key, then smaller entity. */
function less(ka: number, a: number, kb: number, b: number): boolean {
  return ka < kb || (ka === kb && a < b);
}
