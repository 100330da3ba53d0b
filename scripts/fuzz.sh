#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/, a package of its own) and runs each for a bounded time.
#
#   scripts/fuzz.sh [TARGET…]          targets: safetensors catalog tokenizer codebook gguf (default: all)
#
# Environment: FUZZ_SECONDS (per target, default 60), FUZZ_TIMEOUT (per input, default 10 s),
# FUZZ_RSS_MB (default 2048), FUZZ_SANITIZERS (default fuzzer,address), FUZZ_SKIP_BUILD=1 to reuse the
# last build, FUZZ_EXTRA (more libFuzzer flags).
#
# libFuzzer's mutations start from Fuzz/dictionaries/<target>.dict (the formats' keys, type names and
# numbers at integer and float limits), which it cannot guess from coverage alone.
# Each target's corpus grows in work/fuzz/<target>/corpus (gitignored), seeded every run from
# Tests/Fixtures (the fixtures themselves, plus Tests/Fixtures/fuzz/seeds/<target>/ and every saved
# regression input). A crash, sanitizer report, leak, out-of-memory or timeout fails the run; its input
# is copied to Tests/Fixtures/fuzz/regressions/<target>/, which FuzzRegressionTests replays in `swift test`.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

ALL_TARGETS=(safetensors catalog tokenizer codebook gguf)
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${ALL_TARGETS[@]}")

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-10}
FUZZ_RSS_MB=${FUZZ_RSS_MB:-2048}
FUZZ_SANITIZERS=${FUZZ_SANITIZERS:-fuzzer,address}
FUZZ_EXTRA=${FUZZ_EXTRA:-}

binary_name() {
  case "$1" in
    safetensors) echo FuzzSafeTensors ;;
    catalog) echo FuzzCatalog ;;
    tokenizer) echo FuzzTokenizer ;;
    codebook) echo FuzzCodebook ;;
    gguf) echo FuzzGGUF ;;
    *) echo "fuzz: unknown target '$1' (known: ${ALL_TARGETS[*]})" >&2; exit 2 ;;
  esac
}
for target in "${TARGETS[@]}"; do binary_name "$target" >/dev/null; done

# SwiftPM names a path dependency after its folder: a checkout folder called "fuzz" would have the same
# identity as the Fuzz/ package itself, and the dependency would not resolve.
if [ "$(basename "$ROOT" | tr '[:upper:]' '[:lower:]')" = fuzz ]; then
  echo "fuzz: the repository folder is named '$(basename "$ROOT")', which SwiftPM confuses with the Fuzz/ package; use a checkout under another name" >&2
  exit 2
fi

BUILD_FLAGS=(-c release --package-path Fuzz -Xswiftc "-sanitize=$FUZZ_SANITIZERS")
if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ]; then
  echo "fuzz: building Fuzz/ with -sanitize=$FUZZ_SANITIZERS"
  swift build "${BUILD_FLAGS[@]}"
fi
BIN=$(swift build "${BUILD_FLAGS[@]}" --show-bin-path)

