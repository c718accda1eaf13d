// links.csv: every link that carried bytes in the step, most bytes first, with its mean and peak utilisation.
import type { RunResult } from '../sim/index.ts';

export function linksCsv(result: RunResult): string {
  const lines = ['link,kind,bandwidth_Bps,bytes,mean_utilisation,peak_utilisation'];
  for (const l of result.links) {
    lines.push(`${l.name},${l.kind},${l.bandwidth},${l.bytes},${l.meanUtilisation.toFixed(6)},${l.peakUtilisation.toFixed(6)}`);
  }
  return `${lines.join('\n')}\n`;
}
