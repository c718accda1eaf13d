// The tfjs gate: scores = act(X · W) for a batch of tokens, then top-k per token and the mean probability per expert.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../engine/index.ts';
import type { RouterInput } from './router-input.ts';

export interface GateOutput {
  /** [tokens · k] expert ids in descending score order. */
  topExperts: Int32Array;
  /** [tokens · k] scores of those experts. */
  topScores: Float32Array;
  /** [experts] mean score over all tokens (P_i of the auxiliary loss). */
  meanScore: Float32Array;
  k: number;
}

export type GateActivation = 'softmax' | 'sigmoid';

/**
 * How full gate scores are formed from X [T, d] and W [d, n]: `softmax`, `sigmoid` and `linear` act on X·W;
 * `relu-softmax` is softmax(ReLU(X·W)) (LocMoE); `cosine` is xᵀw_i / (‖x‖‖w_i‖) (LocMoE+ affinity).
 */
export type ScoreFunction = 'softmax' | 'sigmoid' | 'linear' | 'relu-softmax' | 'cosine';

/** A seeded gating matrix W [hidden, experts] with N(0, 1/hidden) entries. */
export function randomGateMatrix(rng: Rng, hidden: number, experts: number): Float32Array {
  const w = new Float32Array(hidden * experts);
  rng.fillNormal(w, 0, 1 / Math.sqrt(hidden));
  return w;
}

/**
 * `fn`'s result, with every tensor it creates disposed (tf.tidy), handed out around tidy rather than through it:
 * tidy walks a returned value element by element looking for tensors, which for a typed array of scores costs more
 * than the matmul (seconds at Pangu Ultra's 7,680-wide gate). `fn` must return no tensor.
 */
export function tidyValue<T>(fn: () => T): T {
  let out: { value: T } | undefined;
  tf.tidy(() => {
    out = { value: fn() };
  });
  return (out as { value: T }).value;
}

/** Run the gate on tfjs; every intermediate tensor is disposed inside tf.tidy. */
export function runGate(input: RouterInput, weights: Float32Array, experts: number, k: number, activation: GateActivation): GateOutput {
  const tokens = input.groups * input.groupSize;
  return tidyValue(() => {
    const x = tf.tensor2d(input.features, [tokens, input.hidden]);
    const w = tf.tensor2d(weights, [input.hidden, experts]);
    const logits = tf.matMul(x, w);
    const scores = activation === 'softmax' ? tf.softmax(logits) : tf.sigmoid(logits);
    const { values, indices } = tf.topk(scores, k, true);
    return {
      topExperts: new Int32Array(indices.dataSync()),
      topScores: new Float32Array(values.dataSync()),
      meanScore: new Float32Array(tf.mean(scores, 0).dataSync()),
      k,
    };
  });
}

/** One seeded gating matrix per layer, created on first use (substream `gate/layer<l>` of `rng`). */
export function layerGateMatrices(rng: Rng, hidden: number, experts: number): (layer: number) => Float32Array {
  const gates = new Map<number, Float32Array>();
  return (layer) => {
    let w = gates.get(layer);
    if (!w) {
      w = randomGateMatrix(rng.derive(`gate/layer${layer}`), hidden, experts);
      gates.set(layer, w);
    }
    return w;
  };
}

/** The full [tokens, experts] score matrix, row-major, computed with tfjs (every tensor disposed). */
export function gateScores(input: RouterInput, weights: Float32Array, experts: number, fn: ScoreFunction): Float32Array {
  const tokens = input.groups * input.groupSize;
  return tidyValue(() => {
    const x = tf.tensor2d(input.features, [tokens, input.hidden]);
    const w = tf.tensor2d(weights, [input.hidden, experts]);
    let scores: tf.Tensor;
    if (fn === 'cosine') {
      const xn = tf.div(x, tf.maximum(tf.norm(x, 'euclidean', 1, true), 1e-12));
      const wn = tf.div(w, tf.maximum(tf.norm(w, 'euclidean', 0, true), 1e-12));
      scores = tf.matMul(xn, wn);
    } else {
      const logits = tf.matMul(x, w);
      if (fn === 'softmax') scores = tf.softmax(logits);
      else if (fn === 'sigmoid') scores = tf.sigmoid(logits);
      else if (fn === 'relu-softmax') scores = tf.softmax(tf.relu(logits));
      else scores = logits;
    }
    return new Float32Array(scores.dataSync());
  });
}
