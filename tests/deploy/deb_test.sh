#!/usr/bin/env bash
# The Debian package: `cpack -G DEB` from the build tree, its declared
# dependencies and files, then installed with `apt-get install ./drydock_*.deb`
# (as root, as CI runs) and run from /usr/bin: --version, a scan of the
# repository sample equal to the build tree's, `man -w` for every command's
# page, the bash completion, then removed again.
#
#   tests/deploy/deb_test.sh BUILD_DIR
#
# Not root (or DRYDOCK_DEB_TEST_UNPACK=1): the package is unpacked with
# `dpkg-deb -x` into a temporary root instead, and the same checks run there
# (the test says so).
set -uo pipefail

build=$(realpath "${1:?usage: deb_test.sh BUILD_DIR}")
root=$(cd "$(dirname "$0")/../.." && pwd)
sample="$root/tests/data/sample"
work=$(mktemp -d "${TMPDIR:-/tmp}/drydock-deb-test.XXXXXX")
installed=""
cleanup() {
  if [ -n "$installed" ]; then
    apt-get remove -y -qq -o DPkg::Lock::Timeout=600 drydock >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# check DESCRIPTION COMMAND...: "ok:" or "FAILED:" and the description; the
# failures are counted for the end.
problems=()
check() {
  if "${@:2}"; then echo "ok: $1"; else echo "FAILED: $1"; problems+=("$1"); fi
}

# 1. The package.
(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log"; echo "FAILED: cpack -G DEB"; exit 1; }
version=$("$build/drydock" --version | sed 's/^drydock //')
deb="$work/pkg/drydock_${version}_$(dpkg --print-architecture).deb"
[ -f "$deb" ] || { ls -l "$work/pkg"; echo "FAILED: no $deb"; exit 1; }
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"
dpkg-deb -I "$deb" >"$work/info"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$work/files"
depends=$(sed -n 's/^ Depends: //p' "$work/info")
echo "Depends: $depends"
for lib in libtbb libre2 libfmt libarchive libzstd libssl libc6 libstdc++; do
  check "Depends names $lib" grep -q "$lib" <<<"$depends"
done
check "ships /usr/bin/drydock" grep -qx /usr/bin/drydock "$work/files"
for f in "$root"/rules/*.rules; do
  check "ships the bundled rule file $(basename "$f")" grep -qx "/usr/share/drydock/rules/$(basename "$f")" "$work/files"
done
check "ships the bash completion" grep -qx /usr/share/bash-completion/completions/drydock "$work/files"
commands=$("$build/drydock" --help | sed -n '/^Subcommands:/,/^$/s/^  \([a-z][a-z-]*\)  .*/\1/p')
check "the binary lists its commands" test -n "$commands"
check "ships the man page drydock.1.gz" grep -qx /usr/share/man/man1/drydock.1.gz "$work/files"
while read -r command; do
  check "ships the man page drydock-$command.1.gz" grep -qx "/usr/share/man/man1/drydock-$command.1.gz" "$work/files"
done <<<"$commands"

# 2. Installed, or unpacked when this is not root.
if [ "$(id -u)" -eq 0 ] && [ "${DRYDOCK_DEB_TEST_UNPACK:-}" != 1 ] && command -v apt-get >/dev/null; then
  if dpkg -s drydock >/dev/null 2>&1; then
    echo "FAILED: a drydock package is already installed here; not replacing it"
    exit 1
  fi
  installed=yes
  apt_quiet() {  # apt-get's output only when it fails
    env DEBIAN_FRONTEND=noninteractive apt-get -y -qq -o DPkg::Lock::Timeout=600 "$@" >"$work/apt.log" 2>&1 ||
      { cat "$work/apt.log"; return 1; }
  }
  check "apt-get install ./$(basename "$deb")" apt_quiet install --no-install-recommends "$deb"
  prefix=""
  manpath=()
else
  echo "note: not root (or DRYDOCK_DEB_TEST_UNPACK=1), so the package is unpacked with dpkg-deb -x into a temporary root, not installed with apt-get"
  dpkg-deb -x "$deb" "$work/root"
  prefix="$work/root"
  manpath=(-M "$work/root/usr/share/man")
fi
bin="$prefix/usr/bin/drydock"
check "drydock --version prints $version" test "$("$bin" --version)" = "drydock $version"
symbols=(--symbols "$sample/docker-basic-sample.json.xz")
"$bin" scan "$sample/docker-basic-sample.lime.zst" "${symbols[@]}" --format json >"$work/installed.json" 2>"$work/installed.err"
check "the installed binary scans the sample (exit $?)" test -s "$work/installed.json"
"$build/drydock" scan "$sample/docker-basic-sample.lime.zst" "${symbols[@]}" --format json >"$work/build.json" 2>/dev/null
check "the installed binary's scan equals the build tree's" cmp -s "$work/installed.json" "$work/build.json"
check "the scan found containers" grep -q '"runtime": "docker"' "$work/installed.json"
"$bin" rules list --no-default-rules --rules "$prefix/usr/share/drydock/rules" >"$work/shipped-rules" 2>&1
"$bin" rules list >"$work/embedded-rules" 2>&1
check "the rules under /usr/share/drydock/rules are the ones compiled in" cmp -s "$work/shipped-rules" "$work/embedded-rules"
for page in drydock drydock-scan drydock-report; do
  check "man -w $page" sh -c "man ${manpath[*]} -w $page | grep -q '/usr/share/man/man1/$page.1.gz\$'"
done
check "the scan page documents --out-dir" \
  sh -c "MANWIDTH=100 man ${manpath[*]} drydock-scan 2>/dev/null | grep -q -- --out-dir"
check "the report page carries report merge" \
  sh -c "MANWIDTH=100 man ${manpath[*]} drydock-report 2>/dev/null | grep -q 'drydock report merge'"
if [ -f /usr/share/bash-completion/bash_completion ]; then
  completion=$(PATH="$prefix/usr/bin:$PATH" bash -c '
    source /usr/share/bash-completion/bash_completion
    source "$1"
    COMP_WORDS=(drydock sc); COMP_CWORD=1; COMP_LINE="drydock sc"; COMP_POINT=${#COMP_LINE}
    _drydock; echo "${COMPREPLY[*]}"
    COMP_WORDS=(drydock report merge --fo); COMP_CWORD=3; COMP_LINE="drydock report merge --fo"; COMP_POINT=${#COMP_LINE}
    _drydock; echo "${COMPREPLY[*]}"' _ "$prefix/usr/share/bash-completion/completions/drydock")
  check "completion: 'drydock sc' gives scan" grep -qx scan <<<"$(sed -n 1p <<<"$completion")"
  check "completion: 'drydock report merge --fo' gives --format" grep -qx -- --format <<<"$(sed -n 2p <<<"$completion")"
else
  echo "note: bash-completion is not installed; the completion script is only checked for syntax"
  check "the completion script parses" bash -n "$prefix/usr/share/bash-completion/completions/drydock"
fi

# 3. Removed again.
if [ -n "$installed" ]; then
  check "apt-get remove drydock" apt_quiet remove drydock
  installed=""
  check "/usr/bin/drydock is gone" test ! -e /usr/bin/drydock
fi

if ((${#problems[@]})); then
  echo "${#problems[@]} check(s) failed"
  exit 1
fi
echo "all checks passed"