# Seeds for one target into $2 (recreated each run; the corpus itself is kept between runs).
seed() {
  local target=$1 dir=$2 fixtures=Tests/Fixtures
  rm -rf "$dir" && mkdir -p "$dir"
  case "$target" in
    safetensors)
      for f in "$fixtures"/safetensors/*.safetensors "$fixtures"/safetensors/*/*.safetensors "$fixtures"/compile/artifacts/*.safetensors; do
        [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 65536 ] && cp "$f" "$dir/$(echo "$f" | tr / _)"
      done ;;
    tokenizer)
      for f in "$fixtures"/tokenizers/*/tokenizer.json; do cp "$f" "$dir/$(basename "$(dirname "$f")").json"; done
      # tokenizer.json ‖ NUL ‖ tokenizer_config.json: loaded as a model folder.
      for d in "$fixtures"/tokenizers/*/; do
        [ -f "$d/tokenizer_config.json" ] && { cat "$d/tokenizer.json"; printf '\0'; cat "$d/tokenizer_config.json"; } > "$dir/$(basename "$d")-with-config"
      done ;;
    codebook)
      # Byte 0: the file replaced (0 config.json, 1 basis, 2 regions, 3 splines), | 4 = recompute its sha256.
      local i=0
      for name in config.json basis.safetensors regions.safetensors splines.json; do
        for flag in 0 4; do
          { printf "\\x0$((i | flag))"; cat "$fixtures/compile/artifacts/$name"; } > "$dir/$name-$((i | flag))"
        done
        i=$((i + 1))
      done ;;
    gguf)
      for f in "$fixtures"/gguf/*.gguf "$fixtures"/gguf/malformed/*.gguf; do
        [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 65536 ] && cp "$f" "$dir/$(basename "$f")"
      done ;;
    catalog) ;;  # The committed seeds below: catalog.json ‖ NUL ‖ a.jsonl ‖ NUL ‖ b.jsonl.
  esac
  for kind in seeds regressions; do
    for f in "$fixtures/fuzz/$kind/$target"/*; do [ -f "$f" ] && cp "$f" "$dir/$kind-$(basename "$f")"; done
  done
  return 0
}

failed=()
summary=()
for target in "${TARGETS[@]}"; do
  work="work/fuzz/$target"
  mkdir -p "$work/corpus" "$work/crashes"
  rm -f "$work/crashes"/*
  seed "$target" "$work/seeds"
  scratch="/dev/shm/codebook-fuzz-$target-$$"
  [ -d /dev/shm ] || scratch="${TMPDIR:-/tmp}/codebook-fuzz-$target-$$"
  echo "fuzz: $target for ${FUZZ_SECONDS}s (log: $work/fuzz.log)"
  status=0
  started=$(date +%s)
  # shellcheck disable=SC2086  # FUZZ_EXTRA is a list of flags.
  CODEBOOK_FUZZ_SCRATCH="$scratch" LSAN_OPTIONS="suppressions=$ROOT/Fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}" "$BIN/$(binary_name "$target")" \
    -max_total_time="$FUZZ_SECONDS" -timeout="$FUZZ_TIMEOUT" -rss_limit_mb="$FUZZ_RSS_MB" \
    -print_final_stats=1 -artifact_prefix="$work/crashes/" -dict="Fuzz/dictionaries/$target.dict" $FUZZ_EXTRA \
    "$work/corpus" "$work/seeds" >"$work/fuzz.log" 2>&1 || status=$?
  rm -rf "$scratch"

  # libFuzzer's own numbers: executions, the last coverage line, wall time.
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log" | tail -1)
  last=$(grep -E '^#[0-9]+.*cov: ' "$work/fuzz.log" | tail -1 || true)
  cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$last"); ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$last")
  secs=$(( $(date +%s) - started ))
  corpus=$(find "$work/corpus" -type f | wc -l)
  line="$target: runs ${runs:-?} in ${secs:-?}s, cov ${cov:-?}, ft ${ft:-?}, corpus $corpus"
  if [ "$status" -ne 0 ]; then
    mkdir -p "Tests/Fixtures/fuzz/regressions/$target"
    saved=()
    for f in "$work/crashes"/*; do
      [ -f "$f" ] || continue
      cp "$f" "Tests/Fixtures/fuzz/regressions/$target/"
      saved+=("Tests/Fixtures/fuzz/regressions/$target/$(basename "$f")")
    done
    line="$line — FAILED (exit $status): ${saved[*]:-no input saved}"
    failed+=("$target")
    echo "fuzz: $target failed; the end of its log:" >&2
    grep -v '^"' "$work/fuzz.log" | tail -40 >&2
  fi
  echo "fuzz: $line"
  summary+=("$line")
done

echo
printf 'fuzz: %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} — turn each saved input into a fix; FuzzRegressionTests replays it" >&2
  exit 1
fi
