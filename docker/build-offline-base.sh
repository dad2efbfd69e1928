#!/usr/bin/env bash
# Builds the JRE 17 base image conlimit/jre17-base:bookworm WITHOUT an image registry:
# debootstrap a minimal Debian bookworm (minbase + openjdk-17-jre-headless + iproute2 + procps) from the
# Debian mirror, strip the apt caches and `docker import` the root filesystem.
#
# Idempotent: does nothing when the image already exists (FORCE=1 rebuilds).
# Needs root (debootstrap), a running Docker daemon and debootstrap (installed with apt-get when missing).
#
# Environment:
#   IMAGE   image to build            (default conlimit/jre17-base:bookworm)
#   SUITE   Debian suite               (default bookworm)
#   MIRROR  Debian mirror              (default http://deb.debian.org/debian)
#   FORCE   1 = rebuild even if present
set -euo pipefail

IMAGE="${IMAGE:-conlimit/jre17-base:bookworm}"
SUITE="${SUITE:-bookworm}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
PACKAGES="openjdk-17-jre-headless,iproute2,procps"

say() { echo "build-offline-base: $*"; }
die() { echo "build-offline-base: ERROR: $*" >&2; exit 1; }
t0=$SECONDS
step_start=$SECONDS
step() { say "$1 done in $((SECONDS - step_start)) s"; step_start=$SECONDS; }

command -v docker >/dev/null || die "the docker command is not installed"
docker info >/dev/null 2>&1 || die "no Docker daemon answers (docker info failed); start dockerd first"

if [ "${FORCE:-0}" != 1 ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  say "$IMAGE already exists, nothing to do (FORCE=1 rebuilds)"
  exit 0
fi

[ "$(id -u)" = 0 ] || die "debootstrap needs root (running as $(id -un))"
if ! command -v debootstrap >/dev/null; then
  command -v apt-get >/dev/null || die "debootstrap is not installed and apt-get is not available"
  say "installing debootstrap with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null \
    || { DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null && \
         DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null; } \
    || die "apt-get install debootstrap failed"
  step "install debootstrap"
fi

rootfs="$(mktemp -d /var/tmp/conlimit-rootfs.XXXXXX)"
cleanup() {
  # debootstrap mounts /proc and /sys inside the root filesystem; an interrupted run can leave them mounted
  awk -v root="$rootfs/" 'index($2, root) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r umount -l || true
  rm -rf --one-file-system "$rootfs" "$rootfs.log"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

say "debootstrap --variant=minbase --include=$PACKAGES $SUITE $rootfs $MIRROR"
log="$rootfs.log"
if ! debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$rootfs" "$MIRROR" >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  [ -f "$rootfs/debootstrap/debootstrap.log" ] && tail -n 30 "$rootfs/debootstrap/debootstrap.log" >&2
  rm -f "$log"
  die "debootstrap failed (see above)"
fi
rm -f "$log"
step "debootstrap"

# The image needs none of this: downloaded .debs, package lists, docs, man pages, logs.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin \
       "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* \
       "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/* "$rootfs"/debootstrap
[ -x "$rootfs/usr/bin/java" ] || die "java is missing from the root filesystem"
java_bin="$(chroot "$rootfs" readlink -f /usr/bin/java)"   # /usr/lib/jvm/java-17-openjdk-<arch>/bin/java
java_home="${java_bin%/bin/java}"
step "clean rootfs ($(du -sh --apparent-size "$rootfs" | cut -f1))"

tar --numeric-owner -C "$rootfs" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV JAVA_HOME=$java_home" \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["/bin/bash"]' \
  --message "conlimit offline base: debootstrap $SUITE minbase + $PACKAGES" \
  - "$IMAGE" >/dev/null
step "docker import"

version="$(docker run --rm "$IMAGE" java -version 2>&1)" || { echo "$version" >&2; die "java does not run in $IMAGE"; }
say "check: ${version%%$'\n'*}"
say "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}')) in $((SECONDS - t0)) s"
