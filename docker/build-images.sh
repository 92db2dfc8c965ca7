#!/usr/bin/env bash
# Builds every image the compose stack and the Testcontainers tests use, from parts this machine can reach: a Debian
# base made with debootstrap (no registry needed), and the Kafka, Flink and streamrec jars the Maven build resolved.
# Idempotent: an image whose inputs (jars, scripts, Dockerfile) are unchanged is not rebuilt.
#
#   docker/build-images.sh                 # local images: streamrec-base, -kafka, -flink, -trainer, -scorer, -ingest
#   STREAMREC_IMAGES=official docker/build-images.sh
#                                          # only trainer/scorer/ingest, FROM flink:2.3.0-java17 / eclipse-temurin:17-jre
#                                          # (needs a registry); compose then runs apache/kafka:4.2.0 (see docker/README.md)
#
# STREAMREC_SKIP_BUILD=1 uses the jars already built (the Maven verify build sets it); otherwise the modules are
# packaged first when their classpath files are missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOCKER_DIR="$ROOT/docker"
STAGE="$DOCKER_DIR/target/images"
CACHE="${STREAMREC_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/streamrec}"
MODE="${STREAMREC_IMAGES:-local}"
SUITE=bookworm
KAFKA_VERSION=4.2.0
FLINK_VERSION=2.3.0
M2="${MAVEN_REPO:-$HOME/.m2/repository}"
export DOCKER_BUILDKIT=0   # the classic builder: Debian's docker.io has no buildx

log() { echo "build-images: $*" >&2; }
die() { log "$*"; exit 1; }
# Exit 3: this machine cannot make the base image (no debootstrap, not root, no Debian mirror); tests skip on it.
no_base() { log "$*"; exit 3; }

command -v docker >/dev/null || die "docker is not installed"
docker info >/dev/null 2>&1 || die "the Docker engine is not reachable (is dockerd running?)"
case "$MODE" in local|official) ;; *) die "STREAMREC_IMAGES must be local or official, got '$MODE'";; esac

# 1. The jars. -----------------------------------------------------------------------------------------------------
need_package=0
for m in broker stream-trainer scorer cli; do
  [ -f "$ROOT/$m/target/runtime-classpath.txt" ] || need_package=1
done
container_jar="${FLINK_CONTAINER_JAR:-$M2/org/apache/flink/flink-container/$FLINK_VERSION/flink-container-$FLINK_VERSION.jar}"
[ -f "$container_jar" ] || need_package=1
if [ "$need_package" = 1 ]; then
  [ "${STREAMREC_SKIP_BUILD:-}" = 1 ] && die "jars missing and STREAMREC_SKIP_BUILD=1; run ./mvnw -DskipTests package first"
  log "packaging broker, stream-trainer, scorer, cli (jars missing)"
  (cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl broker,stream-trainer,scorer,cli,docker -am) || die "maven build failed"
fi
[ -f "$container_jar" ] || die "missing $container_jar (the docker module's build resolves it)"

classpath() { tr ':' '\n' < "$ROOT/$1/target/runtime-classpath.txt" | grep -v '^$'; }

# Hard links are instant and cost no space; fall back to copies across file systems.
stage_files() {
  local dest="$1"; shift
  mkdir -p "$dest"
  for f in "$@"; do
    [ -f "$f" ] || die "missing $f (stale runtime-classpath.txt? rebuild the module)"
    ln -f "$f" "$dest/" 2>/dev/null || cp -f "$f" "$dest/"
  done
}

# The inputs' fingerprint: the names and contents of everything in the build context, and the build arguments.
fingerprint() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum; echo "$2") | sha256sum | cut -c1-16; }

# A module's own jar (not its -tests jar).
module_jar() { ls "$ROOT/$1"/target/streamrec-"$1"-*.jar | grep -v -- '-tests\.jar$' | head -1; }

# docker build unless an image with the same fingerprint exists.
build_image() {
  local tag="$1" ctx="$2" args="${3:-}" fp current
  fp="$(fingerprint "$ctx" "$args")"
  current="$(docker image inspect -f '{{ index .Config.Labels "io.streamrec.inputs" }}' "$tag" 2>/dev/null || true)"
  if [ "$current" = "$fp" ]; then
    log "$tag is up to date"
    return
  fi
  log "building $tag"
  # shellcheck disable=SC2086
  docker build -q --label "io.streamrec.inputs=$fp" $args -t "$tag" "$ctx" > "$ctx.build.log" 2>&1 \
    || { cat "$ctx.build.log" >&2; die "docker build of $tag failed"; }
}

# 2. Base: Debian minbase + the JRE, imported from a debootstrap tarball (cached). -------------------------------------
BASE_IMAGE=streamrec-base:$SUITE
if [ "$MODE" = local ]; then
  if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    log "$BASE_IMAGE exists"
  else
    tarball="$CACHE/base-$SUITE-jre17.tar"
    if [ ! -f "$tarball" ]; then
      command -v debootstrap >/dev/null || no_base "debootstrap is not installed (apt-get install debootstrap)"
      [ "$(id -u)" = 0 ] || no_base "debootstrap needs root"
      log "debootstrap $SUITE (minbase + openjdk-17-jre-headless) into $tarball"
      rootfs="$(mktemp -d)"
      mkdir -p "$CACHE"
      debootstrap --variant=minbase --include=openjdk-17-jre-headless,curl "$SUITE" "$rootfs" \
        "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" > "$CACHE/debootstrap.log" 2>&1 \
        || { rm -rf "$rootfs"; no_base "debootstrap failed (is the Debian mirror reachable?); see $CACHE/debootstrap.log"; }
      # What an image never needs: package caches, docs, man pages.
      rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
        "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*
      tar -C "$rootfs" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
      rm -rf "$rootfs"
    fi
    log "importing $BASE_IMAGE"
    docker import -c 'ENV LANG=C.UTF-8' -c 'CMD ["/bin/bash"]' "$tarball" "$BASE_IMAGE" >/dev/null
  fi
  JRE_IMAGE=$BASE_IMAGE
