// Starting a transfer's flows in the flow model's fluid state: FlowStarter adds them (merging equal parallel flows
// into one weighted entity) and notes their longest path latency; SlotRouteCache remembers the route id of each flow
// slot of a compiled plan, so starting its flows again needs no route lookup.
import type { PackedPlan, PackedRoutes } from '../types.ts';
import type { FluidFlowState } from './fluid.ts';
import { MessageCounter } from '../message-latency.ts';

/**
 * Starts the flows of one transfer in `state`, merging equal (src, dst, bytes) flows when `aggregate` (a flow
 * merges with the first flow of its pair in the transfer only). Pairs are found by route id with a
 * generation stamp per route, so no map is built per transfer.
 */
export class FlowStarter {
  entities: number[] = [];
  /** The largest path latency among the started flows (ns). */
  longestPathNs = 0;
  /** The started flows per sender (their busiest sender's count prices the per-message latency). */
  readonly messages = new MessageCounter(0);
  private readonly state: FluidFlowState;
  private readonly aggregate: boolean;
  private stamp = new Int32Array(64);
  private first = new Int32Array(64);
  private generation = 0;

  constructor(state: FluidFlowState, aggregate: boolean) {
    this.state = state;
    this.aggregate = aggregate;
  }

  begin(): void {
    this.entities = [];
    this.longestPathNs = 0;
    this.messages.take();
    this.generation++;
  }

  add(src: number, dst: number, bytes: number, where: string, streamed = false): void {
    if (bytes === 0 || src === dst) return;
    if (!streamed) this.messages.add(src);
    this.addOnRoute(this.state.route(src, dst, where), bytes);
  }

  /** add() of a flow with bytes > 0 between different devices whose route id (state.route) is known. */
  addOnRoute(route: number, bytes: number): void {
    const { state } = this;
    this.longestPathNs = Math.max(this.longestPathNs, state.routeLatencyNs(route));
    if (!this.aggregate) {
      this.entities.push(state.addFlowOnRoute(route, bytes, 1));
      return;
    }
    if (route >= this.stamp.length) this.grow(route + 1);
    if (this.stamp[route] === this.generation) {
      const previous = this.first[route]!;
      if (state.bytesOf(previous) === bytes) state.addWeight(previous);
      else this.entities.push(state.addFlowOnRoute(route, bytes, 1));
      return;
    }
    const entity = state.addFlowOnRoute(route, bytes, 1);
    this.stamp[route] = this.generation;
    this.first[route] = entity;
    this.entities.push(entity);
  }

  /**
   * add() of the flows of phase `phase` of a packed plan, in plan order. `known`: the plan's remembered route id per
   * flow slot (+ 1; 0 until first used; SlotRouteCache), or undefined to look every route up.
   */
  addPackedPhase(plan: PackedPlan, phase: number, known: Int32Array | undefined, where: string): void {
    const { state } = this;
    const { src, dst, bytes } = plan;
    for (let f = plan.phaseStart[phase]!; f < plan.phaseStart[phase + 1]!; f++) {
      const b = bytes[f]!;
      const s = src[f]!;
      const d = dst[f]!;
      if (b === 0 || s === d) continue;
      if (plan.streamed?.[f] !== 1) this.messages.add(s);
      if (known === undefined) {
        this.addOnRoute(state.route(s, d, where), b);
        continue;
      }
      let route = known[f]! - 1;
      if (route < 0) {
        route = state.route(s, d, where);
        known[f] = route + 1;
      }
      this.addOnRoute(route, b);
    }
  }

  private grow(minimum: number): void {
    const size = Math.max(minimum, this.stamp.length * 2);
    const stamp = new Int32Array(size);
    stamp.set(this.stamp);
    const first = new Int32Array(size);
    first.set(this.first);
    this.stamp = stamp;
    this.first = first;
  }
}

/**
 * A compiled plan's slots keep their ends across fills and share one PackedRoutes object (and src / dst arrays), so
 * each slot's route id (+ 1; 0 until first used) is remembered per PackedRoutes: no per-flow route lookup. A plan
 * whose src / dst arrays are not the remembered ones gets no cache.
 */
export class SlotRouteCache {
  private readonly routesBySlots = new WeakMap<PackedRoutes, { src: Int32Array; dst: Int32Array; ids: Int32Array }>();

  /** The remembered route ids of the plan's slots, or undefined when the plan has no routes or other src / dst arrays. */
  idsFor(plan: PackedPlan): Int32Array | undefined {
    if (plan.routes === undefined) return undefined;
    let known = this.routesBySlots.get(plan.routes);
    if (known === undefined) {
      known = { src: plan.src, dst: plan.dst, ids: new Int32Array(plan.src.length) };
      this.routesBySlots.set(plan.routes, known);
    }
    return known.src === plan.src && known.dst === plan.dst ? known.ids : undefined;
  }
}
