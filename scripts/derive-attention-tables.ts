// Writes catalog/kernels/nvidia-hopper.attention.csv and nvidia-ampere.attention.csv: flash attention's achieved
// fraction of peak by pass, causal mask, head size and sequence length, from published FlashAttention benchmarks
// (the bar labels of the official charts in Dao-AILab/flash-attention's README, the same charts as the papers'
// figures; FLOPs counted as the papers do: 4·s²·d·heads forward, halved when causal, backward 2.5× forward).
//   node --import tsx scripts/derive-attention-tables.ts          (write the files)
//   node --import tsx scripts/derive-attention-tables.ts --check  (exit 1 when a shipped file differs)
// A test (test/kernels/attention-efficiency.test.ts) runs the same derivation and compares byte for byte.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { attentionTableCsv } from '../src/kernels/attention-published.ts';

const dir = fileURLToPath(new URL('../catalog/kernels/', import.meta.url));
const check = process.argv.includes('--check');
let stale = 0;
for (const profile of ['nvidia-hopper', 'nvidia-ampere'] as const) {
  const path = `${dir}${profile}.attention.csv`;
  const text = attentionTableCsv(profile);
  if (check) {
    let shipped = '';
    try {
      shipped = readFileSync(path, 'utf8');
    } catch {
      shipped = '';
    }
    if (shipped !== text) {
      console.error(`${path} differs from the derivation: run node --import tsx scripts/derive-attention-tables.ts`);
      stale++;
    }
  } else {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
process.exit(stale > 0 ? 1 : 0);
