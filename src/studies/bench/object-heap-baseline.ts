// Baseline for the engine benchmark: a plain binary heap of {time, seq, fn} objects, written the
// straightforward way (one object allocated per event). It shows what the typed-array EventQueue buys.

export interface HeapEvent {
  time: number;
  seq: number;
  fn: () => void;
}

function earlier(a: HeapEvent, b: HeapEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

function swap(items: HeapEvent[], i: number, j: number): void {
  const held = items[i]!;
  items[i] = items[j]!;
  items[j] = held;
}

export class ObjectHeap {
  private readonly items: HeapEvent[] = [];

  get size(): number {
    return this.items.length;
  }

  push(event: HeapEvent): void {
    const items = this.items;
    items.push(event);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(items[i]!, items[parent]!)) break;
      swap(items, i, parent);
      i = parent;
    }
  }

  pop(): HeapEvent | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && earlier(items[left]!, items[smallest]!)) smallest = left;
        if (right < items.length && earlier(items[right]!, items[smallest]!)) smallest = right;
        if (smallest === i) break;
        swap(items, i, smallest);
        i = smallest;
      }
    }
    return top;
  }
}

/** A minimal event loop over ObjectHeap, mirroring Simulator.schedule/run. */
export class ObjectHeapSimulator {
  now = 0;
  private seq = 0;
  private readonly heap = new ObjectHeap();

  schedule(delay: number, fn: () => void): void {
    this.heap.push({ time: this.now + delay, seq: this.seq++, fn });
  }

  run(): number {
    for (;;) {
      const event = this.heap.pop();
      if (event === undefined) return this.now;
      this.now = event.time;
      event.fn();
    }
  }
}
