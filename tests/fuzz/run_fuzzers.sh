#!/bin/sh
# Builds every libFuzzer target with clang (ASan + UBSan) and runs each for a
# given time, one after the other, one job each (in-process: libFuzzer's
# -jobs=1 would fork a worker and send its output to fuzz-0.log).
#
#   tests/fuzz/run_fuzzers.sh SECONDS [TARGET...]
#
# SECONDS 0 only builds (libFuzzer would read -max_total_time=0 as "forever").
# Targets: dump_layout decompress isf kernel_walkers kallsyms btf parse_rules (default: all).
# Seeds are read from tests/fuzz/<target>/ and tests/fuzz/regressions/<target>/
# (inputs that once crashed or hung it; never written); new inputs go to
# build-fuzz/<target>/corpus, crashes, leaks and hangs to
# build-fuzz/<target>/artifacts/, the log to build-fuzz/<target>/fuzz.log.
# parse_rules is built and run by tests/fuzz/run_parser_fuzz.sh (its output
# lies under build-fuzz-parser/).
#
# Builds are incremental: product sources are compiled once into
# build-fuzz/obj/ and archived in build-fuzz/libdrydock_fuzz.a, and a source
# is recompiled only when it, or a header, is newer than its object.
# Environment: CXX (default clang++-14), NICE (default 10).
#
# Prints one summary line per target: "target seconds executions crashes"
# (seconds: as run, shorter than asked when a target stops at its first crash;
# crashes: crash-, leak-, timeout- and oom- artifacts written by this run).
# Exits 1 if any target found something.
set -eu
if [ $# -lt 1 ]; then
  echo "usage: $0 SECONDS [TARGET...]" >&2
  exit 2
fi
seconds=$1
shift
all_targets="dump_layout decompress isf kernel_walkers kallsyms btf parse_rules"
targets=${*:-$all_targets}
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/build-fuzz"
cxx=${CXX:-clang++-14}
nice_level=${NICE:-10}
cflags="-std=c++20 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -I$root -I$root/tests"
ldflags="-fsanitize=fuzzer,address,undefined"
libs="$(pkg-config --libs libzstd liblzma zlib) -lsimdjson -lfmt -lcrypto -ltbb -lpthread"
product_dirs="engine/core engine/dump engine/paging engine/kernel engine/model engine/containers symbols"
mkdir -p "$out/obj"

# Compiles $1 (a path under $root) to an object under $2 when out of date;
# prints the object's path.
compile() {
  obj="$2/$(echo "$1" | sed 's|/|_|g').o"
  if [ ! -f "$obj" ] || [ "$root/$1" -nt "$obj" ] ||
     [ -n "$(cd "$root" && find $product_dirs tests/fuzz tests/support -name '*.hpp' -newer "$obj" 2>/dev/null | head -1)" ]; then
    echo "compiling $1" >&2
    nice -n "$nice_level" $cxx $cflags -c "$root/$1" -o "$obj"
  fi
  echo "$obj"
}

build_product() {
  objects=""
  for src in $(cd "$root" && ls $(for d in $product_dirs; do echo "$d/*.cpp"; done)); do
    objects="$objects $(compile "$src" "$out/obj")"
  done
  lib="$out/libdrydock_fuzz.a"
  stale=0
  for o in $objects; do [ "$o" -nt "$lib" ] && stale=1; done
  if [ ! -f "$lib" ] || [ $stale = 1 ]; then
    rm -f "$lib"
    ar rcs "$lib" $objects
  fi
}

# The libFuzzer options of each target beyond the common ones.
target_options() {
  case $1 in
    dump_layout) echo "-max_len=65536" ;;
    # Small inputs keep decompression bombs small (zstd reaches ~1000:1).
    # A zstd frame may ask for a 2 GiB window (drydock accepts --long=31
    # frames): one malloc above the default limit (rss_limit_mb) that stays
    # virtual until that much data is decompressed; resident memory is still
    # held to 2 GB by -rss_limit_mb.
    decompress) echo "-max_len=8192 -malloc_limit_mb=4096" ;;
    # The trimmed sample ISF (236 KB) is one of the seeds.
    isf) echo "-max_len=262144 -dict=$root/tests/fuzz/isf.dict" ;;
    # Twelve bytes per mutation of the sample image, up to 64 of them. At a
    # few dozen inputs a second libFuzzer's slow growth of the input length
    # would keep them at two or three mutations: let them be long at once.
    kernel_walkers) echo "-max_len=768 -len_control=0" ;;
    # The seeds: the symbols tests' small kernel and a 14 KB cut of Debian 6.1's.
    btf) echo "-max_len=32768" ;;
  esac
}

