#!/usr/bin/env bash
# Write every output a refactor must keep byte-identical into DIR: the default run, the Mixtral scenario, a small
# sweep, a small plan and the paper validation (its report.json without wall times, which differ run to run). Compare two
# snapshots with `diff -r BEFORE AFTER`. Takes about 5 minutes on a 2-core machine.
set -euo pipefail
dir=${1:?usage: scripts/snapshot-outputs.sh DIR}
rm -rf "$dir"
mkdir -p "$dir"
moesim() { node bin/moesim.js "$@"; }
moesim run scenarios/default.yaml -q -o "$dir/default" > "$dir/default.stdout"
moesim run scenarios/mixtral-8x7b-910b3-32.yaml -q -o "$dir/mixtral" > "$dir/mixtral.stdout"
moesim sweep scenarios/default.yaml --set router.name=gshard,switch --set router.capacityFactor=1,2 -q -o "$dir/sweep" > "$dir/sweep.stdout"
cat > "$dir/tiny-plan.yaml" <<'YAML'
version: 1
name: tiny-plan
model: { preset: tiny-moe, overrides: { seqLength: 256 } }
tokens: 1.0e9
deadlineDays: 10
globalBatch: 32
devices: [16, 32]
routers: [gshard, switch, hash]
candidates:
  - { system: atlas-800t-a2, pricing: { kind: capital, years: 4 } }
  - { system: dgx-h100, pricing: { kind: rental, perDeviceHour: 2, currency: USD } }
energy: { pricePerKWh: 0.1, currency: USD, pue: 1.5 }
currency: USD
exchangeRates: { CNY: 0.14 }
routing: { sampleTokensPerLayer: 256, sampledMicroBatches: 1 }
YAML
moesim plan "$dir/tiny-plan.yaml" -q -o "$dir/plan" > "$dir/plan.stdout"
moesim validate-papers --json -q -o "$dir/validation" |
  node -e 'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>{const r=JSON.parse(s);delete r.wall_s;delete r.experimentWall_s;process.stdout.write(JSON.stringify(r,null,1))})' > "$dir/validation.json"
rm -f "$dir/validation/report.json" "$dir/validation/report.md"
