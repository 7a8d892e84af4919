#!/usr/bin/env bash
# The GPU check of issue 18, as one command: builds, then scripts/gpu-check.mjs prints one JSON summary
# (device, which backends load, their kernel values against wasm, pnpm bench on each). Extra arguments
# (e.g. --no-bench) are passed on. Meant for a machine with an NVIDIA GPU; elsewhere it reports the fallback.
set -euo pipefail
cd "$(dirname "$0")/.."
pnpm -s build >&2
node scripts/gpu-check.mjs "$@"
