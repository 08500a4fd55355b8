# shellcheck shell=bash
# A throw-away Celery cluster on this machine: a Redis on 127.0.0.1 and a
# random free port, and drydock workers, each in its own process group so that
# one can be killed whole (SIGKILL to the group: the worker, its pool process
# and the drydock it runs) as a lost machine would be. Sourced by
# tests/deploy/celery_test.sh and throughput.sh; bash only.
#
#   cluster_init DIR           state under DIR; sets CLUSTER_PYTHON and CELERY_BROKER_URL
#   cluster_start_worker NAME  a worker (--concurrency 1) named NAME, log DIR/NAME.log;
#                              the environment it inherits reaches the drydock it runs
#   cluster_wait_ready NAME... until those workers take tasks (false after 60 s)
#   cluster_kill_worker NAME   SIGKILL to NAME's whole process group
#   cluster_stop_workers       every worker: TERM, KILL after 10 s
#   cluster_stop               every worker and the Redis, bounded (call it from a trap)

CLUSTER_DIR=""
CLUSTER_REDIS_PID=""
declare -A CLUSTER_WORKERS=()
CLUSTER_SOURCE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Debian's python3-celery installs for /usr/bin/python3, which a python3 on
# PATH (pyenv, a virtualenv) may not see.
cluster_find_python() {
  local p
  for p in /usr/bin/python3 python3; do
    if "$p" -c 'import celery, redis' 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  echo "local_cluster: no python3 with celery and redis (run scripts/setup.sh)" >&2
  return 1
}

cluster_init() {
  CLUSTER_DIR=$1
  CLUSTER_PYTHON=$(cluster_find_python) || return 1
  command -v redis-server >/dev/null || { echo "local_cluster: no redis-server (run scripts/setup.sh)" >&2; return 1; }
  mkdir -p "$CLUSTER_DIR/redis"
  local port
  port=$("$CLUSTER_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  redis-server --port "$port" --bind 127.0.0.1 --dir "$CLUSTER_DIR/redis" --daemonize no \
    --save "" --appendonly no >"$CLUSTER_DIR/redis.log" 2>&1 &
  CLUSTER_REDIS_PID=$!
  export CELERY_BROKER_URL="redis://127.0.0.1:$port/0"
  export CELERY_RESULT_BACKEND="redis://127.0.0.1:$port/1"
  local i
  for ((i = 0; i < 100; i++)); do
    if "$CLUSTER_PYTHON" -c "import redis, sys; redis.Redis(port=$port).ping()" 2>/dev/null; then
      return 0
    fi
    kill -0 "$CLUSTER_REDIS_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "local_cluster: redis-server did not start on port $port:" >&2
  cat "$CLUSTER_DIR/redis.log" >&2
  return 1
}

cluster_start_worker() {
  local name=$1
  # Not a process-group leader (no job control here), so setsid makes the
  # worker lead its own group and session without forking: $! is the group.
  PYTHONPATH="$CLUSTER_SOURCE_DIR${PYTHONPATH:+:$PYTHONPATH}" setsid "$CLUSTER_PYTHON" -m celery -A drydock_tasks \
    worker --concurrency 1 --pool prefork -n "$name@%h" --without-gossip --without-mingle --without-heartbeat \
    --loglevel INFO >"$CLUSTER_DIR/$name.log" 2>&1 </dev/null &
  CLUSTER_WORKERS[$name]=$!
}

cluster_wait_ready() {
  local name i
  for name in "$@"; do
    for ((i = 0; i < 600; i++)); do
      grep -q "$name@.* ready\." "$CLUSTER_DIR/$name.log" 2>/dev/null && break
      kill -0 "${CLUSTER_WORKERS[$name]}" 2>/dev/null || i=600
      sleep 0.1
    done
    if ((i >= 600)); then
      echo "local_cluster: worker $name did not start:" >&2
      tail -20 "$CLUSTER_DIR/$name.log" >&2
      return 1
    fi
  done
}

cluster_kill_worker() {
  kill -KILL -- "-${CLUSTER_WORKERS[$1]}" 2>/dev/null || true
  wait "${CLUSTER_WORKERS[$1]}" 2>/dev/null || true
  unset "CLUSTER_WORKERS[$1]"
}

# TERM to every group, KILL to what is left after 10 s.
cluster_stop_workers() {
  local name pid i alive
  for name in "${!CLUSTER_WORKERS[@]}"; do kill -TERM -- "-${CLUSTER_WORKERS[$name]}" 2>/dev/null || true; done
  for ((i = 0; i < 100; i++)); do
    alive=0
    # Zombies do not count (the group leader stays one until waited for).
    for pid in "${CLUSTER_WORKERS[@]}"; do ps -o stat= -s "$pid" | grep -qv '^Z' && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for pid in "${CLUSTER_WORKERS[@]}"; do
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  CLUSTER_WORKERS=()
}

cluster_stop() {
  local i
  cluster_stop_workers
  if [ -n "$CLUSTER_REDIS_PID" ]; then
    kill -TERM "$CLUSTER_REDIS_PID" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do kill -0 "$CLUSTER_REDIS_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$CLUSTER_REDIS_PID" 2>/dev/null || true
    wait "$CLUSTER_REDIS_PID" 2>/dev/null || true
    CLUSTER_REDIS_PID=""
  fi
  return 0
}
