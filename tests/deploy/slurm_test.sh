#!/usr/bin/env bash
# deploy/slurm/drydock-array.sbatch on a real, single-node Slurm: munged,
# slurmctld and slurmd from Debian's packages, configured and started in a
# temporary directory (no systemd, no cgroups), reached on 127.0.0.1 only.
#
#   tests/deploy/slurm_test.sh path/to/drydock
#
# 1. A job array of 4 tasks over a manifest of 8 dumps (copies of the sample;
#    plus the real dumps when DRYDOCK_SHARED_DIR/dumps has them), merged with
#    `report merge --manifest`, equals one `scan --format json --manifest`
#    except each dump's dump.memory.
# 2. The same array with one task held before drydock starts and cancelled
#    (scancel JOB_K) while it runs (see the wrapper below): `report merge --strict` exits 2 and names
#    exactly that shard's dumps; resubmitting only that index (sbatch
#    --array=K, SHARD_COUNT=4) completes the merge, rescans nothing else, and
#    the merge equals the one-machine scan with one entry per manifest path.
#
# Needs root (slurmd runs jobs as their user), the packages scripts/setup.sh
# installs (munge slurmctld slurmd slurm-client jq), and free ports on
# 127.0.0.1. Every daemon it starts is stopped on exit. Bounded: each wait
# for Slurm has a limit (WAIT_SECONDS, default 300), and all of them together
# end TOTAL_SECONDS (default 600) after the start, so the script stops and
# cleans up before CTest's TIMEOUT. KEEP_SLURM_TMP=1 keeps the temporary
# directory. Ends with "slurm: N passed, M failed".
# shellcheck disable=SC2317  # functions below are called through check, wait_for and trap
set -uo pipefail

