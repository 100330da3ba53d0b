#!/usr/bin/env bash
# make test-slurm: the README's "Scaling out" Slurm recipe, run on a real (one-machine) Slurm cluster.
#
#  1. Installs slurm-wlm and munge with apt-get when missing, starts munged, slurmctld and slurmd with
#     all their files in a fresh temporary folder (scripts/slurm/cluster.sh).
#  2. Runs the README's Slurm block as it is written (taken from README.md, so the docs cannot drift
#     from what is tested): the array of extract --shard jobs, then the compile job that depends on
#     them, in a job folder where models/m and conditions are links to MODEL and CATALOG, and with the
#     release binaries first on PATH.
#  3. Compares the sharded compile with a one-machine compile of REFERENCE (extract without --shard),
#     file by file: basis.safetensors, regions.safetensors, splines.json and config.json must be
#     identical byte for byte. (They are: with the packed dense-layer kernel every prompt's numbers
#     are computed the same whichever prompts share its batch. Should a kernel ever make the shard
#     split move the last bits, this check fails and says which file differs; it does not loosen.)
#  4. Kill and resume: submits one shard again (the README's command, the same array index) into a
#     second job folder, waits until it has finished some batches (parts in <out>.parts/), scancels it,
#     resubmits it, and checks that the resumed job reused those parts and that its file equals the
#     uninterrupted job's file of step 2 byte for byte.
#  5. Stops every daemon, job step and job it started, whatever happened (trap on EXIT), and checks
#     that none is left.
#
# Usage: test-slurm.sh BIN_DIR MODEL_DIR CATALOG_DIR REFERENCE_H5 README
#   BIN_DIR: the release binaries (swift build -c release --show-bin-path); REFERENCE_H5: the
#   one-machine extract of the same model and catalog (make test's work/<model>/activations.h5); when
#   it is missing or older than BIN_DIR/extract it is extracted again into the temporary folder.
# Environment: SLURM_TEST_KEEP=1 keeps the temporary folder (it is kept anyway when the test fails).
set -euo pipefail

