#!/usr/bin/env bash
# Dumps per second of one manifest on this machine: a plain `drydock scan -j 2`
# and `-j 1`, a Slurm job array of 1, 2 and 4 tasks (deploy/slurm's script on
# a single-node Slurm started here, 1 CPU a task, as many at once as the node
# has CPUs), then 1, 2 and 4 Celery workers (deploy/celery/throughput.sh).
# Wall time from the start (sbatch, submit.py) to the last result; the symbol
# cache is warmed first (`drydock symbols warm`). Each run writes into an
# empty results directory.
#
#   bench/deploy_throughput.sh DRYDOCK DUMP ISF [COPIES]
#
# COPIES (default 16) hard links to DUMP, each a dump of its own to drydock.
# Needs root and the packages of scripts/setup.sh (munge, slurmctld, slurmd,
# slurm-client, redis-server, python3-celery, python3-redis). TASKS="1 2 4"
# and WORKERS="1 2 4" choose the sizes; SKIP_CELERY=1 runs Slurm alone.
set -euo pipefail

[ $# -ge 3 ] || { echo "usage: deploy_throughput.sh DRYDOCK DUMP ISF [COPIES]" >&2; exit 2; }
drydock=$(realpath "$1") dump=$(realpath "$2") isf=$(realpath "$3") copies=${4:-16}
repo=$(cd "$(dirname "$0")/.." && pwd)
cpus=$(nproc)

while read -r name; do unset "$name"; done < <(compgen -e | grep -E '^(SLURM_|SBATCH_|SQUEUE_|SCANCEL_)')
work=$(mktemp -d /tmp/drydock-tput.XXXXXX)  # short: munged's socket path must fit in sun_path
# shellcheck source=deploy/slurm/local_cluster.sh
source "$repo/deploy/slurm/local_cluster.sh"
trap 'slurm_cluster_stop; [ -n "${KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"' EXIT

mkdir -p "$work/dumps" "$work/cache" "$work/tmp" "$work/out"
for ((i = 0; i < copies; i++)); do
  target="$work/dumps/host-$i.${dump##*/}"
  ln "$dump" "$target" 2>/dev/null || cp "$dump" "$target"
  echo "$target"
done >"$work/manifest.txt"
export XDG_CACHE_HOME="$work/cache" TMPDIR="$work/tmp"
"$drydock" symbols warm "$isf" >/dev/null

echo "$copies dumps ($(stat -c %s "$dump") bytes each), $cpus CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
rate() {  # rate LABEL START_NS: prints and returns the dumps per second
  local ns=$(($(date +%s%N) - $2))
  awk -v label="$1" -v n="$copies" -v ns="$ns" \
    'BEGIN { printf "%-28s %6.2f s  %7.2f dumps/s\n", label, ns / 1e9, n / (ns / 1e9) }'
}

for j in 2 1; do
  t=$(date +%s%N)
  "$drydock" scan -j "$j" --symbols "$isf" --manifest "$work/manifest.txt" -q -o /dev/null || true
  rate "drydock scan -j $j" "$t"
done

slurm_cluster_start "$work/slurm" "$cpus" >/dev/null
job_gone() { [ -z "$(squeue -h -j "$1" -o %i 2>/dev/null)" ]; }
for tasks in ${TASKS:-1 2 4}; do
  out="$work/out/slurm-$tasks"
  t=$(date +%s%N)
  job=$(env DRYDOCK="$drydock" MANIFEST="$work/manifest.txt" OUT_DIR="$out" SYMBOLS="$isf" \
    sbatch --parsable --array="0-$((tasks - 1))" --cpus-per-task=1 --output="$work/out/%A_%a.out" \
    "$repo/deploy/slurm/drydock-array.sbatch")
  slurm_cluster_wait 1800 job_gone "$job"
  rate "slurm array, $tasks task(s)" "$t"
  done_count=$(find "$out" -maxdepth 1 -name '*.json' | wc -l)
  [ "$done_count" = "$copies" ] || echo "  only $done_count of $copies results" >&2
done
slurm_cluster_stop

if [ "${SKIP_CELERY:-0}" != 1 ]; then
  # Its own baseline line comes first; the Celery lines follow.
  "$repo/deploy/celery/throughput.sh" "$drydock" "$dump" "$isf" "$copies" | grep -v "^drydock scan"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
