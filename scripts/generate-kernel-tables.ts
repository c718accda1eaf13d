// Writes catalog/kernels/<profile>.csv for every derived kernel profile (src/kernels/gemm-tile-model.ts).
// Run: node --import tsx scripts/generate-kernel-tables.ts   (overwrites the shipped, model-derived tables;
// a profile holding your own measurements should use a name of its own so this never overwrites it).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DERIVED_KERNEL_PROFILES, defaultKernelProfileDirectory, derivedProfileCsv } from '../src/kernels/index.ts';

const directory = defaultKernelProfileDirectory();
for (const name of Object.keys(DERIVED_KERNEL_PROFILES)) {
  const path = join(directory, `${name}.csv`);
  writeFileSync(path, derivedProfileCsv(name));
  console.log(`wrote ${path}`);
}
