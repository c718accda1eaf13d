// Per-link totals of the flow model's fluid state: each link's total rate, and the bytes it has carried, anchored
// like the flows' remaining bytes (a whole ns plus float seconds) and brought up to date only when its rate changes.
// Rate changes go to the link activity recorder, when there is one.
import type { TimeNs } from '../../../engine/index.ts';
import type { LinkActivityRecorder } from '../link-activity.ts';
import type { LinkFlowIndex } from './components.ts';

export class LinkTotals {
  /** Per link: the total rate (bytes/s) of the flows on it. */
  private readonly linkRate: Float64Array;
  /** Per link: bytes carried up to its anchor (carriedNs + carriedS). */
  private readonly carriedBase: Float64Array;
  private readonly carriedNs: Float64Array;
  private readonly carriedS: Float64Array;
  private readonly recorder: LinkActivityRecorder | undefined;

  constructor(links: number, startNs: TimeNs, recorder: LinkActivityRecorder | undefined) {
    this.linkRate = new Float64Array(links);
    this.carriedBase = new Float64Array(links);
    this.carriedNs = new Float64Array(links).fill(startNs);
    this.carriedS = new Float64Array(links);
    this.recorder = recorder;
  }

  /** Bytes carried per link up to `nowNs` (a fresh array). */
  carriedBytes(nowNs: TimeNs): Float64Array {
    const { linkRate, carriedBase, carriedNs, carriedS } = this;
    const result = new Float64Array(linkRate.length);
    for (let l = 0; l < result.length; l++) {
      const elapsedS = (nowNs - carriedNs[l]!) * 1e-9 - carriedS[l]!;
      result[l] = carriedBase[l]! + linkRate[l]! * elapsedS;
    }
    return result;
  }

  /**
   * Re-totals the links of the index's last collect() from the rates of the flows on them, at the instant
   * (instantNs + instantS, which is `timeNs` as float ns); a link whose total changed is re-anchored there.
   */
  update(index: LinkFlowIndex, rate: Float64Array, weight: Float64Array, instantNs: number, instantS: number, timeNs: number): void {
    const { links, linkCount } = index;
    const { linkRate, carriedBase, carriedNs, carriedS } = this;
    for (let i = 0; i < linkCount; i++) {
      const l = links[i]!;
      const on = index.flowsOnLink(l);
      let total = 0;
      for (let k = 0; k < on.length; k++) total += rate[on[k]!]! * weight[on[k]!]!;
      const old = linkRate[l]!;
      if (total === old) continue;
      const elapsedS = (instantNs - carriedNs[l]!) * 1e-9 + (instantS - carriedS[l]!);
      carriedBase[l] = carriedBase[l]! + old * elapsedS;
      carriedNs[l] = instantNs;
      carriedS[l] = instantS;
      linkRate[l] = total;
      this.recorder?.setRate(l, timeNs, total);
    }
  }
}
