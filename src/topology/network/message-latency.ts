// The per-message latency both network models charge once per phase: the option when given (tests, calibration),
// else the system's catalog figure; a negative or fractional number of ns is refused.
import { secondsToNs } from '../../engine/index.ts';
import type { TimeNs } from '../../engine/index.ts';
import type { Cluster } from '../cluster/types.ts';

export function messageLatencyOf(cluster: Cluster, messageLatencyNs: TimeNs | undefined): TimeNs {
  const ns = messageLatencyNs ?? secondsToNs(cluster.system.messageLatency.value);
  if (!Number.isInteger(ns) || ns < 0) throw new RangeError(`messageLatencyNs must be a non-negative integer, got ${ns}`);
  return ns;
}
