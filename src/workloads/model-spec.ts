// The model description (zod schema) and the model zoo: presets are YAML files in catalog/models/.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputError } from '../engine/index.ts';

const positiveInt = z.number().int().positive();

/** Multi-head latent attention (DeepSeek-V2/V3): low-rank Q and KV projections; heads use qk = nope + rope dims. */
export const mlaAttentionSchema = z.strictObject({
  kind: z.literal('mla'),
  qLoraRank: positiveInt,
  kvLoraRank: positiveInt,
  qkNopeHeadDim: positiveInt,
  qkRopeHeadDim: positiveInt,
  vHeadDim: positiveInt,
});
/** Standard multi-head / grouped-query attention: head dim hidden/heads, kvHeads K/V heads. */
export const gqaAttentionSchema = z.strictObject({ kind: z.literal('gqa') });
export const attentionSchema = z.discriminatedUnion('kind', [gqaAttentionSchema, mlaAttentionSchema]);
export type AttentionConfig = z.output<typeof attentionSchema>;

/** Every field of a model; a scenario may give a preset name plus overrides of any of these. */
export const modelFieldsSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  layers: positiveInt,
  /** Every n-th layer has an MoE FFN (1 = all layers); the others have a dense FFN of width denseFfnHidden. */
  moeLayerInterval: positiveInt.default(1),
  /** The first k layers are dense whatever the interval (DeepSeek-V3: 3). */
  firstDenseLayers: z.number().int().nonnegative().default(0),
  hidden: positiveInt,
  /** FFN width of one routed (and one shared) expert; of every layer in a dense model. */
  ffnHidden: positiveInt,
  /** FFN width of a dense layer; defaults to ffnHidden. */
  denseFfnHidden: positiveInt.optional(),
  /** swiglu: gate, up and down matrices; gelu and relu (Switch/T5): up and down. */
  activation: z.enum(['swiglu', 'gelu', 'relu']),
  heads: positiveInt,
  kvHeads: positiveInt,
  /** Routed experts per MoE layer. A dense model (GPT-3, Llama, Pangu Ultra 135B) leaves experts and topK out. */
  experts: positiveInt.optional(),
  topK: positiveInt.optional(),
  sharedExperts: z.number().int().nonnegative().default(0),
  vocab: positiveInt,
  seqLength: positiveInt,
  /** gqa (default) or DeepSeek's multi-head latent attention. */
  attention: attentionSchema.default({ kind: 'gqa' }),
  /** Input embedding and LM head share one matrix (Switch/T5). */
  tiedEmbeddings: z.boolean().default(false),
  /** Causal (decoder) attention scores half the sequence on average; false: bidirectional (BERT-style encoder). */
  causal: z.boolean().default(true),
});

/**
 * Overrides of a preset's fields: every field optional and WITHOUT its default (a default here would silently
 * reset a preset's value, e.g. DeepSeek-V3's MLA attention or its shared expert, whenever any field is overridden).
 */
export const modelOverridesSchema = z.strictObject(
  Object.fromEntries(Object.entries(modelFieldsSchema.shape).map(([key, field]) => [key, (field instanceof z.ZodDefault ? field.unwrap() : field).optional()])) as unknown as {
    [K in keyof typeof modelFieldsSchema.shape]: z.ZodOptional<z.ZodType<z.output<(typeof modelFieldsSchema.shape)[K]>>>;
  },
);

/**
 * The model fields plus the cross-field checks (divisibility, topK ≤ experts). A dense model (no `experts`) becomes a
 * model whose every layer is dense, with one placeholder expert that no layer uses: the rest of moesim needs no case
 * for it. Its FFN width is `denseFfnHidden`, else `ffnHidden`.
 */
