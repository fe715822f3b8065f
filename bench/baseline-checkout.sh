#!/bin/sh
# Prepares a checkout of older code for BENCH_BASELINE_DIR: `bench/baseline-checkout.sh <ref> <dir>`.
# Its node_modules links to this repository's packages' dependencies, but @budget/* to its own sources.
set -eu
ref=$1
dir=$2
root=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$dir"
mkdir -p "$dir"
git -C "$root" archive "$ref" packages | tar -x -C "$dir"
mkdir -p "$dir/node_modules/@budget"
for entry in "$root"/node_modules/* "$root"/node_modules/.bin; do
  name=$(basename "$entry")
  [ "$name" = "@budget" ] || ln -s "$entry" "$dir/node_modules/$name"
done
for pkg in "$dir"/packages/*; do ln -s "$pkg" "$dir/node_modules/@budget/$(basename "$pkg")"; done
echo "BENCH_BASELINE_DIR=$dir"
