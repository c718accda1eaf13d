// The router contract suite: fast-check properties every router must satisfy (ROUTERS.md), runnable on any
// Router, including users' own. `assertRouterInvariants` throws with the property's name and a counterexample.
import fc from 'fast-check';
import { Rng } from '../../engine/index.ts';
import type { Router, RouterContext, RoutingPlacement } from '../router.ts';
import type { RouterInput, RoutingDecision } from '../router-input.ts';
import { dispatchTokenMatrix } from '../traffic.ts';
import type { DecisionExpectations } from './decision-checks.ts';
import { checkDecision, sameDecisions } from './decision-checks.ts';

export interface RouterUnderTest {
  /** Build a fresh router (fresh state) for a context. */
  create(ctx: RouterContext): Router;
  /** What its decisions promise beyond the basics; may depend on the input shape (e.g. a quota of T·c/n). */
  expectations?(input: RouterInput, ctx: RouterContext): DecisionExpectations;
  /** Permuting tokens inside a group permutes the decisions (no order-dependent tie-breaks or capacity). */
  permutationEquivariant?: boolean;
  /** Decisions depend on token ids only, never on features (hash routing). */
  tokenIdsOnly?: boolean;
}

export interface InvariantSuiteOptions {
  numRuns?: number;
  /** fast-check seed, so a failure reproduces. */
  seed?: number;
  hidden?: number;
  experts?: readonly number[];
  topK?: number;
}

/** A compact description of one generated case (what fast-check prints as the counterexample). */
interface CaseShape {
  seed: number;
  groups: number;
  groupSize: number;
  experts: number;
  nodes: number;
  hidden: number;
  topK: number;
}

interface Case {
  input: RouterInput;
  ctx: RouterContext;
  seed: number;
}

/** Build the input and a fresh context of a case; the same shape always gives the same bytes. */
function makeCase({ seed, groups, groupSize, experts, nodes, hidden, topK }: CaseShape): Case {
  const rng = new Rng(seed);
  const features = rng.derive('features').fillNormal(new Float32Array(groups * groupSize * hidden));
  const ids = rng.derive('ids');
  const tokenIds = Int32Array.from({ length: groups * groupSize }, () => ids.uniformInt(50));
  const where = rng.derive('placement');
  const groupNodes = Int32Array.from({ length: groups }, () => where.uniformInt(nodes));
  const expertNodes = Int32Array.from({ length: experts }, () => where.uniformInt(nodes));
  const placement: RoutingPlacement = { nodes, groupNode: (g) => groupNodes[g]!, expertNode: (_g, e) => expertNodes[e]! };
  const ctx: RouterContext = { numExperts: experts, topK: Math.min(topK, experts), hidden, rng: new Rng(`router-${seed}`), placement };
  return { input: { features, tokenIds, groups, groupSize, hidden }, ctx, seed };
}

function shapeArbitrary(options: InvariantSuiteOptions): fc.Arbitrary<CaseShape> {
  return fc.record({
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    groups: fc.integer({ min: 1, max: 3 }),
    groupSize: fc.constantFrom(8, 16, 32, 64),
    experts: fc.constantFrom(...(options.experts ?? [4, 8])),
    nodes: fc.integer({ min: 1, max: 4 }),
    hidden: fc.constant(options.hidden ?? 16),
    topK: fc.constant(options.topK ?? 2),
  });
}

function permuteWithinGroups(input: RouterInput, seed: number): { input: RouterInput; newIndexOf: Int32Array } {
  const rng = new Rng(`permute-${seed}`);
  const n = input.groups * input.groupSize;
  const order = Array.from({ length: n }, (_, i) => i); // order[newIndex] = oldIndex
  for (let g = 0; g < input.groups; g++) {
    const part = rng.shuffle(order.slice(g * input.groupSize, (g + 1) * input.groupSize));
    order.splice(g * input.groupSize, input.groupSize, ...part);
  }
  const features = new Float32Array(input.features.length);
  const tokenIds = new Int32Array(n);
  const newIndexOf = new Int32Array(n);
  order.forEach((old, i) => {
    features.set(input.features.subarray(old * input.hidden, (old + 1) * input.hidden), i * input.hidden);
    tokenIds[i] = input.tokenIds[old]!;
    newIndexOf[old] = i;
  });
  return { input: { ...input, features, tokenIds }, newIndexOf };
}

