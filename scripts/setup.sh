#!/usr/bin/env bash
# Installs every Debian package drydock needs to build, test and benchmark.
# Safe to run again: apt skips what is already there.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git
  libboost-dev libre2-dev nlohmann-json3-dev libtbb-dev catch2
  libbenchmark-dev libcli11-dev libfmt-dev libsimdjson-dev
  libzstd-dev zstd liblzma-dev xz-utils zlib1g-dev libarchive-dev libssl-dev
  clang libclang-rt-14-dev
  redis-server python3-celery python3-redis
)
# The SARIF validator runs on Node.js; keep an npm that is already there.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
# tests/deploy/slurm_test.sh: a single-node Slurm, and jq to compare reports.
packages+=(munge slurmctld slurmd slurm-client jq)
# tests/deploy/deb_test.sh: the package's man pages and bash completion.
packages+=(man-db bash-completion)
# tests/deploy/kubernetes_test.py reads the Job manifest.
packages+=(python3-yaml)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  # Wait for another apt (another checkout's setup) rather than fail.
  $sudo_cmd apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}"
fi

# The SARIF validator used by the tests (ajv from the npm registry).
if [ -f "$(dirname "$0")/../tests/sarif/package-lock.json" ]; then
  (cd "$(dirname "$0")/../tests/sarif" && [ -d node_modules/ajv-draft-04 ] || npm ci --no-audit --no-fund --silent)
fi
