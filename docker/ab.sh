#!/usr/bin/env bash
# The Docker A/B in one command: builds what docker/compose.yaml needs without an image registry, runs it, and
# exits with its verdict (the `ab` container's exit code, that of `conlimit compare --expect ...`):
#
#   docker/ab.sh                              # as shipped: somaxconn 128 vs 4096; exit 0 when each side did what its somaxconn says
#   CONLIMIT_SOMAXCONN_B=128 docker/ab.sh     # the 4096 side set to 128: its expectations fail, exit 1
#
# Steps (each says what it does and how long it took):
#   1. the jars (./mvnw -B -q -DskipTests package), only when they are missing or older than the sources;
#   2. the offline JRE base image (docker/build-offline-base.sh: debootstrap + docker import; does nothing when it
#      exists; needs root the first time), unless BASE names another base image;
#   3. conlimit/target:dev and conlimit/harness:dev from the jars (docker/build-images.sh);
#   4. compose up (Compose v2 `docker compose` when present, else v1 `docker-compose`), then compose down.
# Results land in results/<UTC time>-docker-ab/ (somaxconn-128, somaxconn-4096): a new folder each time.
#
# Exit codes: those of conlimit (0 the expectations hold, 1 one failed, 2 usage error, 3 a run could not
# complete); 2 also when a prerequisite is missing (docker, a Docker daemon, a Compose binary); 3 when a build
# step failed.
# Environment: BASE (default conlimit/jre17-base:bookworm, built offline), CONLIMIT_SOMAXCONN_A / _B (default 128 /
# 4096), CONLIMIT_AGENT_TOKEN (default conlimit-ab), CONLIMIT_TARGET_IMAGE / CONLIMIT_HARNESS_IMAGE (images to use).
set -euo pipefail
cd "$(dirname "$0")/.."

BASE="${BASE:-conlimit/jre17-base:bookworm}"
say() { echo "ab: $*"; }
fail() { local code="$1"; shift; echo "ab: ERROR: $*" >&2; exit "$code"; }

command -v docker >/dev/null || fail 2 "the docker command is not installed (Debian: apt-get install -y docker.io docker-compose)"
docker info >/dev/null 2>&1 || fail 2 "no Docker daemon answers (docker info failed): start it (systemctl start docker, or dockerd &)"
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null; then
  compose=(docker-compose)
else
  fail 2 "no Compose binary: neither 'docker compose' (v2) nor docker-compose (v1; Debian: apt-get install -y docker-compose)"
fi

t=$SECONDS
jars=(harness/target/conlimit.jar target-servers/target/conlimit-target.jar)
stale=0
for jar in "${jars[@]}"; do
  if [ ! -f "$jar" ] || [ -n "$(find pom.xml harness/pom.xml target-servers/pom.xml harness/src/main target-servers/src/main \
        -newer "$jar" -type f -print -quit 2>/dev/null)" ]; then
    stale=1
  fi
done
if [ "$stale" = 1 ]; then
  say "building the jars (./mvnw -B -q -DskipTests package)"
  ./mvnw -B -q -DskipTests package || fail 3 "the Maven build failed"
  say "jars built in $((SECONDS - t)) s"
else
  say "jars up to date"
fi

if [ "$BASE" = conlimit/jre17-base:bookworm ]; then
  docker/build-offline-base.sh || fail 3 "docker/build-offline-base.sh failed"
fi
BASE="$BASE" docker/build-images.sh || fail 3 "docker/build-images.sh failed"

mkdir -p results
file=docker/compose.yaml
say "running the A/B: ${compose[*]} -f $file up --abort-on-container-exit --exit-code-from ab" \
    "(somaxconn A=${CONLIMIT_SOMAXCONN_A:-128} B=${CONLIMIT_SOMAXCONN_B:-4096})"
code=0
"${compose[@]}" -f "$file" up --abort-on-container-exit --exit-code-from ab || code=$?
"${compose[@]}" -f "$file" down --remove-orphans >/dev/null 2>&1 || say "warning: ${compose[*]} down failed"
say "exit $code ($(case "$code" in 0) echo "every expectation holds";; 1) echo "an expectation failed";;
  2) echo "usage error";; *) echo "a run could not complete";; esac)) in $((SECONDS - t)) s"
exit "$code"