/** (token, expert) → "kept:weight" for comparing decisions up to pair order. */
function pairMap(d: RoutingDecision, tokenMap?: Int32Array): Map<string, string> {
  const m = new Map<string, string>();
  for (let p = 0; p < d.pairToken.length; p++) {
    const t = tokenMap ? tokenMap[d.pairToken[p]!]! : d.pairToken[p]!;
    m.set(`${t}/${d.pairExpert[p]}`, `${d.pairKept[p]}:${d.pairWeight[p]}`);
  }
  return m;
}

const sameMap = (a: Map<string, string>, b: Map<string, string>): boolean => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

/** The properties, by name. Run them with fc.assert, or call assertRouterInvariants. */
export function routerInvariantProperties(r: RouterUnderTest, options: InvariantSuiteOptions = {}): Record<string, fc.IProperty<[CaseShape]>> {
  const shapes = shapeArbitrary(options);
  const props: Record<string, fc.IProperty<[CaseShape]>> = {
    'decisions are valid (real experts, once per expert, capacity, counts, finite weights)': fc.property(shapes, (shape) => {
      const c = makeCase(shape);
      const d = r.create(c.ctx).route(c.input, 0, 0);
      const problems = checkDecision(d, r.expectations?.(c.input, c.ctx));
      if (problems.length > 0) throw new Error(problems.slice(0, 5).join('; '));
    }),
    'the same seed and input give the same decisions, bit for bit': fc.property(shapes, (shape) => {
      const c = makeCase(shape);
      const again = makeCase(shape);
      return sameDecisions(r.create(c.ctx).route(c.input, 1, 2), r.create(again.ctx).route(again.input, 1, 2));
    }),
    'communication counts equal the kept pairs': fc.property(shapes, (shape) => {
      const c = makeCase(shape);
      const d = r.create(c.ctx).route(c.input, 0, 0);
      const placement = c.ctx.placement as RoutingPlacement;
      const matrix = dispatchTokenMatrix(d, { devices: placement.nodes, groupDevice: placement.groupNode, expertDevice: placement.expertNode });
      let kept = 0;
      for (let i = 0; i < d.pairKept.length; i++) kept += d.pairKept[i]!;
      const tokensPerUnit = d.sequenceLength ?? 1;
      return matrix.reduce((a, b) => a + b, 0) === kept * tokensPerUnit;
    }),
  };
  if (r.permutationEquivariant) {
    props['permuting tokens permutes the decisions'] = fc.property(shapes, (shape) => {
      const c = makeCase(shape);
      const { input, newIndexOf } = permuteWithinGroups(c.input, c.seed);
      const original = pairMap(r.create(c.ctx).route(c.input, 0, 0), newIndexOf);
      const fresh = makeCase(shape);
      return sameMap(original, pairMap(r.create(fresh.ctx).route(input, 0, 0)));
    });
  }
  if (r.tokenIdsOnly) {
    props['decisions depend on token ids only'] = fc.property(shapes, (shape) => {
      const c = makeCase(shape);
      const other = { ...c.input, features: new Rng(`other-${c.seed}`).fillNormal(new Float32Array(c.input.features.length)) };
      const fresh = makeCase(shape);
      return sameDecisions(r.create(c.ctx).route(c.input, 0, 0), r.create(fresh.ctx).route(other, 0, 0));
    });
  }
  return props;
}

/** Run every property; throws an Error naming the failed property and fast-check's counterexample report. */
export function assertRouterInvariants(r: RouterUnderTest, options: InvariantSuiteOptions = {}): void {
  for (const [name, property] of Object.entries(routerInvariantProperties(r, options))) {
    const result = fc.check(property, { numRuns: options.numRuns ?? 25, ...(options.seed === undefined ? {} : { seed: options.seed }) });
    if (result.failed) {
      const cause = result.errorInstance instanceof Error ? result.errorInstance.message : 'the property returned false';
      throw new Error(`router invariant failed: ${name}: ${cause}\n${fc.defaultReportMessage(result) ?? ''}`);
    }
  }
}
