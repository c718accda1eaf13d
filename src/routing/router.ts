// The Router interface every routing algorithm implements, and the context it is built with.
import type { Rng } from '../engine/index.ts';
import type { RouterInput, RoutingDecision } from './router-input.ts';

/** Where tokens and experts live, for locality-aware (LocMoE) and node-limited (DeepSeek-V3) routers. */
export interface RoutingPlacement {
  /** Number of nodes (servers). */
  nodes: number;
  /** Node that holds routing group g's tokens. */
  groupNode(group: number): number;
  /** Node that runs expert e for the tokens of group g (EP groups may each hold a copy of every expert). */
  expertNode(group: number, expert: number): number;
}

export interface RouterContext {
  numExperts: number;
  /** The model's experts per token (routers with their own k, such as Switch, ignore it). */
  topK: number;
  hidden: number;
  /** The router's own random substream; routers derive per-layer and per-micro-batch streams from it. */
  rng: Rng;
  /** Token and expert locations; absent when the caller routes without a cluster (then locality is unknown). */
  placement?: RoutingPlacement;
  /** Tokens per sequence (the model's seqLength), for sequence-level routers (MEO); absent when unknown. */
  seqLength?: number;
}

export interface Router {
  readonly name: string;
  /** Resolved parameters (defaults filled in), as reported in the summary. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Route one (layer, micro-batch); the same arguments and state give the same decisions, bit for bit. */
  route(input: RouterInput, layer: number, microBatch: number): RoutingDecision;
  /**
   * Called after each training step with that step's decisions, for routers whose state evolves during training
   * (DeepSeek-V3's expert bias, LocMoE+'s re-estimated capacity). Stateless routers leave it out.
   */
  endStep?(decisions: readonly RoutingDecision[]): void;
}