else
  JRE_IMAGE=eclipse-temurin:17-jre
fi

rm -rf "$STAGE"
mkdir -p "$STAGE"
log4j_jars=$(classpath scorer | grep -E '/log4j-(api|core|slf4j2-impl)-[0-9.]+\.jar$')
opens=$(sed -n 's/^flink.opens=//p' "$ROOT/common/target/classes/io/streamrec/common/config/jvm-options.properties")
[ -n "$opens" ] || die "cannot read the JDK opens from common/target/classes (build common first)"

# 3. Kafka: the broker's own classpath (kafka.Kafka), with log4j so the broker logs. ---------------------------------
if [ "$MODE" = local ]; then
  ctx="$STAGE/kafka"
  # shellcheck disable=SC2046
  stage_files "$ctx/libs" $(classpath broker | grep -v '/io/streamrec/\|/streamrec-[a-z-]*-[0-9]') $log4j_jars
  cp "$DOCKER_DIR/images/kafka/Dockerfile" "$DOCKER_DIR/images/kafka/run" "$DOCKER_DIR/images/kafka/log4j2.yaml" "$ctx/"
  build_image "streamrec-kafka:$KAFKA_VERSION" "$ctx" "--build-arg BASE_IMAGE=$BASE_IMAGE"
else
  # The official broker under the name the compose stack and the tests use.
  docker pull -q "apache/kafka:$KAFKA_VERSION" >/dev/null || die "cannot pull apache/kafka:$KAFKA_VERSION"
  docker tag "apache/kafka:$KAFKA_VERSION" "streamrec-kafka:$KAFKA_VERSION"
fi

# 4. Flink: what a Flink distribution's lib/ holds (the trainer's classpath without the job's own code and
#    connectors), started from Flink's own entry points. ------------------------------------------------------------
JOB_ONLY='/streamrec-[a-z-]*-[0-9]|/kafka[^/]*\.jar$|/flink-connector-kafka[^/]*\.jar$|/picocli[^/]*\.jar$|/nd4j[^/]*\.jar$|/openblas[^/]*\.jar$|/javacpp[^/]*\.jar$|/protobuf-1\.0\.0[^/]*\.jar$'
if [ "$MODE" = local ]; then
  ctx="$STAGE/flink"
  # shellcheck disable=SC2046
  stage_files "$ctx/lib" $(classpath stream-trainer | grep -Ev "$JOB_ONLY") "$container_jar"
  cp "$DOCKER_DIR/images/flink/Dockerfile" "$DOCKER_DIR/images/flink/docker-entrypoint.sh" \
     "$DOCKER_DIR/images/flink/log4j-console.properties" "$ctx/"
  echo "$opens" > "$ctx/java-opens"
  build_image "streamrec-flink:$FLINK_VERSION" "$ctx" "--build-arg BASE_IMAGE=$BASE_IMAGE"
  FLINK_IMAGE=streamrec-flink:$FLINK_VERSION
else
  FLINK_IMAGE=flink:$FLINK_VERSION-java17
fi

# 5. Trainer: the Flink image + the job's jars in usrlib (application mode). ----------------------------------------
ctx="$STAGE/trainer"
# shellcheck disable=SC2046
stage_files "$ctx/usrlib" "$(module_jar stream-trainer)" \
  $(classpath stream-trainer | grep -E "$JOB_ONLY")
cp "$DOCKER_DIR/Dockerfile.trainer" "$ctx/Dockerfile"
cp "$DOCKER_DIR/flink/config.yaml" "$ctx/config.yaml"
build_image streamrec-trainer "$ctx" "--build-arg FLINK_IMAGE=$FLINK_IMAGE"

# 6. Scorer and ingest: the streamrec JVMs on a plain JRE. ----------------------------------------------------------
ctx="$STAGE/scorer"
# shellcheck disable=SC2046
stage_files "$ctx/lib" "$(module_jar scorer)" $(classpath scorer)
cp "$DOCKER_DIR/Dockerfile.scorer" "$ctx/Dockerfile"
build_image streamrec-scorer "$ctx" "--build-arg JRE_IMAGE=$JRE_IMAGE"

ctx="$STAGE/ingest"
# shellcheck disable=SC2046
stage_files "$ctx/lib" "$(module_jar cli)" $(classpath cli)
cp "$DOCKER_DIR/Dockerfile.ingest" "$ctx/Dockerfile"
build_image streamrec-ingest "$ctx" "--build-arg JRE_IMAGE=$JRE_IMAGE"

log "done ($MODE images): $(docker images --format '{{.Repository}}:{{.Tag}}' | grep '^streamrec-' | sort | tr '\n' ' ')"
