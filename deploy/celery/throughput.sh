#!/usr/bin/env bash
# Dumps per second of the same manifest: `drydock scan -j 2` on one machine,
# then submit.py on 1, 2 and 4 local Celery workers (WORKERS="1 2 4"; a Redis
# on 127.0.0.1, as in tests/deploy/celery_test.sh). Wall time from start to
# the merged report; the symbol cache is warmed first (`symbols warm`).
# bench/deploy_throughput.sh runs this after the same figures for Slurm.
#
#   deploy/celery/throughput.sh DRYDOCK DUMP ISF [COPIES]
#
# COPIES (default 16) hard links to DUMP, each a dump of its own to drydock.
set -euo pipefail

drydock=$(realpath "${1:?usage: throughput.sh DRYDOCK DUMP ISF [COPIES]}")
dump=$(realpath "${2:?usage: throughput.sh DRYDOCK DUMP ISF [COPIES]}")
isf=$(realpath "${3:?usage: throughput.sh DRYDOCK DUMP ISF [COPIES]}")
copies=${4:-16}
here=$(cd "$(dirname "$0")" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/drydock-celery-throughput.XXXXXX")
# shellcheck source-path=SCRIPTDIR
# shellcheck source=local_cluster.sh
source "$here/local_cluster.sh"
trap 'cluster_stop; [ -n "${KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"' EXIT
cluster_init "$work/cluster"

mkdir -p "$work/dumps" "$work/cache" "$work/tmp"
for ((i = 0; i < copies; i++)); do
  target="$work/dumps/host-$i.${dump##*/}"
  ln "$dump" "$target" 2>/dev/null || cp "$dump" "$target"
  echo "$target"
done >"$work/manifest.txt"
export XDG_CACHE_HOME="$work/cache" TMPDIR="$work/tmp" DRYDOCK="$drydock"
"$drydock" symbols warm "$isf" >/dev/null

rate() {  # rate LABEL START_NS
  local ns=$(($(date +%s%N) - $2))
  awk -v label="$1" -v n="$copies" -v ns="$ns" 'BEGIN { printf "%-28s %6.2f s  %7.2f dumps/s\n", label, ns / 1e9, n / (ns / 1e9) }'
}

t=$(date +%s%N)
"$drydock" scan -j 2 --symbols "$isf" --manifest "$work/manifest.txt" -q -o /dev/null || true
rate "drydock scan -j 2" "$t"

run=0
for workers in ${WORKERS:-1 2 4}; do
  for ((w = 0; w < workers; w++)); do cluster_start_worker "w$run-$w"; done
  for ((w = 0; w < workers; w++)); do cluster_wait_ready "w$run-$w"; done
  t=$(date +%s%N)
  PYTHONPATH="$here" "$CLUSTER_PYTHON" "$here/submit.py" "$work/manifest.txt" --out-dir "$work/out-$run" \
    --symbols "$isf" -o /dev/null 2>"$work/submit-$run.log" || true
  rate "celery, $workers worker(s)" "$t"
  grep "task(s) done" "$work/submit-$run.log" || cat "$work/submit-$run.log" >&2
  cluster_stop_workers
  run=$((run + 1))
done
