// experts.csv: one row per (MoE layer, expert) with its kept tokens over the step and its load relative to the mean.
import type { RunResult } from '../../sim/index.ts';

export function expertsCsv(result: RunResult): string {
  const { summary, expertDevices } = result;
  const lines = ['layer,expert,device,tokens,share_of_layer,load_over_mean'];
  summary.tokensPerExpert.forEach((row, i) => {
    const layer = summary.moeLayers[i]!;
    const total = row.reduce((a, b) => a + b, 0);
    const mean = total / row.length;
    row.forEach((tokens, e) => {
      const share = total > 0 ? tokens / total : 0;
      const overMean = mean > 0 ? tokens / mean : 0;
      lines.push(`${layer},${e},${expertDevices[i]?.[e] ?? ''},${tokens},${share.toFixed(6)},${overMean.toFixed(4)}`);
    });
  });
  return `${lines.join('\n')}\n`;
}
