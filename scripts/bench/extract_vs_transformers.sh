#!/usr/bin/env bash
# `make bench`, the extract part: our `extract` and the same job done the usual Python ways, with
# transformers + torch (scripts/bench/transformers_extract.py) and with ONNX Runtime on the model
# exported by torch.onnx (scripts/bench/onnx_extract.py), each with h5py and NumPy, batches of 32,
# 2 threads, on the same catalog, one after the other in the same run, wall time each. Two catalogs:
# CATALOG_DIR itself ("default"), and its prompts joined 4 at a time ("long texts", up to the 256-token
# limit). BENCH_EXTRACT_PROMPTS=N takes the first N prompts of each condition only (a shorter run).
# A baseline is skipped with a note when PYTHON lacks its packages. Prints the CPU and the kernels.
# Usage: extract_vs_transformers.sh EXTRACT_BINARY MODEL_DIR CATALOG_DIR PYTHON
set -euo pipefail
extract=$1 model=$2 catalog=$3 python=$4
out=work/bench
mkdir -p "$out"
export TRANSFORMERS_VERBOSITY=error HF_HUB_OFFLINE=1

cpu=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
vendor=$(grep -m1 '^vendor_id' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
avx512=$(grep -m1 '^flags' /proc/cpuinfo | grep -qw avx512f && echo "AVX-512F" || echo "no AVX-512F")
if [ "$avx512" = "AVX-512F" ] && [ -z "${CODEBOOK_NO_AVX512:-}" ] && [ "${CODEBOOK_MATRIX_KERNEL:-}" != blas ]; then
  kernel="packed AVX-512 kernel"; else kernel="OpenBLAS sgemm"; fi
echo "extract bench on: $cpu ($vendor, $(nproc) CPUs, $avx512); our dense layers: $kernel;" \
  "OpenBLAS core type ${CODEBOOK_OPENBLAS_CORETYPE:-$([ "$avx512" = "AVX-512F" ] && echo SKYLAKEX || echo "OpenBLAS's own")}"

has_torch=0 has_onnx=0
"$python" -c "import torch, transformers, h5py, scipy" 2>/dev/null && has_torch=1
"$python" -c "import torch, transformers, h5py, scipy, onnxruntime, onnx" 2>/dev/null && has_onnx=1
# The ONNX export, once, before any clock starts.
if [ $has_onnx = 1 ]; then
  "$python" -c "import sys; sys.path.insert(0, 'scripts/bench'); import onnx_model; onnx_model.export(sys.argv[1])" "$model" >/dev/null 2>&1
fi

seconds() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { print b - a }'; }

bench() {  # bench LABEL CATALOG
  local label=$1 dir=$2 start ours theirs cpu_seconds
  rm -rf "$out/extract.h5" "$out/extract.h5.parts" "$out/extract.h5.lock" "$out/baseline.h5"
  local prompts
  prompts=$(cat "$dir"/*.jsonl | wc -l)
  start=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$out/time.txt" "$extract" --model "$model" --catalog "$dir" --out "$out/extract.h5" >/dev/null
  ours=$(seconds "$start")
  cpu_seconds=$(awk '{ print $1 + $2 }' "$out/time.txt")
  printf '%s (%s prompts): extract (this project): %.1f s wall, %.0f%% CPU (of %d00%%)\n' "$label" "$prompts" "$ours" \
    "$(awk -v c="$cpu_seconds" -v w="$ours" 'BEGIN { print 100 * c / w }')" "$(nproc)"
  for peer in transformers onnx; do
    if [ $peer = transformers ] && [ $has_torch = 0 ]; then echo "  transformers baseline: skipped ($python has no torch/transformers/h5py/scipy; set BENCH_PYTHON)"; continue; fi
    if [ $peer = onnx ] && [ $has_onnx = 0 ]; then echo "  ONNX Runtime baseline: skipped ($python has no onnxruntime/onnx; make bench-env)"; continue; fi
    local script=scripts/bench/transformers_extract.py name="transformers + torch + h5py"
    [ $peer = onnx ] && script=scripts/bench/onnx_extract.py name="ONNX Runtime + h5py"
    rm -f "$out/baseline.h5"
    start=$(date +%s.%N)
    "$python" "$script" "$model" "$dir" "$out/baseline.h5" --threads 2 >/dev/null 2>&1
    theirs=$(seconds "$start")
    printf '  %s, batches of 32, 2 threads: %.1f s wall; extract speed-up %.1fx\n' "$name" "$theirs" \
      "$(awk -v a="$theirs" -v b="$ours" 'BEGIN { print a / b }')"
  done
}

default=$catalog
if [ -n "${BENCH_EXTRACT_PROMPTS:-}" ]; then
  "$python" scripts/bench/derive_catalog.py "$catalog" "$out/catalog-first" --first "$BENCH_EXTRACT_PROMPTS"
  default=$out/catalog-first
fi
"$python" scripts/bench/derive_catalog.py "$default" "$out/catalog-long" --join 4
bench "default catalog${BENCH_EXTRACT_PROMPTS:+, first $BENCH_EXTRACT_PROMPTS prompts of each condition}" "$default"
bench "long texts (the same prompts joined 4 at a time)" "$out/catalog-long"
rm -rf "$out/extract.h5" "$out/extract.h5.parts" "$out/extract.h5.lock" "$out/baseline.h5" "$out/time.txt" "$out/catalog-first" "$out/catalog-long"
