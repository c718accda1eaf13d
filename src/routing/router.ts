// The Router interface every routing algorithm implements, and the context it is built with.
import type { Rng } from '../engine/index.ts';
import type { RouterInput, RoutingDecision } from './router-input.ts';

export interface RouterContext {
  numExperts: number;
  /** The model's experts per token (routers with their own k, such as Switch, ignore it). */
  topK: number;
  hidden: number;
  /** The router's own random substream; routers derive per-layer and per-micro-batch streams from it. */
  rng: Rng;
}

export interface Router {
  readonly name: string;
  /** Resolved parameters (defaults filled in), as reported in the summary. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Route one (layer, micro-batch); the same arguments give the same decisions, bit for bit. */
  route(input: RouterInput, layer: number, microBatch: number): RoutingDecision;
}
