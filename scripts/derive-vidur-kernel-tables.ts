// Regenerates the kernel profiles derived from Vidur's measurements (data/vidur-profiling/; method in
// src/kernels/vidur-derived-profiles.ts and the fits it calls): for nvidia-hopper (H100, H800) and nvidia-ampere
// (A100), catalog/kernels/<profile>.csv (GEMM relative efficiency), <profile>.memory-ops.csv (memory-bound kernels
// by kind), and the gemmEfficiency figure of each chip in catalog/chips/<chip>.yaml. Prints the fitted figures.
// Run: node --import tsx scripts/derive-vidur-kernel-tables.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MEMORY_OPS_SUFFIX, VIDUR_DERIVED_PROFILES, VIDUR_SOURCE, defaultKernelProfileDirectory, deriveVidurProfile } from '../src/kernels/index.ts';
import { defaultCatalogDirectory, getChip } from '../src/topology/index.ts';

/** The chip YAML's gemmEfficiency block (value, source and any assumed/note lines) replaced by the derived figure. */
function withGemmEfficiency(yaml: string, file: string, value: number, source: string): string {
  const block = /^gemmEfficiency:\n(?: {2}\S.*\n)+/m;
  if (!block.test(yaml)) throw new Error(`${file}: no gemmEfficiency block`);
  return yaml.replace(block, `gemmEfficiency:\n  value: ${value}\n  source: ${JSON.stringify(source)}\n`);
}

const kernels = defaultKernelProfileDirectory();
for (const [name, spec] of Object.entries(VIDUR_DERIVED_PROFILES)) {
  const reference = getChip(spec.chips[0] as string);
  const profile = deriveVidurProfile(name, { peakFlops: reference.peakFlopsBf16.value, hbmBandwidth: reference.hbmBandwidth.value });
  writeFileSync(join(kernels, `${name}.csv`), profile.gemmCsv);
  writeFileSync(join(kernels, `${name}${MEMORY_OPS_SUFFIX}`), profile.memoryOpsCsv);
  const g = profile.gemm;
  for (const chip of spec.chips) {
    const die = chip === reference.name ? '' : ` (measured on ${reference.displayName}: the ${getChip(chip).displayName} has the same die, SMs, clocks and HBM)`;
    const source = `${VIDUR_SOURCE}: median achieved fraction of the dense peak over the ${g.largeShapes} largest measured fp16 GEMMs `
      + `(m = ${g.region.mMax}, min(n,k) >= 4096) of the fit-set models${die}; scripts/derive-vidur-kernel-tables.ts, catalog/kernels/${name}.csv`;
    const file = join(defaultCatalogDirectory(), 'chips', `${chip}.yaml`);
    writeFileSync(file, withGemmEfficiency(readFileSync(file, 'utf8'), file, g.gemmEfficiency, source));
  }
  console.log(`${name} (${spec.gpu}): gemmEfficiency ${g.gemmEfficiency} from ${g.largeShapes} GEMMs; ${g.observations} GEMMs fitted, ${g.capped} cells capped`);
  for (const [kind, fit] of Object.entries(profile.memoryOps)) console.log(`  ${kind}: bandwidthEfficiency ${fit.bandwidthEfficiency}, fixedNs ${fit.fixedNs} (${fit.observations} ops)`);
}
