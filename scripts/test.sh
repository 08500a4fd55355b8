#!/usr/bin/env bash
# Sets up, builds and runs every test through CTest: the Release build, then
# (unless DRYDOCK_SKIP_ASAN=1) the same suite built with AddressSanitizer and
# UndefinedBehaviorSanitizer. Needs ../shared (the real dumps) beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
jobs=$(nproc)

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

if [ "${DRYDOCK_SKIP_ASAN:-0}" != 1 ]; then
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDRYDOCK_SANITIZE=ON \
        -DDRYDOCK_BUILD_BENCH=OFF >/dev/null
  ninja -C build-asan -j"$jobs"
  # The sanitizer build shares the decompressed real dump with the release build.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs"
fi
