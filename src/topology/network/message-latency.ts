// The per-message latency both network models charge: the option when given (tests, calibration), else the system's
// catalog figure, a negative or fractional number of ns refused; and the count of a phase's messages per sender.
import { secondsToNs } from '../../engine/index.ts';
import type { TimeNs } from '../../engine/index.ts';
import type { Cluster } from '../cluster/types.ts';

export function messageLatencyOf(cluster: Cluster, messageLatencyNs: TimeNs | undefined): TimeNs {
  const ns = messageLatencyNs ?? secondsToNs(cluster.system.messageLatency.value);
  if (!Number.isInteger(ns) || ns < 0) throw new RangeError(`messageLatencyNs must be a non-negative integer, got ${ns}`);
  return ns;
}

/**
 * The messages each device sends in one phase, to charge the per-message latency α once per message of the busiest
 * sender: a direct all-to-all over n ranks costs (n − 1)·α before its bytes, a ring step α. The phase's messages
 * leave a device one after another (each a separate send the collective library posts and completes), while
 * different devices send in parallel.
 */
export class MessageCounter {
  private sent: Int32Array;
  private senders: Int32Array;
  private count = 0;
  /** The most messages one device has sent since the last take(). */
  most = 0;

  constructor(devices: number) {
    this.sent = new Int32Array(devices);
    this.senders = new Int32Array(devices);
  }

  /** A message (a flow with bytes between two different devices) from `src`. */
  add(src: number): void {
    if (src >= this.sent.length) this.grow(src + 1);
    const n = this.sent[src]! + 1;
    this.sent[src] = n;
    if (n === 1) this.senders[this.count++] = src;
    if (n > this.most) this.most = n;
  }

  /** The busiest sender's message count in the phase, and a fresh count for the next phase. */
  take(): number {
    for (let i = 0; i < this.count; i++) this.sent[this.senders[i]!] = 0;
    this.count = 0;
    const most = this.most;
    this.most = 0;
    return most;
  }

  private grow(size: number): void {
    const sent = new Int32Array(size);
    sent.set(this.sent);
    const senders = new Int32Array(size);
    senders.set(this.senders);
    this.sent = sent;
    this.senders = senders;
  }
}
