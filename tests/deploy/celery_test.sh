#!/usr/bin/env bash
# deploy/celery end to end: a Redis and two Celery workers on this machine,
# a manifest of 8 dumps submitted with deploy/celery/submit.py. One worker
# is killed with SIGKILL while it holds a task (its whole process group: a
# machine lost), and the other's pool process while it runs one; a
# replacement worker starts once the first task's visibility timeout has
# passed. One scan exits without a result once, as a crash would. All three
# tasks must run again, and the merged report must list each
# manifest path exactly once, every dump scanned, and equal a one-machine
# `drydock scan --format json --manifest` but for each dump's memory share.
#
#   tests/deploy/celery_test.sh DRYDOCK_BINARY
#
# Needs redis-server, python3-celery and python3-redis (scripts/setup.sh);
# installs nothing. Listens on 127.0.0.1 only. About 25 s. Runs
# drydock_tasks_test.py (the task without a broker) first.
set -uo pipefail

drydock=$(realpath "${1:?usage: celery_test.sh DRYDOCK_BINARY}")
root=$(cd "$(dirname "$0")/../.." && pwd)
sample="$root/tests/data/sample"
dumps=8
delay=2          # seconds each scan waits first, so that a worker can be killed mid-task
visibility=10    # seconds before Redis hands a dead worker's task to another

work=$(mktemp -d "${TMPDIR:-/tmp}/drydock-celery-test.XXXXXX")
submit_pid=""
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck source=deploy/celery/local_cluster.sh
source "$root/deploy/celery/local_cluster.sh"
cleanup() {
  [ -n "$submit_pid" ] && kill -KILL "$submit_pid" 2>/dev/null
  cluster_stop
  rm -rf "$work"
}
trap cleanup EXIT

