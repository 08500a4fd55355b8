#!/usr/bin/env bash
# Sets up, builds and runs drydock's main job: a scan of the docker-basic
# memory dump in ../shared with the bundled rules. Extra arguments go to
# `drydock scan` (e.g. --format json).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
dump_dir=${DRYDOCK_DEMO_DIR:-../shared/dumps/docker-basic}
if [ ! -f "$dump_dir/memory.lime.zst" ]; then
  echo "demo: $dump_dir/memory.lime.zst not found; set DRYDOCK_DEMO_DIR to a folder with memory.lime.zst and its ISF" >&2
  exit 2
fi
exec build/drydock scan --symbols "$dump_dir" "$dump_dir/memory.lime.zst" "$@"
