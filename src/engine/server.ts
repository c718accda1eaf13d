// Server: a resource with `capacity` identical units (a link's lanes, a DMA engine, a device's compute
// stream). acquire() waits FIFO for a unit, release() returns one. Tracks busy units over time and wait times.
import { Fifo } from './fifo.ts';
import { Tally, TimeWeighted } from './statistics.ts';
import type { TimeNs } from './time.ts';
import { Completion } from './waitable.ts';
import type { CallScheduler, Waitable } from './waitable.ts';

/** One acquire() call: completes when the unit is granted. */
class ServerRequest extends Completion<void> {
  readonly server: Server;
  readonly requestedAt: TimeNs;

  constructor(scheduler: CallScheduler, server: Server) {
    super(scheduler);
    this.server = server;
    this.requestedAt = scheduler.now;
  }

  describe(): string {
    return this.server.describe();
  }

  grant(): void {
    this.complete(undefined);
  }
}

export class Server {
  readonly name: string;
  readonly capacity: number;
  /** Units in use over time; mean(now) / capacity is the utilisation. */
  readonly busyUnits: TimeWeighted;
  /** Time from acquire() to grant, per request (ns). */
  readonly waitTime = new Tally();
  private readonly sim: CallScheduler;
  private used = 0;
  private readonly waiting = new Fifo<ServerRequest>();

  constructor(sim: CallScheduler, name: string, capacity: number) {
    if (typeof name !== 'string' || name === '') throw new TypeError('a Server needs a non-empty name');
    if (!(capacity === Infinity || (Number.isInteger(capacity) && capacity >= 1))) {
      throw new RangeError(`server "${name}": capacity must be a positive integer (or Infinity), got ${String(capacity)}`);
    }
    this.sim = sim;
    this.name = name;
    this.capacity = capacity;
    this.busyUnits = new TimeWeighted(sim.now, 0);
  }

  /** Units currently held. */
  get inUse(): number {
    return this.used;
  }

  /** Requests waiting for a unit. */
  get queueLength(): number {
    return this.waiting.length;
  }

  /** Waits for one unit (first come, first served). The unit is reserved at once if free. */
  acquire(): Waitable<void> {
    const request = new ServerRequest(this.sim, this);
    if (this.used < this.capacity && this.waiting.length === 0) this.grant(request);
    else this.waiting.push(request);
    return request;
  }

  /** Returns one unit; the longest-waiting request (if any) gets it. */
  release(): void {
    if (this.used === 0) throw new Error(`server "${this.name}": release() with no unit held (more releases than acquires)`);
    this.setUsed(this.used - 1);
    const next = this.waiting.shift();
    if (next !== undefined) this.grant(next);
  }

  /** Mean fraction of capacity in use from creation until now. */
  utilisation(): number {
    return this.busyUnits.mean(this.sim.now) / this.capacity;
  }

  describe(): string {
    return `server "${this.name}" (capacity ${this.capacity}, ${this.waiting.length} queued)`;
  }

  private grant(request: ServerRequest): void {
    this.setUsed(this.used + 1);
    this.waitTime.record(this.sim.now - request.requestedAt);
    request.grant();
  }

  private setUsed(units: number): void {
    this.used = units;
    this.busyUnits.update(this.sim.now, units);
  }
}
