// Point labels that avoid each other: each label tries a few positions around its point (right, left, above,
// below, diagonals, near then far) and takes the first that overlaps no placed label or point and stays in the
// plot; labels with no free spot are left out (and counted) or, when forced, take the least crowded spot. With
// leaders, labels may also sit further out, and a thin line joins each label that is not next to its point to it.
import { FONT, INK, drawText, px, textWidth } from './canvas.ts';
import type { Canvas } from './canvas.ts';
import type { PlotRect } from './axes.ts';

export interface LabelRequest {
  x: number;
  y: number;
  text: string;
  /** Radius of the point's marker, to keep the label clear of it. */
  r?: number;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function overlapArea(a: Box, b: Box): number {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Places and draws labels greedily in the given order; returns how many were left out. With force, a label
 * with no free spot takes the spot of least overlap instead of being left out.
 */
export function placeLabels(
  c: Canvas, plot: PlotRect, requests: readonly LabelRequest[], obstacles: readonly { x: number; y: number; r: number }[] = [], force = false, leaders = false,
): number {
  const size = FONT.pointLabel;
  const placed: Box[] = obstacles.map((o) => ({ x0: o.x - o.r, y0: o.y - o.r, x1: o.x + o.r, y1: o.y + o.r }));
  const lines = leaders ? c.svg.append('g').attr('class', 'label-leaders') : undefined;
  const g = c.svg.append('g').attr('class', 'point-labels');
  let skipped = 0;
  for (const req of requests) {
    const w = textWidth(req.text, size) + 2;
    const h = size * 1.1;
    const gap = (req.r ?? 4) + 3;
    const candidates: { x: number; y: number; anchor: 'start' | 'end' | 'middle' }[] = [];
    for (const k of leaders ? [1, 2.2, 4, 6.5, 9] : [1, 2.2]) {
      const d = gap * k;
      candidates.push(
        { x: req.x + d, y: req.y, anchor: 'start' },
        { x: req.x - d, y: req.y, anchor: 'end' },
        { x: req.x, y: req.y - d - h / 2, anchor: 'middle' },
        { x: req.x, y: req.y + d + h / 2, anchor: 'middle' },
        { x: req.x + d * 0.8, y: req.y - d - h / 3, anchor: 'start' },
        { x: req.x + d * 0.8, y: req.y + d + h / 3, anchor: 'start' },
        { x: req.x - d * 0.8, y: req.y - d - h / 3, anchor: 'end' },
        { x: req.x - d * 0.8, y: req.y + d + h / 3, anchor: 'end' },
      );
    }
    let best: { cand: (typeof candidates)[number]; box: Box; cost: number } | undefined;
    for (const cand of candidates) {
      const x0 = cand.anchor === 'start' ? cand.x : cand.anchor === 'end' ? cand.x - w : cand.x - w / 2;
      const box = { x0, y0: cand.y - h / 2, x1: x0 + w, y1: cand.y + h / 2 };
      if (box.x0 < plot.x + 2 || box.x1 > plot.x + plot.width - 2 || box.y0 < plot.y + 2 || box.y1 > plot.y + plot.height - 2) continue;
      const cost = placed.reduce((sum, p) => sum + overlapArea(p, box), 0);
      if (!best || cost < best.cost) best = { cand, box, cost };
      if (cost === 0) break;
    }
    let done = false;
    if (best && (best.cost === 0 || force)) {
      const { cand, box } = best;
      placed.push(box);
      // The leader runs from the marker's edge to the nearest point of the label's box.
      const nx = Math.max(box.x0, Math.min(req.x, box.x1));
      const ny = Math.max(box.y0, Math.min(req.y, box.y1));
      const dist = Math.hypot(nx - req.x, ny - req.y);
      if (lines !== undefined && dist > gap * 1.6) {
        const r = req.r ?? 4;
        lines.append('line').attr('x1', px(req.x + ((nx - req.x) * r) / dist)).attr('y1', px(req.y + ((ny - req.y) * r) / dist))
          .attr('x2', px(nx)).attr('y2', px(ny)).attr('stroke', INK.muted).attr('stroke-width', 0.9);
      }
      // A white halo keeps the text legible over grid lines and bands.
      drawText(g, cand.x, cand.y, req.text, { size, anchor: cand.anchor, baseline: 'middle', fill: INK.text })
        .attr('stroke', '#ffffff').attr('stroke-width', 3).attr('paint-order', 'stroke').attr('stroke-linejoin', 'round');
      done = true;
    }
    if (!done) skipped++;
  }
  return skipped;
}
