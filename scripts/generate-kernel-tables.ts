// Writes catalog/kernels/<profile>.csv for every kernel profile shipped straight from the tile model
// (src/kernels/gemm-tile-model.ts: the Ascend profiles). The NVIDIA profiles are derived from measurements by
// scripts/derive-vidur-kernel-tables.ts instead.
// Run: node --import tsx scripts/generate-kernel-tables.ts   (overwrites the shipped, model-derived tables;
// a profile holding your own measurements should use a name of its own so this never overwrites it).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultKernelProfileDirectory, derivedProfileCsv, tileModelShippedProfiles } from '../src/kernels/index.ts';

const directory = defaultKernelProfileDirectory();
for (const name of tileModelShippedProfiles()) {
  const path = join(directory, `${name}.csv`);
  writeFileSync(path, derivedProfileCsv(name));
  console.log(`wrote ${path}`);
}