if [ $# -ne 5 ]; then
  echo "usage: $0 BIN_DIR MODEL_DIR CATALOG_DIR REFERENCE_H5 README" >&2
  exit 2
fi
bin=$(realpath "$1") model=$(realpath "$2") catalog=$(realpath "$3") reference=$4 readme=$5
here=$(dirname "$(realpath "$0")")
# shellcheck source=scripts/slurm/cluster.sh
source "$here/cluster.sh"
for tool in extract compile; do
  [ -x "$bin/$tool" ] || { echo "test-slurm: $bin/$tool is not built (make release)" >&2; exit 1; }
done
start=$SECONDS
say() { echo "test-slurm: $*"; }
fail() { echo "test-slurm: FAILED: $*" >&2; exit 1; }

# --- 1. The cluster --------------------------------------------------------------------------------
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
   || ! command -v munged >/dev/null || ! command -v mungekey >/dev/null; then
  say "installing slurm-wlm and munge with apt-get"
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq slurm-wlm munge >/dev/null
fi

tmp=$(mktemp -d /tmp/codebook-slurm.XXXXXX)
chmod 0755 "$tmp"   # munged's socket must be reachable by everyone
status_file=$tmp/passed
cleanup() {
  local code=$?
  trap - EXIT INT TERM
  set +e
  if ! slurm_cluster_stop "$tmp/cluster"; then code=1; fi
  if [ $code -eq 0 ] && [ -f "$status_file" ] && [ "${SLURM_TEST_KEEP:-0}" != 1 ]; then
    rm -rf "$tmp"
  else
    # The daemons' last words, for a CI log (the folder itself goes with the machine).
    for log in "$tmp"/cluster/log/*.log; do
      [ -f "$log" ] && { echo "--- $log (last 15 lines)"; tail -15 "$log"; } >&2
    done
    echo "test-slurm: logs and files kept in $tmp (daemon logs in $tmp/cluster/log, job outputs in $tmp/jobs*)" >&2
  fi
  exit $code
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir "$tmp/cluster"
slurm_cluster_start "$tmp/cluster"

# --- 2. The README's recipe ------------------------------------------------------------------------
# The fenced ```sh block of README.md whose first line is "# Slurm:".
recipe=$(awk '
  /^```sh$/ { inside = 1; block = ""; next }
  inside && /^```$/ { if (block ~ /^# Slurm:/) { printf "%s", block; found++ } inside = 0; next }
  inside { block = block $0 "\n" }
  END { if (found != 1) exit 1 }' "$readme") || fail "$readme has no single \`\`\`sh block starting with '# Slurm:'"

# A job folder laid out as the recipe expects: models/m, conditions, shards/, artifacts/.
job_folder() {
  mkdir -p "$1/models" "$1/shards" "$1/artifacts"
  ln -s "$model" "$1/models/m"
  ln -s "$catalog" "$1/conditions"
}
job_folder "$tmp/jobs"
export PATH="$bin:$PATH"

# Runs the recipe with sbatch recorded: each call's arguments, one per line, in $tmp/sbatch-N.args.
submitted() { { compgen -G "$tmp/sbatch-*.args" || true; } | wc -l; }
sbatch() {
  local n
  n=$(( $(submitted) + 1 ))
  printf '%s\n' "$@" > "$tmp/sbatch-$n.args"
  command sbatch "$@"
}
say "running README.md's Slurm block in $tmp/jobs:"
sed 's/^/    /' <<< "$recipe"
(cd "$tmp/jobs" && eval "$recipe") | sed 's/^/    /'
unset -f sbatch
submissions=$(submitted)
[ "$submissions" = 2 ] || fail "the README's block submitted $submissions jobs, expected 2 (the array, then compile)"

# The array job's extract command, as submitted: the argument after --wrap.
wrapped_extract=$(awk 'previous == "--wrap" { print; exit } { previous = $0 }' "$tmp/sbatch-1.args")
array=$(sed -n 's/^--array=//p' "$tmp/sbatch-1.args")
[ -n "$wrapped_extract" ] && [ -n "$array" ] || fail "the README's first sbatch has no --array=… and --wrap CMD"
shards=$(( ${array#*-} + 1 ))

# wait_for_jobs SECONDS: until the queue is empty; fails on timeout.
wait_for_jobs() {
  local limit=$1 waited=0
  while [ -n "$(squeue -h -o %A)" ]; do
    [ $waited -lt "$limit" ] || { squeue >&2; fail "jobs still queued after $limit s"; }
    sleep 2; waited=$((waited + 2))
  done
}
# job_line JOBID FIELD: one field of `scontrol show job`.
# (Every line is read: a reader that stops early could SIGPIPE the writer, a failure under pipefail.)
job_line() { scontrol -o show job "$1" | tr ' ' '\n' | awk -v key="$2=" 'index($0, key) == 1 && !found { print substr($0, length(key) + 1); found = 1 }'; }

recipe_start=$SECONDS
wait_for_jobs 3600
failed=0
# Every job the controller knows (each array task is a job of its own): so far, only the recipe's.
for id in $(scontrol -o show job | sed -n 's/^JobId=\([0-9]*\) .*/\1/p' | sort -n); do
  state=$(job_line "$id" JobState)
  task=$(job_line "$id" ArrayTaskId)
  name=$([ -n "$task" ] && echo "$(job_line "$id" ArrayJobId)_$task (extract)" || echo "$id (compile)")
  echo "test-slurm:   job $name: $state, exit $(job_line "$id" ExitCode), run time $(job_line "$id" RunTime)" >> "$tmp/jobs.txt"
  [ "$state" = COMPLETED ] || failed=1
done
sort -V "$tmp/jobs.txt"
if [ $failed = 1 ]; then
  for out in "$tmp"/jobs/slurm-*.out; do echo "--- $out"; tail -20 "$out"; done >&2
  fail "a job of the README's recipe did not complete"
fi
say "README's recipe: $shards extract jobs and the compile job COMPLETED in $((SECONDS - recipe_start)) s"
for out in "$tmp"/jobs/slurm-*.out; do
  sed -n 's/^\(extract\|compile\): /    &/p' "$out"
done

# --- 3. Against one machine ------------------------------------------------------------------------
sharded=$(ls -d "$tmp"/jobs/artifacts/*/)
if [ -f "$reference" ] && [ "$reference" -nt "$bin/extract" ]; then
  say "one-machine reference: $reference"
else
  say "one-machine reference: $reference is missing or older than $bin/extract; extracting it again"
  reference=$tmp/one-machine.h5
  extract --model "$model" --catalog "$catalog" --out "$reference" > "$tmp/one-machine-extract.log" 2>&1 \
    || { cat "$tmp/one-machine-extract.log" >&2; fail "the one-machine extract failed"; }
  tail -1 "$tmp/one-machine-extract.log" | sed 's/^/    /'
fi
compile --activations "$reference" --out "$tmp/one-machine" > "$tmp/one-machine-compile.log" 2>&1 \
  || { cat "$tmp/one-machine-compile.log" >&2; fail "the one-machine compile failed"; }
sed 's/^/    /' "$tmp/one-machine-compile.log"
different=0
for file in basis.safetensors regions.safetensors splines.json; do
  if cmp -s "$tmp/one-machine/$file" "$sharded$file"; then
    say "  $file: identical (sha256 $(sha256sum < "$sharded$file" | cut -c1-16)…)"
  else
    say "  $file: DIFFERS: $(cmp "$tmp/one-machine/$file" "$sharded$file" 2>&1 || true)"
    different=1
  fi
done
# config.json records the model by its name (SPEC §7 model.path: the last component of extract's
# --model): "m" for the recipe's models/m, whatever the one-machine extract's model folder is called.
# That line is set aside, and so is the seal on the first line (content_sha256), which covers it; each
# must be the file's only such line, and every other byte must be equal (the other files' checksums too).
model_path_line='^    "path" : ".*",$'
seal_line='^  "content_sha256" : "[0-9a-f]*",$'
for side in "$tmp/one-machine" "${sharded%/}"; do
  [ "$(grep -c "$model_path_line" "$side/config.json")" = 1 ] || fail "$side/config.json has not exactly one \"path\" line"
  [ "$(grep -c "$seal_line" "$side/config.json")" = 1 ] || fail "$side/config.json has not exactly one content_sha256 line"
  sed -e "s|$model_path_line|    \"path\" : (set aside),|" -e "s|$seal_line|  \"content_sha256\" : (set aside),|" \
    "$side/config.json" > "$side.config-without-path.json"
done
if cmp -s "$tmp/one-machine.config-without-path.json" "${sharded%/}.config-without-path.json"; then
  say "  config.json: identical but for model.path, the model's name, and the seal that covers it" \
      "(\"$(grep "$model_path_line" "$tmp/one-machine/config.json" | cut -d'"' -f4)\" vs \"$(grep "$model_path_line" "${sharded}config.json" | cut -d'"' -f4)\")"
else
  say "  config.json: DIFFERS beyond model.path:"
  { diff "$tmp/one-machine/config.json" "${sharded}config.json" || true; } | head -20 | sed 's/^/    /'
  different=1
fi
[ $different = 0 ] || fail "the sharded compile differs from the one-machine compile"
say "sharded compile = one-machine compile, byte for byte (config.json: but for model.path and its seal)"

# --- 4. Kill and resume ----------------------------------------------------------------------------
victim=$((shards / 2))
job_folder "$tmp/jobs-resume"
out=$tmp/jobs-resume/shards/a-$victim.h5
cd "$tmp/jobs-resume"
first=$(command sbatch --parsable --array="$victim" --wrap "$wrapped_extract")
say "kill and resume: shard $victim/$shards submitted again as job $first, into $tmp/jobs-resume"
# Cancelled once it has finished 4 of its 32 batches (16 conditions × 2), well before its end.
parts() { { compgen -G "$out.parts/c*.safetensors" || true; } | wc -l; }
waited=0
until [ "$(parts)" -ge 4 ]; do
  [ -n "$(squeue -h -j "$first" -t R,PD -o %A)" ] || fail "job $first ended before it had written 4 parts"
  [ $waited -lt 6000 ] || fail "job $first wrote fewer than 4 parts in 600 s"
  sleep 0.1; waited=$((waited + 1))
done
scancel "$first"
wait_for_jobs 120
state=$(job_line "$first" JobState)
[ "$state" = CANCELLED ] || fail "job $first is $state after scancel, expected CANCELLED"
[ -e "$out" ] && fail "the cancelled job $first finished its file before it was cancelled; nothing to resume"
kept=$(parts)
say "  job $first: $state with $kept finished batches in $(basename "$out").parts/"
second=$(command sbatch --parsable --array="$victim" --wrap "$wrapped_extract")
wait_for_jobs 1200
state=$(job_line "$second" JobState)
log=$(ls "$tmp"/jobs-resume/slurm-"${second}"_*.out)
[ "$state" = COMPLETED ] || { cat "$log" >&2; fail "the resubmitted job $second is $state"; }
summary=$(grep '^extract: ' "$log" | tail -1)
say "  job $second (resubmitted): $state: $summary"
resumed=$(sed -n 's/.*, \([0-9]*\) batches resumed.*/\1/p' <<< "$summary")
[ "${resumed:-0}" -ge 1 ] || fail "job $second did not resume from the parts (no 'batches resumed' in its summary)"
[ "$resumed" = "$kept" ] || fail "job $second resumed $resumed batches, not the $kept parts left"
cmp "$out" "$tmp/jobs/shards/a-$victim.h5" || fail "the resumed shard $victim differs from the uninterrupted one"
say "  resumed a-$victim.h5 = uninterrupted a-$victim.h5, byte for byte"
cd "$tmp"

# --- 5. Done (the trap stops the cluster) ----------------------------------------------------------
touch "$status_file"
slurm_cluster_stop "$tmp/cluster" || fail "the cluster's processes did not all stop"
[ -z "$(slurm_cluster_pids "$tmp/cluster")" ] || fail "processes of the cluster are still alive"
say "munged, slurmctld and slurmd stopped; no process of the cluster is left"
say "passed in $((SECONDS - start)) s"