problems=()
check() {  # check DESCRIPTION COMMAND...: records the description when COMMAND fails
  local what=$1
  shift
  "$@" || problems+=("$what")
}
finish() {
  if ((${#problems[@]} == 0)); then
    echo "celery: 1 passed, 0 failed"
    exit 0
  fi
  printf 'celery_test: FAILED: %s\n' "${problems[@]}" >&2
  for log in "$work"/*.log "$work"/cluster/*.log; do
    [ -f "$log" ] || continue
    echo "--- $(basename "$log") (last lines)" >&2
    tail -15 "$log" >&2
  done
  echo "celery: 0 passed, 1 failed"
  exit 1
}

cluster_init "$work/cluster" || { problems+=("cluster setup"); finish; }
python=$CLUSTER_PYTHON

# The task's body without a broker first.
DRYDOCK_BINARY="$drydock" "$python" "$root/tests/deploy/drydock_tasks_test.py" >"$work/unit.log" 2>&1
check "tests/deploy/drydock_tasks_test.py (unit.log)" test $? -eq 0

# The fleet: copies of the sample dump, absolute paths.
mkdir -p "$work/dumps" "$work/cache" "$work/tmp"
for ((i = 0; i < dumps; i++)); do
  cp "$sample/docker-basic-sample.lime.zst" "$work/dumps/host-$i.lime.zst"
  echo "$work/dumps/host-$i.lime.zst"
done >"$work/manifest.txt"
symbols="$sample/docker-basic-sample.json.xz"

flaky="$work/dumps/host-$((dumps - 1)).lime.zst"

# The test's drydock for the workers: notes which worker starts which dump
# from which pool process (its parent), then waits before scanning. Its first
# run on the last dump exits 3 without a result, as a crash would, so that
# Celery retries it. The product has no such delay.
cat >"$work/slow-drydock" <<EOF
#!/bin/sh
for last; do :; done
echo "\$DRYDOCK_TEST_WORKER \$PPID \$last" >>"$work/starts.txt"
sleep $delay
if [ "\$last" = "$flaky" ] && mkdir "$work/flaky-failed" 2>/dev/null; then exit 3; fi
exec "$drydock" "\$@"
EOF
chmod +x "$work/slow-drydock"
touch "$work/starts.txt"

# wait_for_start WORKER: the line "WORKER POOL_PID PATH" of the next dump
# WORKER starts (after the lines already read), within 30 s.
seen=0
wait_for_start() {
  local i line
  for ((i = 0; i < 300; i++)); do
    line=$(awk -v w="$1" -v from="$seen" 'NR > from && $1 == w { print NR " " $0; exit }' "$work/starts.txt")
    if [ -n "$line" ]; then
      seen=${line%% *}
      echo "${line#* }"
      return 0
    fi
    sleep 0.1
  done
  return 1
}
# started_again_after LINE: whether the dump of LINE started again later, on any worker.
started_again_after() {
  local path=${1#* * }
  awk -v path="$path" -v line="$1" 'found && substr($0, length($1) + length($2) + 3) == path { again = 1 }
    $0 == line { found = 1 } END { exit !again }' "$work/starts.txt"
}

export XDG_CACHE_HOME="$work/cache" TMPDIR="$work/tmp"
export DRYDOCK_VISIBILITY_TIMEOUT=$visibility DRYDOCK_SCAN_TIMEOUT=60
for name in a b; do
  DRYDOCK="$work/slow-drydock" DRYDOCK_TEST_WORKER=$name cluster_start_worker "$name"
done
cluster_wait_ready a b || { problems+=("workers did not start"); finish; }

started=$SECONDS
PYTHONPATH="$root/deploy/celery" "$python" "$root/deploy/celery/submit.py" "$work/manifest.txt" \
  --out-dir "$work/results" --symbols "$symbols" --strict --timeout 120 --drydock "$drydock" \
  -o "$work/merged.json" >"$work/submit.log" 2>&1 &
submit_pid=$!

# A machine lost: worker a, its pool process and its drydock killed while a
# holds a task. Nothing acknowledges the task; Redis hands it out again once
# its visibility timeout has passed.
held_a=$(wait_for_start a) || { problems+=("worker a took no task"); finish; }
cluster_kill_worker a
killed_a=$SECONDS
echo "celery_test: killed worker a at $((SECONDS - started)) s while it scanned ${held_a#* * }" >&2

# A pool process lost: b's, killed while it runs a task. b's main process
# sees the loss and, by task_reject_on_worker_lost, requeues the task at once.
held_b=$(wait_for_start b) || { problems+=("worker b took no task"); finish; }
kill -KILL "$(echo "$held_b" | cut -d' ' -f2)"
echo "celery_test: killed b's pool process at $((SECONDS - started)) s while it scanned ${held_b#* * }" >&2

# a's machine comes back once a's task is past its visibility timeout. kombu
# 5.2's Redis transport hands such tasks out again when a worker starts and,
# after that, only every 100 s: b alone would take a's task back up to 100 s
# after the timeout.
while ((SECONDS < killed_a + visibility + 1)); do sleep 0.2; done
DRYDOCK="$work/slow-drydock" DRYDOCK_TEST_WORKER=a2 cluster_start_worker a2

wait "$submit_pid"
submit_status=$?
submit_pid=""
echo "celery_test: submit.py finished at $((SECONDS - started)) s (exit $submit_status)" >&2
check "submit.py --strict exits 0 (exit $submit_status)" test "$submit_status" -eq 0
check "the task of the killed worker ran again" started_again_after "$held_a"
check "the task of the killed pool process ran again" started_again_after "$held_b"
check "a scan that left no result was retried by Celery" grep -q "Retry in .*ScanFailed" "$work"/cluster/*.log
check "the retried dump was scanned again" test "$(grep -cxF "$flaky" <(cut -d' ' -f3- "$work/starts.txt"))" -ge 2
check "one result file per dump" test "$(find "$work/results" -name '*.json' | wc -l)" -eq "$dumps"

"$drydock" scan --format json --symbols "$symbols" --manifest "$work/manifest.txt" -o "$work/one.json" -q
check "the one-machine scan succeeds" test $? -eq 0

compare() {
  "$python" - "$work/manifest.txt" "$work/merged.json" "$work/one.json" <<'EOF'
import json, sys
manifest = [line for line in open(sys.argv[1]).read().splitlines() if line]
merged, one = (json.load(open(f)) for f in sys.argv[2:4])
paths = [d["dump"]["path"] for d in merged["dumps"]]
if paths != manifest:
    sys.exit(f"merged paths {paths} are not the manifest's {manifest}")
failed = [d["dump"]["path"] for d in merged["dumps"] if d.get("errors") or "engine" not in d]
if failed:
    sys.exit(f"dumps with errors in the merge: {failed}")
for report in (merged, one):
    for d in report["dumps"]:
        d["dump"].pop("memory", None)  # the memory share depends on the dumps one process scans at once
if merged != one:
    for m, o in zip(merged["dumps"], one["dumps"]):
        if m != o:
            sys.exit(f"{m['dump']['path']}: the merge differs from the one-machine scan")
    sys.exit("the merge differs from the one-machine scan")
EOF
}
check "the merge equals the one-machine scan but for dump.memory" compare
echo "celery_test: $((SECONDS - started)) s from submission to the end of the checks" >&2
finish
