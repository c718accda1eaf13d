// tfjs set-up: wasm by default (checked to have really started), the optional native tfjs-node, or pure-JS cpu.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { InputError } from '../engine/index.ts';

/** The tfjs backends moesim can start, in the order --help lists them (wasm is the default). */
export const TF_BACKENDS = ['wasm', 'cpu', 'node'] as const;
export type BackendName = (typeof TF_BACKENDS)[number];

export interface BackendInfo {
  /** The backend tfjs is really running on. */
  active: string;
  /** Set when the requested backend could not be used and another took over. */
  note?: string;
}

let current: BackendInfo | undefined;

/**
 * Start the requested tfjs backend once per process. `node` loads @tensorflow/tfjs-node by dynamic import
 * when the user has installed it and otherwise falls back to wasm with a note saying how to install it.
 */
export async function initTfBackend(requested: BackendName = 'wasm'): Promise<BackendInfo> {
  if (current && (current.active === requested || (requested === 'node' && current.note))) return current;
  let note: string | undefined;
  let target: string = requested;
  if (requested === 'node') {
    const loaded = await tryImportTfjsNode();
    if (loaded) target = 'tensorflow';
    else {
      target = 'wasm';
      note = '--backend node: @tensorflow/tfjs-node is not installed (npm install @tensorflow/tfjs-node@4.22.0; its install step downloads libtensorflow and needs network access); using wasm';
    }
  }
  // tfjs's own console messages (the cpu backend's "install our node backend" banner) would break -q and the
  // one-line-error rule; moesim says what backend runs and how to get tfjs-node itself. Production mode silences them.
  tf.enableProdMode();
  const ok = await tf.setBackend(target);
  await tf.ready();
  if (!ok || tf.getBackend() !== target) {
    throw new InputError(`tfjs backend "${target}" did not start (setBackend returned ${String(ok)}, active backend "${tf.getBackend()}")`, 'backend');
  }
  current = note === undefined ? { active: tf.getBackend() } : { active: tf.getBackend(), note };
  return current;
}

async function tryImportTfjsNode(): Promise<boolean> {
  const moduleName = '@tensorflow/tfjs-node';
  try {
    await import(/* @vite-ignore */ moduleName);
    return true;
  } catch {
    return false;
  }
}

/** Live tensor count and bytes, for tests that memory stays flat. */
export function tfMemory(): { numTensors: number; numBytes: number } {
  const m = tf.memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes };
}
