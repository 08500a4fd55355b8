#!/usr/bin/env bash
# Sets up, builds and runs every test through CTest: the Release build, then
# (unless DRYDOCK_SKIP_ASAN=1) the same suite built with AddressSanitizer and
# UndefinedBehaviorSanitizer, there with the real-dump tests on docker-basic
# alone. Needs ../shared (the real dumps) beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
jobs=$(nproc)

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

if [ "${DRYDOCK_SKIP_ASAN:-0}" != 1 ]; then
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDRYDOCK_SANITIZE=ON \
        -DDRYDOCK_BUILD_BENCH=OFF -DDRYDOCK_TEST_DATASETS=docker-basic >/dev/null
  ninja -C build-asan -j"$jobs"
  # ASan's redzones make each stack frame many times larger: the rule checker's
  # 200-level nesting limit (sized for normal builds, about 0.5 MB of stack
  # there) needs more than the default 8 MB under ASan.
  ulimit -s 65536 2>/dev/null || ulimit -s unlimited 2>/dev/null || true
  # Not the deploy tests (label deploy): they test the Celery glue, not drydock's memory safety.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE deploy
fi
