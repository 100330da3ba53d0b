#!/usr/bin/env bash
# `make bench`, the extract part: our `extract` and the same job done with transformers + torch + h5py
# (scripts/bench/transformers_extract.py, batches of 32), on the same catalog, one after the other in
# the same run, wall time each. The baseline is skipped with a note when PYTHON has no torch.
# Usage: extract_vs_transformers.sh EXTRACT_BINARY MODEL_DIR CATALOG_DIR PYTHON
set -euo pipefail
extract=$1 model=$2 catalog=$3 python=$4
out=work/bench
mkdir -p "$out"
rm -rf "$out/extract.h5" "$out/extract.h5.parts" "$out/baseline.h5"

start=$(date +%s.%N)
"$extract" --model "$model" --catalog "$catalog" --out "$out/extract.h5" >/dev/null
ours=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
printf 'extract (this project): %.1f s wall\n' "$ours"

if ! "$python" -c "import torch, transformers, h5py, scipy" 2>/dev/null; then
  echo "extract baseline: skipped ($python has no torch/transformers/h5py/scipy; set BENCH_PYTHON)"
  exit 0
fi
start=$(date +%s.%N)
"$python" scripts/bench/transformers_extract.py "$model" "$catalog" "$out/baseline.h5" 2>/dev/null
theirs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
printf 'extract baseline (transformers + torch + h5py, batches of 32, 2 threads): %.1f s wall\n' "$theirs"
awk -v a="$theirs" -v b="$ours" 'BEGIN { printf "extract speed-up: %.1fx\n", a / b }'
rm -rf "$out"