# "executions crashes" from a libFuzzer log and its artifact directory.
summarize() {
  log=$1
  artifacts=$2
  stamp=$3
  execs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
  if [ -z "$execs" ]; then
    execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$log" | tail -1)
  fi
  found=$(find "$artifacts" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) \
            -newer "$stamp" 2>/dev/null | wc -l)
  echo "${execs:-0} $found"
}

build_product
summary=""
failed=0
for target in $targets; do
  if [ "$target" = parse_rules ]; then
    [ "$seconds" = 0 ] && continue  # run_parser_fuzz.sh builds and runs in one go
    dir="$root/build-fuzz-parser"
    mkdir -p "$dir"
    touch "$dir/.stamp"
    started=$(date +%s)
    log="$dir/fuzz.log"
    nice -n "$nice_level" sh "$root/tests/fuzz/run_parser_fuzz.sh" "$seconds" 1 >"$log" 2>&1 || true
    # That script runs libFuzzer with -jobs=1, whose worker logs to fuzz-0.log.
    [ "$dir/fuzz-0.log" -nt "$dir/.stamp" ] && log="$dir/fuzz-0.log"
    result=$(summarize "$log" "$dir" "$dir/.stamp")
  else
    src="tests/fuzz/${target}_fuzzer.cpp"
    if [ ! -f "$root/$src" ]; then
      echo "unknown target: $target (targets: $all_targets)" >&2
      exit 2
    fi
    dir="$out/$target"
    mkdir -p "$dir/obj" "$dir/corpus" "$dir/artifacts" "$dir/tmp"
    obj=$(compile "$src" "$dir/obj")
    binary="$dir/${target}_fuzzer"
    if [ ! -f "$binary" ] || [ "$obj" -nt "$binary" ] || [ "$out/libdrydock_fuzz.a" -nt "$binary" ]; then
      echo "linking $binary" >&2
      nice -n "$nice_level" $cxx $ldflags "$obj" "$out/libdrydock_fuzz.a" $libs -o "$binary"
    fi
    [ "$seconds" = 0 ] && continue
    # Inputs that once crashed or hung a target are replayed first, as seeds.
    regressions=""
    [ -d "$root/tests/fuzz/regressions/$target" ] && regressions="$root/tests/fuzz/regressions/$target"
    touch "$dir/.stamp"
    started=$(date +%s)
    log="$dir/fuzz.log"
    echo "running $target for ${seconds}s (log: $log)" >&2
    # The fuzzers find the repository (sample dump, ISF) through DRYDOCK_ROOT
    # and put temporary files under DRYDOCK_FUZZ_TMP.
    (cd "$dir" && DRYDOCK_ROOT="$root" DRYDOCK_FUZZ_TMP="$dir/tmp" nice -n "$nice_level" "$binary" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$dir/artifacts/" $(target_options "$target") corpus "$root/tests/fuzz/$target" \
        $regressions) \
        >"$log" 2>&1 || true
    result=$(summarize "$log" "$dir/artifacts" "$dir/.stamp")
  fi
  line="$target $(($(date +%s) - started)) $result"
  echo "$line"
  summary="$summary$line
"
  [ "${result#* }" = 0 ] || failed=1
done
echo "--- target seconds executions crashes"
printf '%s' "$summary"
exit $failed
