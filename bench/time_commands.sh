#!/usr/bin/env bash
# Times whole drydock commands on the real docker-basic dump: wall time and
# peak RSS (GNU time) for the uncompressed LiME and the zstd dump, with a
# cold and a warm symbol cache, and a bulk scan of N copies.
#   bench/time_commands.sh [BUILD_DIR] [N]
# Needs ../shared beside the checkout; writes scratch files to $TMPDIR.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
copies=${2:-20}
drydock="$build/drydock"
dumps="$root/../shared/dumps/docker-basic"
isf="$dumps/6.1.0-56-amd64_6.1.192-2.json.xz"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/drydock-bench.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cache="$scratch/cache"

if [ ! -x "$drydock" ]; then echo "time_commands: $drydock not built" >&2; exit 2; fi
command -v /usr/bin/time >/dev/null || { echo "time_commands: GNU time (/usr/bin/time) is needed" >&2; exit 2; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
zstd -d -q -f "$dumps/memory.lime.zst" -o "$scratch/memory.lime"

measure() {  # label, command...
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$scratch/time" "$@" >/dev/null 2>"$scratch/err" || {
    echo "$label: failed: $(head -3 "$scratch/err")"
    return
  }
  read -r wall rss <"$scratch/time"
  printf '%-52s %8.2f s %8.0f MB\n' "$label" "$wall" "$((rss / 1024))"
}

printf '%-52s %10s %11s\n' "command" "wall" "peak RSS"
rm -rf "$cache"
measure "scan LiME, cold symbol cache (ISF .json.xz)" "$drydock" scan -q --cache-dir "$cache" --symbols "$isf" "$scratch/memory.lime"
measure "scan LiME, warm symbol cache" "$drydock" scan -q --cache-dir "$cache" --symbols "$isf" "$scratch/memory.lime"
measure "scan LiME, no symbol cache" "$drydock" scan -q --no-symbol-cache --symbols "$isf" "$scratch/memory.lime"
measure "scan zstd dump, warm symbol cache" "$drydock" scan -q --cache-dir "$cache" --symbols "$isf" "$dumps/memory.lime.zst"
measure "zstd -d of the same file to /dev/null" zstd -d -q -c "$dumps/memory.lime.zst"
measure "info LiME, warm symbol cache" "$drydock" info --cache-dir "$cache" --symbols "$isf" "$scratch/memory.lime"
# No --symbols: the tables built from the dump's own BTF and kallsyms, with
# no cache (built every run), then cached by the kernel's build id, next to
# the warm ISF cache above.
measure "info LiME, tables from the dump, no cache" "$drydock" info --no-symbol-cache --symbols dump "$scratch/memory.lime"
measure "info LiME, warm ISF cache" "$drydock" info --cache-dir "$cache" --symbols "$isf" "$scratch/memory.lime"
measure "scan LiME, tables from the dump, cold cache" "$drydock" scan -q --cache-dir "$cache" --symbols dump "$scratch/memory.lime"
for i in 1 2 3; do
  measure "scan LiME, tables from the dump, warm cache" "$drydock" scan -q --cache-dir "$cache" --symbols dump "$scratch/memory.lime"
  measure "scan LiME, warm ISF cache" "$drydock" scan -q --cache-dir "$cache" --symbols "$isf" "$scratch/memory.lime"
done
# --symbols DIR: the first run scans the dump for its banner and reads the
# candidates; later runs probe for the banners the cache directory remembers.
measure "scan LiME, --symbols DIR, first run" "$drydock" scan -q --cache-dir "$cache" --symbols "$dumps" "$scratch/memory.lime"
measure "scan LiME, --symbols DIR, banners remembered" "$drydock" scan -q --cache-dir "$cache" --symbols "$dumps" "$scratch/memory.lime"

# A dump padded to twice its size (an empty range appended): cost should not grow.
python3 - "$scratch/memory.lime" "$scratch/padded.lime" <<'PY'
import os, struct, sys
src, dst = sys.argv[1], sys.argv[2]
size = os.path.getsize(src)
with open(src, 'rb') as f, open(dst, 'wb') as g:
    while True:
        block = f.read(1 << 24)
        if not block:
            break
        g.write(block)
    start = 0x100000000
    g.write(struct.pack('<IIQQQ', 0x4C694D45, 1, start, start + size - 1, 0))
    g.truncate(g.tell() + size)   # sparse zeros
PY
measure "scan LiME padded to twice the size, warm cache" "$drydock" scan -q --cache-dir "$cache" --symbols "$isf" "$scratch/padded.lime"

mkdir -p "$scratch/bulk"
for i in $(seq 1 "$copies"); do ln "$scratch/memory.lime" "$scratch/bulk/dump-$i.lime"; done
start=$(date +%s.%N)
measure "bulk: $copies copies, warm cache, -j 2" "$drydock" scan -q -j 2 --format jsonl --cache-dir "$cache" --symbols "$isf" "$scratch/bulk"
end=$(date +%s.%N)
awk -v n="$copies" -v s="$start" -v e="$end" 'BEGIN { printf "bulk rate: %.1f dumps/s\n", n / (e - s) }'
start=$(date +%s.%N)
measure "bulk: $copies copies, --symbols DIR remembered, -j 2" "$drydock" scan -q -j 2 --format jsonl --cache-dir "$cache" --symbols "$dumps" "$scratch/bulk"
end=$(date +%s.%N)
awk -v n="$copies" -v s="$start" -v e="$end" 'BEGIN { printf "bulk rate (--symbols DIR): %.1f dumps/s\n", n / (e - s) }'
