// Parallelism (TP, PP, DP, EP and batch sizes): its schema, the divisibility checks, and the device layout.
import { z } from 'zod';
import { InputError } from '../engine/index.ts';
import type { ModelSpec } from './model-spec.ts';

const positiveInt = z.number().int().positive();

export const parallelismSchema = z.strictObject({
  tp: positiveInt.default(1),
  pp: positiveInt.default(1),
  dp: positiveInt,
  ep: positiveInt.default(1),
  /** Sequences per device per micro-batch. */
  microBatchSize: positiveInt.default(1),
  /** Sequences per optimizer step over the whole cluster. */
  globalBatch: positiveInt,
});

export type ParallelismConfig = z.output<typeof parallelismSchema>;

export interface Layout extends ParallelismConfig {
  devices: number;
  /** Micro-batches each data-parallel rank runs per step (gradient accumulation steps). */
  microBatches: number;
  /** Experts held by each device of an EP group. */
  expertsPerDevice: number;
  /** Number of EP groups (each holds a full copy of the experts). */
  epGroups: number;
}

/** Check that the parallelism fits the cluster and the model; every failure names the product that does not divide. */
export function resolveLayout(p: ParallelismConfig, devices: number, model: ModelSpec): Layout {
  const fail = (field: string, msg: string): never => {
    throw new InputError(`parallelism.${field}: ${msg}`, `parallelism.${field}`);
  };
  if (p.tp !== 1) fail('tp', `tp = ${p.tp} is not supported by the current step model (tp = 1 only); tensor parallelism comes with the full step model`);
  if (p.pp !== 1) fail('pp', `pp = ${p.pp} is not supported by the current step model (pp = 1 only); pipeline parallelism comes with the full step model`);
  const product = p.tp * p.pp * p.dp;
  if (product !== devices) fail('dp', `tp·pp·dp = ${p.tp}·${p.pp}·${p.dp} = ${product} must equal the cluster's ${devices} devices`);
  if (p.dp % p.ep !== 0) fail('ep', `ep = ${p.ep} must divide dp = ${p.dp} (expert-parallel groups are carved out of data-parallel ranks)`);
  if (model.experts % p.ep !== 0) fail('ep', `ep = ${p.ep} must divide the model's ${model.experts} experts`);
  const perStep = p.dp * p.microBatchSize;
  if (p.globalBatch % perStep !== 0) {
    fail('globalBatch', `globalBatch = ${p.globalBatch} must be a multiple of dp·microBatchSize = ${p.dp}·${p.microBatchSize} = ${perStep}`);
  }
  return {
    ...p,
    devices,
    microBatches: p.globalBatch / perStep,
    expertsPerDevice: model.experts / p.ep,
    epGroups: p.dp / p.ep,
  };
}

/** The devices of EP group `g` (consecutive data-parallel ranks, so an EP group fills servers in order). */
export function epGroupDevices(layout: Layout, g: number): number[] {
  return Array.from({ length: layout.ep }, (_, r) => g * layout.ep + r);
}

/** The device that runs expert `e` inside EP group `g` (contiguous placement: rank r holds a block of experts). */
export function expertDevice(layout: Layout, g: number, e: number): number {
  return g * layout.ep + Math.floor(e / layout.expertsPerDevice);
}
