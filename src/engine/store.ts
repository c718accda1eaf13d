// Store: a FIFO buffer of items between processes (e.g. micro-batches handed between pipeline stages).
// put() waits while the store is full, get() waits while it is empty; waiters are served first come, first served.
import { Fifo } from './fifo.ts';
import { TimeWeighted } from './statistics.ts';
import { Completion } from './waitable.ts';
import type { CallScheduler, Waitable } from './waitable.ts';

class StoreGet<T> extends Completion<T> {
  constructor(
    scheduler: CallScheduler,
    private readonly storeName: string,
  ) {
    super(scheduler);
  }

  describe(): string {
    return `store "${this.storeName}" get`;
  }

  deliver(item: T): void {
    this.complete(item);
  }
}

class StorePut<T> extends Completion<void> {
  constructor(
    scheduler: CallScheduler,
    private readonly storeName: string,
    readonly item: T,
  ) {
    super(scheduler);
  }

  describe(): string {
    return `store "${this.storeName}" put`;
  }

  accept(): void {
    this.complete(undefined);
  }
}

export class Store<T> {
  readonly name: string;
  readonly capacity: number;
  /** Number of items held over time. */
  readonly occupancy: TimeWeighted;
  private readonly sim: CallScheduler;
  private readonly items = new Fifo<T>();
  private readonly getters = new Fifo<StoreGet<T>>();
  private readonly putters = new Fifo<StorePut<T>>();

  constructor(sim: CallScheduler, name: string, capacity = Infinity) {
    if (typeof name !== 'string' || name === '') throw new TypeError('a Store needs a non-empty name');
    if (!(capacity === Infinity || (Number.isInteger(capacity) && capacity >= 1))) {
      throw new RangeError(`store "${name}": capacity must be a positive integer (or Infinity), got ${String(capacity)}`);
    }
    this.sim = sim;
    this.name = name;
    this.capacity = capacity;
    this.occupancy = new TimeWeighted(sim.now, 0);
  }

  /** Items currently held. */
  get size(): number {
    return this.items.length;
  }

  /** Processes blocked in get(). */
  get waitingGetters(): number {
    return this.getters.length;
  }

  /** Processes blocked in put(). */
  get waitingPutters(): number {
    return this.putters.length;
  }

  /** Adds `item`; completes once it is in the store (or handed straight to a waiting getter). */
  put(item: T): Waitable<void> {
    const request = new StorePut<T>(this.sim, this.name, item);
    const getter = this.getters.shift();
    if (getter !== undefined) {
      getter.deliver(item);
      request.accept();
    } else if (this.items.length < this.capacity) {
      this.items.push(item);
      this.occupancy.update(this.sim.now, this.items.length);
      request.accept();
    } else {
      this.putters.push(request);
    }
    return request;
  }

  /** Takes the oldest item; waits while the store is empty. */
  get(): Waitable<T> {
    const request = new StoreGet<T>(this.sim, this.name);
    if (this.items.length === 0) {
      this.getters.push(request);
      return request;
    }
    const item = this.items.shift() as T;
    const putter = this.putters.shift();
    if (putter !== undefined) {
      this.items.push(putter.item);
      putter.accept();
    }
    this.occupancy.update(this.sim.now, this.items.length);
    request.deliver(item);
    return request;
  }
}
