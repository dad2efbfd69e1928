#!/usr/bin/env bash
# Builds tcpkali (a C load generator, github.com/satori-com/tcpkali) from source into target/tcpkali/, as a second
# reference beside the C loops of docs/benchmarks.md. Never committed, never a CI dependency: run by hand.
#
#   bench/build-tcpkali.sh SOURCE
#
# SOURCE: a tcpkali source tree (with configure.ac), or a git directory of its repository (a clone's .git, or a
# bare repository: its HEAD is exported with `git archive`). Get one with
#   git clone https://github.com/satori-com/tcpkali /some/where/tcpkali
# The tree is copied to target/tcpkali/src (the SOURCE is never modified), configured and built there; the
# binary is target/tcpkali/bin/tcpkali, and its version is printed last.
#
# Build dependencies (tcpkali's README): autoconf, automake, libtool, bison, flex, a C compiler, make; ncurses is
# optional. When some are missing: as root, not under CI (CI unset), and without TCPKALI_NO_INSTALL=1, the script
# says which and installs them with apt-get (Debian/Ubuntu: autoconf automake libtool bison flex gcc g++ make
# libncurses-dev); otherwise it prints that command and exits 3.
#
# Exit: 0 built, 2 usage (no or wrong SOURCE), 3 missing dependencies or a failed build (its log is printed).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$here/target/tcpkali"

usage() {
  sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
[ $# -eq 1 ] || usage
src="$1"

kind=""
if [ -f "$src/configure.ac" ] && [ -d "$src/src" ]; then
  kind=tree
elif [ -d "$src" ] && command -v git >/dev/null 2>&1 && git --git-dir="$src" rev-parse --verify -q HEAD >/dev/null 2>&1 \
     && git --git-dir="$src" cat-file -e HEAD:configure.ac 2>/dev/null; then
  kind=git
elif [ -d "$src" ] && [ -f "$src/HEAD" ] && ! command -v git >/dev/null 2>&1; then
  echo "build-tcpkali: $src looks like a git directory, and git is not installed (apt-get install git)" >&2
  exit 3
else
  echo "build-tcpkali: $src is neither a tcpkali source tree (configure.ac and src/) nor a git directory of one" >&2
  usage
fi

# ---- dependencies --------------------------------------------------------------------------------------
declare -A pkg_of=([autoreconf]=autoconf [automake]=automake [libtoolize]=libtool [bison]=bison [flex]=flex
                   [gcc]=gcc [make]=make)
missing=()
for tool in autoreconf automake libtoolize bison flex gcc make; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${pkg_of[$tool]}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  cmd="apt-get install -y ${missing[*]} libncurses-dev"
  if [ "$(id -u)" = 0 ] && [ -z "${CI:-}" ] && [ "${TCPKALI_NO_INSTALL:-0}" != 1 ] && command -v apt-get >/dev/null 2>&1; then
    echo "build-tcpkali: missing build tools: ${missing[*]}; installing them now: $cmd" >&2
    echo "build-tcpkali: (TCPKALI_NO_INSTALL=1 stops this; the packages stay installed afterwards)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${missing[*]} libncurses-dev >&2 \
      || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${missing[*]} libncurses-dev >&2; } \
      || { echo "build-tcpkali: apt-get install failed" >&2; exit 3; }
  else
    echo "build-tcpkali: missing build tools: ${missing[*]}. Install them first, e.g. (Debian/Ubuntu, as root):" >&2
    echo "    $cmd" >&2
    exit 3
  fi
fi

# ---- the source: a tree, or a git directory ------------------------------------------------------------
rm -rf "$dest/src"
mkdir -p "$dest/src" "$dest/bin"
if [ "$kind" = tree ]; then
  echo "build-tcpkali: copying the source tree $src"
  (cd "$src" && tar --exclude=.git -cf - .) | (cd "$dest/src" && tar -xf -)
  rev="$(git -C "$src" rev-parse HEAD 2>/dev/null || echo "unknown (not a git checkout)")"
else
  echo "build-tcpkali: exporting HEAD of the git directory $src"
  git --git-dir="$src" archive --format=tar HEAD | (cd "$dest/src" && tar -xf -)
  rev="$(git --git-dir="$src" rev-parse HEAD)"
fi

# glibc 2.32 removed <sys/sysctl.h>; tcpkali includes it unconditionally but calls sysctlbyname() only where
# configure found it (HAVE_SYSCTLBYNAME: BSD, macOS). On Linux the include is dropped from the copy.
if [ "$(uname -s)" = Linux ] && [ ! -e /usr/include/sys/sysctl.h ]; then
  sed -i 's|^#include <sys/sysctl.h>|/* <sys/sysctl.h>: not in glibc 2.32+ (bench/build-tcpkali.sh) */|' "$dest/src/src/tcpkali_syslimits.c"
fi

# ---- build ---------------------------------------------------------------------------------------------
log="$dest/build.log"
echo "build-tcpkali: building commit $rev in $dest/src (log: $log)"
# -fcommon: tcpkali (2018) defines some globals in headers; GCC 10+ defaults to -fno-common and then refuses to link
if ! (cd "$dest/src" \
      && { test -f configure || autoreconf -iv; } \
      && ./configure CFLAGS="${CFLAGS:--O2 -fcommon}" \
      && make -j"$(nproc)") >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "build-tcpkali: the build failed (full log: $log)" >&2
  exit 3
fi
cp "$dest/src/src/tcpkali" "$dest/bin/tcpkali"
echo "$rev" >"$dest/bin/tcpkali.commit"
echo "build-tcpkali: built $dest/bin/tcpkali: $("$dest/bin/tcpkali" --version 2>&1 | head -n 1) (commit $rev)"
