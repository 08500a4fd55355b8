#!/usr/bin/env bash
# Sets up, builds and runs drydock's main job: a scan, with the bundled rules,
# of the sample cut from the docker-basic dump (tests/data/sample, in the
# repository, so this runs anywhere). Extra arguments go to `drydock scan`
# (e.g. --format json). DRYDOCK_DEMO_FULL=1 scans the full dump in
# ../shared/dumps/docker-basic instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
if [ "${DRYDOCK_DEMO_FULL:-0}" = 1 ]; then
  dir=../shared/dumps/docker-basic
  exec build/drydock scan --symbols "$dir" "$dir/memory.lime.zst" "$@"
fi
exec build/drydock scan --symbols tests/data/sample/docker-basic-sample.json.xz \
  tests/data/sample/docker-basic-sample.lime.zst "$@"
