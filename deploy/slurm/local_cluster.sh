# shellcheck shell=bash
# A throw-away single-node Slurm on this machine from Debian's packages
# (munge, slurmctld, slurmd, slurm-client): a munged on a socket of its own,
# slurmctld and slurmd on free ports of 127.0.0.1, configured under one
# directory, no systemd, no cgroups. Sourced by tests/deploy/slurm_test.sh and
# bench/deploy_throughput.sh; bash only; needs root (slurmd starts jobs as
# their user).
#
#   slurm_cluster_start DIR [CPUS]  state, logs (DIR/log) and slurm.conf under DIR
#                                   (keep DIR short: munged's socket path must fit
#                                   in sun_path); exports SLURM_CONF; false, with
#                                   why on stderr, if the node does not come up
#                                   within 120 s
#   slurm_cluster_stop              cancels this user's jobs, stops the daemons (bounded)

SLURM_CLUSTER_PIDS=()  # daemons, stopped in reverse order

# A free TCP port on 127.0.0.1 (none listening on it now).
slurm_cluster_free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 40000))
    if ! grep -qi ":$(printf %04X "$port") " /proc/net/tcp /proc/net/tcp6 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

slurm_cluster_wait() {  # SECONDS COMMAND...: polls COMMAND until it succeeds
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 1
  done
}

# shellcheck disable=SC2317  # called through slurm_cluster_wait
slurm_cluster_node_idle() { [ "$(sinfo -h -n localhost -o %T 2>/dev/null)" = idle ]; }
# shellcheck disable=SC2317
slurm_cluster_no_jobs() { [ -z "$(squeue -h -o %i 2>/dev/null)" ]; }

slurm_cluster_start() {
  local dir=$1 cpus=${2:-2}
  mkdir -p "$dir"/{state,spool,log,run}
  # munge: a fresh key and a daemon on a socket of our own. --force: munged
  # refuses a socket directory that others can write to (/tmp).
  dd if=/dev/urandom of="$dir/munge.key" bs=1024 count=1 status=none
  chmod 600 "$dir/munge.key"
  local socket="$dir/munge.sock"
  munged --foreground --force --socket="$socket" --key-file="$dir/munge.key" \
    --log-file="$dir/log/munged.log" --pid-file="$dir/run/munged.pid" --seed-file="$dir/run/munged.seed" \
    >>"$dir/log/munged.log" 2>&1 &
  SLURM_CLUSTER_PIDS+=($!)
  slurm_cluster_wait 60 test -S "$socket" || { echo "munged did not start" >&2; return 1; }

  local ctld_port slurmd_port
  ctld_port=$(slurm_cluster_free_port) || { echo "no free port on 127.0.0.1" >&2; return 1; }
  slurmd_port=$(slurm_cluster_free_port) || { echo "no free port on 127.0.0.1" >&2; return 1; }
  [ "$ctld_port" != "$slurmd_port" ] || slurmd_port=$((ctld_port + 1))
  export SLURM_CONF="$dir/slurm.conf"
  cat >"$SLURM_CONF" <<CONF
ClusterName=drydocktest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
# No cgroups here: processes are tracked through /proc, tasks are not bound.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
# Keep finished jobs visible to scontrol for the whole run.
MinJobAge=3600
KillWait=5
SlurmctldDebug=info
SlurmdDebug=info
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
  slurmctld -D -f "$SLURM_CONF" >>"$dir/log/slurmctld.stderr.log" 2>&1 &
  SLURM_CLUSTER_PIDS+=($!)
  # -N: the node is "localhost" whatever the host's name.
  slurmd -D -f "$SLURM_CONF" -N localhost >>"$dir/log/slurmd.stderr.log" 2>&1 &
  SLURM_CLUSTER_PIDS+=($!)
  slurm_cluster_wait 120 slurm_cluster_node_idle ||
    { echo "slurmd did not register with slurmctld (see $dir/log)" >&2; return 1; }
  echo "single-node Slurm up (slurmctld :$ctld_port, slurmd :$slurmd_port)"
}

slurm_cluster_stop() {
  if [ -n "${SLURM_CONF:-}" ] && [ -f "$SLURM_CONF" ] && [ "${#SLURM_CLUSTER_PIDS[@]}" -gt 1 ]; then
    scancel --quiet --full --user "$(id -un)" 2>/dev/null || true
    slurm_cluster_wait 30 slurm_cluster_no_jobs || true
  fi
  local i pid
  for ((i = ${#SLURM_CLUSTER_PIDS[@]} - 1; i >= 0; i--)); do
    pid=${SLURM_CLUSTER_PIDS[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true  # true: callers may run under set -e
    wait "$pid" 2>/dev/null || true
  done
  SLURM_CLUSTER_PIDS=()
}
