#!/usr/bin/env bash
# Write every output a refactor must keep byte-identical into DIR: the default run, the Mixtral scenario, a small
# sweep and the paper validation (its report.json without wall times, which differ run to run). Compare two
# snapshots with `diff -r BEFORE AFTER`. Takes about 5 minutes on a 2-core machine.
set -euo pipefail
dir=${1:?usage: scripts/snapshot-outputs.sh DIR}
rm -rf "$dir"
mkdir -p "$dir"
moesim() { node bin/moesim.js "$@"; }
moesim run scenarios/default.yaml -q -o "$dir/default" > "$dir/default.stdout"
moesim run scenarios/mixtral-8x7b-910b3-32.yaml -q -o "$dir/mixtral" > "$dir/mixtral.stdout"
moesim sweep scenarios/default.yaml --set router.name=gshard,switch --set router.capacityFactor=1,2 -q -o "$dir/sweep" > "$dir/sweep.stdout"
moesim validate-papers --json -q -o "$dir/validation" |
  node -e 'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>{const r=JSON.parse(s);delete r.wall_s;delete r.experimentWall_s;process.stdout.write(JSON.stringify(r,null,1))})' > "$dir/validation.json"
rm -f "$dir/validation/report.json" "$dir/validation/report.md"
