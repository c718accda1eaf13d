// links.csv: every link that carried bytes in the step, most bytes first, with its mean and peak utilisation.
import type { RunResult } from '../../sim/index.ts';

export function linksCsv(result: RunResult): string {
  const lines = ['link,kind,bandwidth_Bps,bytes,mean_utilisation,peak_utilisation'];
  for (const l of result.links) {
    lines.push(`${l.name},${l.kind},${l.bandwidth},${l.bytes},${l.meanUtilisation.toFixed(6)},${l.peakUtilisation.toFixed(6)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** link-utilisation.csv: one row per time bucket (its start in seconds), one column per busy link (0..1 utilisation). */
export function linkUtilisationCsv(result: RunResult): string {
  const { bucketNs, links } = result.utilisationOverTime;
  const buckets = Math.max(0, ...links.map((l) => l.utilisation.length));
  const lines = [['time_s', ...links.map((l) => l.name)].join(',')];
  for (let k = 0; k < buckets; k++) {
    lines.push([(k * bucketNs * 1e-9).toFixed(9), ...links.map((l) => (l.utilisation[k] ?? 0).toFixed(6))].join(','));
  }
  return `${lines.join('\n')}\n`;
}
