#!/usr/bin/env bash
# Builds conlimit/target:dev and conlimit/harness:dev from the jars the Maven build made
# (target-servers/target/conlimit-target.jar, harness/target/conlimit.jar). Works without a registry
# when BASE is a local image, e.g. the offline base:
#
#   ./mvnw -B -DskipTests package
#   docker/build-offline-base.sh
#   BASE=conlimit/jre17-base:bookworm docker/build-images.sh
#
# Environment: BASE (default eclipse-temurin:17-jre, from a registry), TAG (default dev).
set -euo pipefail
cd "$(dirname "$0")/.."

BASE="${BASE:-eclipse-temurin:17-jre}"
TAG="${TAG:-dev}"
say() { echo "build-images: $*"; }
die() { echo "build-images: ERROR: $*" >&2; exit 1; }

for jar in target-servers/target/conlimit-target.jar harness/target/conlimit.jar; do
  [ -f "$jar" ] || die "$jar is missing: run ./mvnw -B -DskipTests package first"
done
docker info >/dev/null 2>&1 || die "no Docker daemon answers (docker info failed)"

# A minimal build context (just the jar) instead of the whole repository: the classic builder sends the
# entire context to the daemon, and the repository has no .dockerignore of its own.
ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT

build() { # image dockerfile jar
  local image="$1" dockerfile="$2" jar="$3" t=$SECONDS
  rm -rf "${ctx:?}"/*
  mkdir -p "$ctx/$(dirname "$jar")"
  cp "$jar" "$ctx/$jar"
  if ! docker build --build-arg BASE="$BASE" -f "$dockerfile" -t "$image" "$ctx" >"$ctx.log" 2>&1; then
    cat "$ctx.log" >&2; rm -f "$ctx.log"; die "docker build of $image failed (see above)"
  fi
  rm -f "$ctx.log"
  say "built $image from $jar on $BASE in $((SECONDS - t)) s"
}

build "conlimit/target:$TAG" docker/Dockerfile.target target-servers/target/conlimit-target.jar
build "conlimit/harness:$TAG" docker/Dockerfile.harness harness/target/conlimit.jar