export const modelSpecSchema = modelFieldsSchema.superRefine((m, ctx) => {
  if (m.hidden % m.heads !== 0) ctx.addIssue({ code: 'custom', path: ['hidden'], message: `hidden (${m.hidden}) must be divisible by heads (${m.heads})` });
  if (m.heads % m.kvHeads !== 0) ctx.addIssue({ code: 'custom', path: ['kvHeads'], message: `heads (${m.heads}) must be divisible by kvHeads (${m.kvHeads})` });
  if (m.experts === undefined) {
    if (m.topK !== undefined) ctx.addIssue({ code: 'custom', path: ['topK'], message: `topK (${m.topK}) needs experts: a model without experts is dense; give experts for an MoE model` });
    if (m.sharedExperts > 0) ctx.addIssue({ code: 'custom', path: ['sharedExperts'], message: `sharedExperts (${m.sharedExperts}) needs experts: a model without experts is dense` });
  } else if (m.topK === undefined) {
    ctx.addIssue({ code: 'custom', path: ['topK'], message: `an MoE model (experts: ${m.experts}) needs topK, the experts each token is routed to` });
  } else if (m.topK > m.experts) {
    ctx.addIssue({ code: 'custom', path: ['topK'], message: `topK (${m.topK}) cannot exceed experts (${m.experts})` });
  }
  if (m.firstDenseLayers > m.layers) ctx.addIssue({ code: 'custom', path: ['firstDenseLayers'], message: `firstDenseLayers (${m.firstDenseLayers}) cannot exceed layers (${m.layers})` });
}).transform((m) => (m.experts === undefined
  ? { ...m, experts: 1, topK: 1, firstDenseLayers: m.layers, denseFfnHidden: m.denseFfnHidden ?? m.ffnHidden }
  : { ...m, experts: m.experts, topK: m.topK ?? 1 }));

export type ModelSpec = z.output<typeof modelSpecSchema>;

const modelDir = fileURLToPath(new URL('../../catalog/models/', import.meta.url));

/** Names of the model presets shipped in catalog/models/. */
export function listModelPresets(): string[] {
  return readdirSync(modelDir).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
}

const presetTexts = new Map<string, string>(); // each preset file is read once per process

/** The preset's YAML text, header comment (the source of every figure) included; unknown names are an InputError. */
export function modelPresetSource(name: string): string {
  const known = presetTexts.get(name);
  if (known !== undefined) return known;
  const names = listModelPresets();
  if (!names.includes(name)) {
    throw new InputError(`unknown model preset "${name}"; accepted: ${names.join(', ')}`, 'model.preset');
  }
  const text = readFileSync(`${modelDir}${name}.yaml`, 'utf8');
  presetTexts.set(name, text);
  return text;
}

/**
 * A preset's fields as written (defaults not filled in, a dense model still without experts): what a scenario's
 * overrides are laid over before the whole is checked, so that overriding a dense model's layers keeps it dense.
 */
export function modelPresetFields(name: string): Record<string, unknown> {
  const raw: unknown = parseYaml(modelPresetSource(name));
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError(`catalog/models/${name}.yaml: expected a mapping of model fields`, 'model.preset');
  return raw as Record<string, unknown>;
}

/** Load and validate one model preset; an unknown name is an InputError listing the accepted names. */
export function loadModelPreset(name: string): ModelSpec {
  const raw = modelPresetFields(name);
  const parsed = modelSpecSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`catalog/models/${name}.yaml: ${issue?.path.join('.')}: ${issue?.message}`, 'model.preset');
  }
  return parsed.data;
}

/** Does the model have any MoE layer? (False for a dense model, and for an MoE model's dense equivalent.) */
export function hasMoeLayers(model: ModelSpec): boolean {
  for (let l = 0; l < model.layers; l++) if (isMoeLayer(model, l)) return true;
  return false;
}

/** Is layer `layer` (0-based) an MoE layer? */
export function isMoeLayer(model: ModelSpec, layer: number): boolean {
  return layer >= model.firstDenseLayers && (layer + 1) % model.moeLayerInterval === 0;
}

/** FFN width of a dense layer. */
export function denseFfnWidth(model: ModelSpec): number {
  return model.denseFfnHidden ?? model.ffnHidden;
}

/**
 * The dense model with the same active size: no MoE layers, every FFN (topK + sharedExperts) experts wide. The
 * `dense` router's reference point. Exact when every layer is an MoE layer; with interleaved dense layers those
 * layers widen too (an over-estimate, stated in DESIGN.md).
 */
export function denseEquivalentModel(model: ModelSpec): ModelSpec {
  // A model without MoE layers (Llama, Pangu Ultra 135B) is its own dense equivalent.
  if (!hasMoeLayers(model)) return model;
  return {
    ...model,
    name: `${model.name}-dense-equivalent`,
    moeLayerInterval: model.layers + 1,
    firstDenseLayers: model.layers,
    ffnHidden: model.ffnHidden * (model.topK + model.sharedExperts),
    denseFfnHidden: model.ffnHidden * (model.topK + model.sharedExperts),
    sharedExperts: 0,
  };
}
