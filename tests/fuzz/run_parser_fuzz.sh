#!/bin/sh
# Builds the rule-language fuzzer with clang and runs it.
#   tests/fuzz/run_parser_fuzz.sh [SECONDS] [JOBS]
# The seed corpus (tests/fuzz/parser/) is only read; new inputs go to
# build-fuzz-parser/corpus, crashes to build-fuzz-parser/.
set -eu
seconds=${1:-60}
jobs=${2:-1}
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/build-fuzz-parser"
mkdir -p "$out/corpus" "$out/obj"
cxx=${CXX:-clang++-14}
flags="-std=c++20 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$root"
objects=""
for src in "$root"/parser/*.cpp "$root"/engine/rules/*.cpp "$root/tests/fuzz/parse_rules_fuzzer.cpp"; do
  obj="$out/obj/$(echo "$src" | sed "s|$root/||; s|/|_|g").o"
  if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$(find "$root/parser" "$root/engine/rules" "$root/engine/model" -name '*.hpp' -newer "$obj" 2>/dev/null | head -1)" ]; then
    echo "compiling $src"
    # The sanitizer-instrumented fuzzer main comes from -fsanitize=fuzzer at link time only.
    $cxx $flags -fsanitize=fuzzer-no-link -c "$src" -o "$obj"
  fi
  objects="$objects $obj"
done
$cxx $flags $objects -o "$out/parse_rules_fuzzer" $(pkg-config --libs re2) -ltbb -lpthread
cd "$out"
exec ./parse_rules_fuzzer -max_total_time="$seconds" -jobs="$jobs" -workers="$jobs" -timeout=10 -rss_limit_mb=2048 \
  -max_len=4096 -dict="$root/tests/fuzz/parser.dict" corpus "$root/tests/fuzz/parser"
