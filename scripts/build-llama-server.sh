#!/usr/bin/env bash
# Builds llama.cpp's `llama-server` from the source node-llama-cpp ships (llama/gitRelease.bundle),
# once, into a cache outside the clone: ~/.cache/lantern/llama-server-<llama.cpp commit>/llama-server.
# Prints the binary's path. Reuses the cached binary when present (the build takes ~20 min of CPU).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bundle="$root/node_modules/node-llama-cpp/llama/gitRelease.bundle"
[ -f "$bundle" ] || { echo "node-llama-cpp's llama.cpp bundle is missing: run npm ci first" >&2; exit 1; }
commit="$(git bundle list-heads "$bundle" | head -n 1 | cut -c1-12)"
cache="${LANTERN_CACHE_DIR:-$HOME/.cache/lantern}/llama-server-$commit"
if [ -x "$cache/llama-server" ]; then echo "$cache/llama-server"; exit 0; fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git clone -q "$bundle" "$work/llama.cpp" >&2
git -C "$work/llama.cpp" checkout -q "$commit" >&2 2>/dev/null || true
cmake -S "$work/llama.cpp" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF \
  -DLLAMA_BUILD_EXAMPLES=OFF -DBUILD_SHARED_LIBS=OFF -DGGML_NATIVE=OFF >&2
cmake --build "$work/build" --target llama-server -j"${LANTERN_BUILD_JOBS:-2}" >&2
mkdir -p "$cache.tmp"
cp "$work/build/bin/llama-server" "$cache.tmp/"
rm -rf "$cache"; mv "$cache.tmp" "$cache"
echo "$cache/llama-server"