drydock=${1:?usage: slurm_test.sh DRYDOCK_BINARY}
drydock=$(realpath "$drydock")
repo=$(cd "$(dirname "$0")/../.." && pwd)
sbatch_script="$repo/deploy/slurm/drydock-array.sbatch"
sample="$repo/tests/data/sample"
wait_seconds=${WAIT_SECONDS:-300}
shards=4
started=$SECONDS
total_deadline=$((started + ${TOTAL_SECONDS:-600}))

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() {  # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
finish() {
  echo "slurm: $passed passed, $failed failed ($((SECONDS - started)) s)"
  [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
  exit $?
}
abort() {  # a step the rest depends on failed
  fail "$*"
  show_logs
  finish
}

for tool in munged slurmctld slurmd sbatch squeue scancel scontrol sinfo jq; do
  command -v "$tool" >/dev/null || abort "$tool not found: run scripts/setup.sh (munge slurmctld slurmd slurm-client jq)"
done
[ "$(id -u)" -eq 0 ] || abort "must run as root (slurmd starts the jobs as their user)"

# Settings of an enclosing Slurm job or another cluster must not leak in.
while read -r name; do unset "$name"; done < <(compgen -e | grep -E '^(SLURM_|SBATCH_|SQUEUE_|SCANCEL_)')

tmp=$(mktemp -d /tmp/drydock-slurm.XXXXXX)  # short: munged's socket path must fit in sun_path
mkdir -p "$tmp"/{log,out,dumps,cache}
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck source=deploy/slurm/local_cluster.sh
source "$repo/deploy/slurm/local_cluster.sh"

show_logs() {
  [ -d "${tmp:-}" ] || return 0
  for f in "$tmp"/log/*.log "$tmp"/out/*.out; do
    [ -f "$f" ] || continue
    echo "---- $f (last 30 lines)"
    tail -n 30 "$f"
  done
}

cleanup() {
  slurm_cluster_stop
  if [ "${KEEP_SLURM_TMP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for DESCRIPTION COMMAND...: polls COMMAND until it succeeds, at most
# wait_seconds and not past total_deadline.
wait_for() {
  local what=$1 deadline=$((SECONDS + wait_seconds))
  shift
  [ "$deadline" -le "$total_deadline" ] || deadline=$total_deadline
  until "$@"; do
    if [ $SECONDS -ge $deadline ]; then
      echo "timed out after $((SECONDS - started)) s waiting for $what"
      return 1
    fi
    sleep 1
  done
}

# --- Slurm: one node, localhost, two CPUs (deploy/slurm/local_cluster.sh) -------
slurm_cluster_start "$tmp" 2 >"$tmp/log/up.txt" 2>&1 || abort "$(cat "$tmp/log/up.txt")"
pass "$(cat "$tmp/log/up.txt") after $((SECONDS - started)) s"

# --- the dumps, their manifest and the reference scan -----------------------
manifest="$tmp/manifest.txt"
: >"$manifest"
for i in $(seq 0 7); do
  cp "$sample/docker-basic-sample.lime.zst" "$tmp/dumps/host-$i.lime.zst"
  echo "$tmp/dumps/host-$i.lime.zst" >>"$manifest"
done
# One symbols directory (SYMBOLS): drydock picks each dump's ISF by its banner.
mkdir -p "$tmp/symbols"
ln -s "$sample/docker-basic-sample.json.xz" "$tmp/symbols/"
shared=${DRYDOCK_SHARED_DIR:-}
for real in docker-basic/memory.lime.zst docker-incident-6.12/memory.elf.zst; do
  if [ -z "$shared" ] || [ ! -f "$shared/dumps/$real" ]; then continue; fi
  echo "$shared/dumps/$real" >>"$manifest"
  ln -s "$(dirname "$shared/dumps/$real")"/*.json.xz "$tmp/symbols/"
done
dump_count=$(wc -l <"$manifest")
echo "manifest: $dump_count dumps"
# The jobs inherit this environment (sbatch --export=ALL): a symbol cache of
# the test's own, shared by the tasks as a shared home directory would be.
export XDG_CACHE_HOME="$tmp/cache"

"$drydock" scan --format json --manifest "$manifest" --symbols "$tmp/symbols" -o "$tmp/one.json" 2>"$tmp/log/one.log"
check "one-machine scan of the manifest" [ "$(jq '.dumps | length' "$tmp/one.json")" = "$dump_count" ]

# Which dumps shard K holds, as drydock splits them.
for k in $(seq 0 $((shards - 1))); do
  "$drydock" scan --format jsonl --manifest "$manifest" --shard "$k/$shards" --symbols "$tmp/symbols" -o "$tmp/shard-$k.jsonl" \
    2>>"$tmp/log/one.log"
  jq -r '.dump.path' "$tmp/shard-$k.jsonl" | sort >"$tmp/shard-$k.txt"
done
check "every manifest entry is in exactly one of $shards shards" \
  diff <(sort "$tmp"/shard-*.txt) <(sort "$manifest")

# --- helpers -------------------------------------------------------------
# submit DRYDOCK OUT_DIR ARRAY [VAR=VALUE...]: the job id. The settings go in
# the environment, which sbatch's default --export=ALL hands to the tasks.
submit() {
  local binary=$1 out=$2 array=$3
  shift 3
  env DRYDOCK="$binary" MANIFEST="$manifest" OUT_DIR="$out" SYMBOLS="$tmp/symbols" "$@" \
    sbatch --parsable --array="$array" --output="$tmp/out/%A_%a.out" "$sbatch_script"
}
job_gone() { [ -z "$(squeue -h -j "$1" -o %i 2>/dev/null)" ]; }
# The state of each task of array job $1, "INDEX STATE" a line.
task_states() {
  scontrol -o show job "$1" | sed -n 's/.*ArrayTaskId=\([0-9]*\) .*JobState=\([A-Z_]*\) .*/\1 \2/p' | sort -n
}
all_completed() {  # JOB COUNT
  [ "$(task_states "$1" | grep -c ' COMPLETED$')" = "$2" ]
}
# The merge without each dump's memory share, keys sorted.
normalize() { jq -S 'del(.dumps[].dump.memory)' "$1"; }
same_as_one_machine() { diff <(normalize "$tmp/one.json") <(normalize "$1") >"$tmp/diff.txt"; }
one_entry_per_path() {
  diff <(jq -r '.dumps[].dump.path' "$1" | sort) <(sort "$manifest")
}
result_files() { find "$1" -maxdepth 1 -name '*.json' | wc -l; }

# --- 1: the whole array ------------------------------------------------------
t0=$SECONDS
job=$(submit "$drydock" "$tmp/results-1" "0-$((shards - 1))") || abort "sbatch failed"
wait_for "array job $job" job_gone "$job" || abort "array job $job did not finish"
echo "array of $shards tasks over $dump_count dumps: $((SECONDS - t0)) s from submission to the last task's end"
check "all $shards array tasks COMPLETED" all_completed "$job" "$shards"
check "one result file per dump" [ "$(result_files "$tmp/results-1")" = "$dump_count" ]
"$drydock" report merge "$tmp/results-1" --manifest "$manifest" --strict -o "$tmp/merged-1.json" 2>"$tmp/log/merge-1.log"
check "report merge --strict exits 0" [ $? = 0 ]
check "the merge equals the one-machine scan but for dump.memory" same_as_one_machine "$tmp/merged-1.json"
check "the merge has one entry per manifest path" one_entry_per_path "$tmp/merged-1.json"

# --- 2: one task cancelled while it runs, then resubmitted alone ----------------
# The shard with the most dumps is the one cancelled.
victim=$(for k in $(seq 0 $((shards - 1))); do echo "$(wc -l <"$tmp/shard-$k.txt") $k"; done | sort -rn | head -1 | cut -d' ' -f2)
echo "cancelling task $victim ($(wc -l <"$tmp/shard-$victim.txt") dumps)"
# The wrapper holds that task before drydock starts, so none of its shard's
# dumps has a result when it is cancelled. (A scan killed mid-shard keeps the
# results it finished: tests/integration/shard_test.cpp.)
cat >"$tmp/held-drydock" <<EOF
#!/usr/bin/env bash
if [ "\$SLURM_ARRAY_TASK_ID" = "$victim" ]; then
  touch "$tmp/held-\$SLURM_ARRAY_JOB_ID"
  sleep 600
fi
exec "$drydock" "\$@"
EOF
chmod +x "$tmp/held-drydock"
out2="$tmp/results-2"
job=$(submit "$tmp/held-drydock" "$out2" "0-$((shards - 1))") || abort "sbatch failed"
others_done_victim_running() {
  [ -e "$tmp/held-$job" ] &&
    [ "$(task_states "$job" | grep -c ' COMPLETED$')" = $((shards - 1)) ] &&
    task_states "$job" | grep -qx "$victim RUNNING"
}
wait_for "the other tasks to finish and task $victim to run" others_done_victim_running ||
  abort "job $job: tasks $(task_states "$job" | tr '\n' ' ')"
scancel "${job}_${victim}"
wait_for "array job $job to end" job_gone "$job" || abort "task ${job}_${victim} was not cancelled"
check "task $victim CANCELLED, the others COMPLETED" \
  [ "$(task_states "$job" | grep -c ' COMPLETED$') $(task_states "$job" | grep -c "^$victim CANCELLED$")" = "$((shards - 1)) 1" ]
missing=$(wc -l <"$tmp/shard-$victim.txt")
check "no result for the cancelled shard's $missing dump(s)" \
  [ "$(result_files "$out2")" = $((dump_count - missing)) ]
"$drydock" report merge "$out2" --manifest "$manifest" --strict -o "$tmp/merged-2.json" 2>"$tmp/log/merge-2.log"
check "report merge --strict exits 2 with a shard missing" [ $? = 2 ]
check "the merge names exactly the cancelled shard's dumps as without a result" \
  diff <(jq -r '.dumps[] | select(any(.errors[]?; test("no result in"))) | .dump.path' "$tmp/merged-2.json" | sort) \
  "$tmp/shard-$victim.txt"
check "merge's stderr names them too" \
  diff <(sed -n 's/^drydock: \(.*\): no result$/\1/p' "$tmp/log/merge-2.log" | sort) "$tmp/shard-$victim.txt"

before=$(find "$out2" -maxdepth 1 -name '*.json' -printf '%f %T@\n' | sort)
job=$(submit "$drydock" "$out2" "$victim" "SHARD_COUNT=$shards") || abort "sbatch failed"
wait_for "resubmitted task ${job}_$victim" job_gone "$job" || abort "resubmitted task did not finish"
check "the resubmitted task COMPLETED" all_completed "$job" 1
check "the resubmitted task rescanned no other shard's dump" \
  diff <(echo "$before") <(find "$out2" -maxdepth 1 -name '*.json' -printf '%f %T@\n' | sort | grep -F -f <(echo "$before" | cut -d' ' -f1))
check "one result file per dump after the resubmission" [ "$(result_files "$out2")" = "$dump_count" ]
"$drydock" report merge "$out2" --manifest "$manifest" --strict -o "$tmp/merged-3.json" 2>"$tmp/log/merge-3.log"
check "report merge --strict exits 0 after the resubmission" [ $? = 0 ]
check "the merge equals the one-machine scan but for dump.memory" same_as_one_machine "$tmp/merged-3.json"
check "the merge has one entry per manifest path, none lost or duplicated" one_entry_per_path "$tmp/merged-3.json"

[ "$failed" -eq 0 ] || { [ -s "$tmp/diff.txt" ] && head -40 "$tmp/diff.txt"; show_logs; }
finish
