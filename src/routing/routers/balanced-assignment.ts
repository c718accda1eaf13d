// Balanced linear assignment for BASE layers: assign each of T tokens to exactly one of n experts, expert e
// taking exactly quota[e] tokens (Σ quota = T), maximising the total affinity Σ a[t, e(t)].
// `auctionAssign`: Bertsekas' auction with ε-scaling on the slot expansion (expert e = quota[e] identical slots,
// kept as a min-heap of slot prices). A complete assignment meeting ε-complementary slackness is within T·ε of
// the optimum; the last phase uses ε = tolerance·range/T, so total affinity ≥ optimum − tolerance·range
// (range = max a − min a). Unassigned tokens bid in FIFO order (token order first): deterministic, but which of
// several near-optimal assignments comes out depends on token order.
// `greedyAssign`: all (token, expert) pairs by descending affinity (ties: lower token, then lower expert), taking
// a pair when the token is free and the expert has room. No optimality guarantee (BASE's test-time fallback).

/** quota[e] = ⌊T/n⌋ + 1 for the first T mod n experts, ⌊T/n⌋ for the rest. */
export function balancedQuotas(tokens: number, experts: number): Int32Array {
  const base = Math.floor(tokens / experts);
  const extra = tokens - base * experts;
  return Int32Array.from({ length: experts }, (_, e) => base + (e < extra ? 1 : 0));
}

/** Affinities a[t·n + e] of T tokens; returns expert per token. */
export function auctionAssign(affinity: ArrayLike<number>, tokens: number, experts: number, quota: Int32Array, tolerance: number): Int32Array {
  const n = experts;
  const a = Float64Array.from(affinity); // one array type keeps the hot loop monomorphic
  const assigned = new Int32Array(tokens).fill(-1);
  if (tokens === 0) return assigned;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < tokens * n; i++) {
    const v = a[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const range = Math.max(hi - lo, 1e-12);
  const epsFinal = (tolerance * range) / tokens;
  const offset = new Int32Array(n + 1);
  for (let e = 0; e < n; e++) offset[e + 1] = offset[e]! + quota[e]!;
  const price = new Float64Array(tokens); // slot prices, a min-heap per expert inside [offset[e], offset[e+1])
  const holder = new Int32Array(tokens).fill(-1);
  const minPrice = new Float64Array(n).fill(Infinity); // price of expert e's cheapest slot (Infinity: no slots)
  for (let e = 0; e < n; e++) if (quota[e]! > 0) minPrice[e] = 0;
  const queue = new Int32Array(tokens); // ring buffer of unassigned tokens
  let head = 0;
  let size = 0;
  for (let t = 0; t < tokens; t++) queue[size++] = t;
  let eps = Math.max(range / 8, epsFinal);
  for (;;) {
    while (size > 0) {
      const t = queue[head]!;
      head = (head + 1) % tokens;
      size--;
      let best = -1;
      let v1 = -Infinity;
      let v2 = -Infinity;
      const row = t * n;
      for (let e = 0; e < n; e++) {
        const v = a[row + e]! - minPrice[e]!;
        if (v > v1) { v2 = v1; v1 = v; best = e; } else if (v > v2) v2 = v;
      }
      const o = offset[best]!;
      const q = quota[best]!;
      if (q >= 2) {
        const second = q >= 3 ? Math.min(price[o + 1]!, price[o + 2]!) : price[o + 1]!;
        v2 = Math.max(v2, a[t * n + best]! - second);
      }
      const bid = price[o]! + (v2 === -Infinity ? 0 : v1 - v2) + eps;
      const displaced = holder[o]!;
      siftDownReplace(price, holder, o, q, bid, t);
      minPrice[best] = price[o]!;
      assigned[t] = best;
      if (displaced >= 0) {
        assigned[displaced] = -1;
        queue[(head + size) % tokens] = displaced;
        size++;
      }
    }
    if (eps <= epsFinal) break;
    eps = Math.max(eps / 8, epsFinal);
    // Each ε phase restarts the bidding from the current prices. (Keeping the pairs that still meet ε-CS saved
    // no bids on 4096 × 64 cases: within an expert the slot prices spread by more than the new ε.)
    holder.fill(-1);
    assigned.fill(-1);
    for (let t = 0; t < tokens; t++) queue[(head + size++) % tokens] = t;
  }
  return assigned;
}

/** Replace the root of the min-heap in [o, o+q) with (p, h) and restore heap order (ties: keep the parent). */
function siftDownReplace(price: Float64Array, holder: Int32Array, o: number, q: number, p: number, h: number): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= q) break;
    const r = l + 1;
    const c = r < q && price[o + r]! < price[o + l]! ? r : l;
    if (price[o + c]! >= p) break;
    price[o + i] = price[o + c]!;
    holder[o + i] = holder[o + c]!;
    i = c;
  }
  price[o + i] = p;
  holder[o + i] = h;
}

/** Greedy balanced assignment (see the header). */
export function greedyAssign(a: ArrayLike<number>, tokens: number, experts: number, quota: Int32Array): Int32Array {
  const n = experts;
  const order = new Int32Array(tokens * n);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((x, y) => a[y]! - a[x]! || x - y);
  const assigned = new Int32Array(tokens).fill(-1);
  const room = quota.slice();
  let left = tokens;
  for (let j = 0; j < order.length && left > 0; j++) {
    const i = order[j]!;
    const t = Math.floor(i / n);
    const e = i - t * n;
    if (assigned[t] !== -1 || room[e] === 0) continue;
    assigned[t] = e;
    room[e] = room[e]! - 1;
    left--;
  }
  return assigned;
}

/** Total affinity of an assignment. */
export function totalAffinity(a: ArrayLike<number>, experts: number, assigned: Int32Array): number {
  let s = 0;
  for (let t = 0; t < assigned.length; t++) s += a[t * experts + assigned[t]!]!;
  return s;
}
