// Options several commands share, parsed once: --backend (a tfjs backend), --workers (worker threads) and a network
// model's name (bench's --network, collective's --model).
import { availableParallelism } from 'node:os';
import { InputError } from '../engine/index.ts';
import type { BackendName } from '../routing/index.ts';
import { TF_BACKENDS } from '../routing/index.ts';
import type { NetworkModelName } from '../topology/index.ts';
import { networkModelNames } from '../topology/index.ts';

/** --backend: one of the tfjs backends, else an InputError that lists them. */
export function parseBackend(text: string): BackendName {
  const backend = TF_BACKENDS.find((b) => b === text);
  if (backend === undefined) throw new InputError(`--backend: got "${text}"; accepted: ${TF_BACKENDS.join(', ')}`, 'backend');
  return backend;
}

/** --workers: a whole number from 1 to 64; by default 2, or 1 on a one-core machine. */
export function parseWorkers(text: string | undefined): number {
  if (text === undefined) return Math.max(1, Math.min(2, availableParallelism()));
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 64) throw new InputError(`--workers: expected a whole number from 1 to 64, got "${text}"`, 'workers');
  return n;
}

/** A network model's name given to `flag`, else an InputError that lists the registry's models. */
export function parseNetworkModel(flag: string, text: string): NetworkModelName {
  const names = networkModelNames();
  if (!names.includes(text)) throw new InputError(`--${flag}: got "${text}"; accepted: ${names.join(', ')}`, flag);
  return text;
}
