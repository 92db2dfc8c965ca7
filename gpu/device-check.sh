#!/usr/bin/env bash
# Builds the self-contained GPU device check: one folder (and its .tar.gz) with a jlinked JRE 17, the jars the GPU kernel
# needs, and run.sh, for a GPU machine that has the NVIDIA driver (580+) and the CUDA 13 libraries but no JDK and no
# network, and takes at most 64 MiB per run. Then runs the bundle's own run.sh here, where it must report the missing
# GPU and exit non-zero (2) rather than crash.
#
#   gpu/device-check.sh            build + local self-test
#   gpu/device-check.sh --no-run   build only
#
# On the GPU machine:  tar xzf streamrec-gpu-check.tar.gz && ./streamrec-gpu-check/run.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/gpu/target/device-check"
NAME=streamrec-gpu-check
BUNDLE="$OUT/$NAME"
LIMIT_MIB=64

cd "$ROOT"
echo "device-check: building the gpu module (offline)..."
# package writes gpu/target/bundle-lib (every runtime jar of the module); tests run in ./mvnw test, not here.
if ! ./mvnw -o -q -pl gpu -am package -DskipTests > "$OUT.build.log" 2>&1; then
  grep -E 'ERROR\]' "$OUT.build.log" | head -20 >&2 || tail -20 "$OUT.build.log" >&2
  exit 1
fi

rm -rf "$BUNDLE" "$OUT/$NAME.tar.gz"
mkdir -p "$BUNDLE/lib"

# A JRE 17: the classes target 17, and the GPU machine's check was sized for 17's modules. Prefer JAVA_HOME, then PATH,
# then Debian's usual place; refuse another major version rather than ship it silently.
JLINK=""
for c in "${JAVA_HOME:+$JAVA_HOME/bin/jlink}" "$(command -v jlink || true)" /usr/lib/jvm/java-17-openjdk-amd64/bin/jlink; do
  if [ -n "$c" ] && [ -x "$c" ] && "$c" --version 2>/dev/null | grep -q '^17\.'; then JLINK="$c"; break; fi
done
if [ -z "$JLINK" ]; then
  echo "device-check: no JDK 17 jlink found (set JAVA_HOME to a JDK 17)" >&2
  exit 1
fi
# java.base + jdk.unsupported (JavaCPP uses sun.misc.Unsafe) + java.logging + java.management (JavaCPP's and SLF4J's needs);
# the host self-test in run.sh proves nothing else is needed on the code path.
"$JLINK" --add-modules java.base,jdk.unsupported,java.logging,java.management \
  --compress=2 --strip-debug --no-header-files --no-man-pages --output "$BUNDLE/jre"

LIB="$ROOT/gpu/target/bundle-lib"
for jar in "$LIB"/*.jar "$ROOT"/gpu/target/streamrec-gpu-*.jar; do
  case "$(basename "$jar")" in
    # Kafka's client and its compression codecs (~21 MB): only common's Kafka wire code uses them, never the kernel path.
    kafka-clients-*|zstd-jni-*|snappy-java-*|lz4-java-*) continue ;;
    # Slimmed below: only the three JNI libraries the kernel loads.
    cuda-*-linux-x86_64.jar) continue ;;
    *-sources.jar|*-tests.jar) continue ;;
  esac
  cp "$jar" "$BUNDLE/lib/"
done
SLF4J_SIMPLE="$(find "$HOME/.m2/repository/org/slf4j/slf4j-simple" -name 'slf4j-simple-2.0.17.jar' | head -1)"
if [ -n "$SLF4J_SIMPLE" ]; then cp "$SLF4J_SIMPLE" "$BUNDLE/lib/"; fi

# The natives jar holds every CUDA library's JNI wrapper (npp, cusolver, cudnn...). Keep the driver/runtime, NVRTC and
# cuBLAS ones, which link the system's libcuda.so.1, libcudart.so.13, libnvrtc.so.13, libcublas(Lt).so.13.
NATIVES="$(ls "$LIB"/cuda-*-linux-x86_64.jar)"
SLIM="$OUT/natives"
rm -rf "$SLIM" && mkdir -p "$SLIM"
(cd "$SLIM" && unzip -q "$NATIVES" 'org/bytedeco/cuda/linux-x86_64/libjnicudart.so' 'org/bytedeco/cuda/linux-x86_64/libjninvrtc.so' \
   'org/bytedeco/cuda/linux-x86_64/libjnicublas.so' 'META-INF/*' && zip -q -r "$BUNDLE/lib/$(basename "$NATIVES")" .)

cat > "$BUNDLE/run.sh" <<'RUN'
#!/bin/sh
# streamrec GPU device check: prints the device, runs the GPU-vs-Java parity checks ("N passed, N failed") and the
# throughput benchmark (MF SGD updates/s at k=32 and k=128, the dense step's GFLOP/s, each with the CPU Java figure).
# Needs the NVIDIA driver (580+) and the CUDA 13 libraries (libcudart.so.13, libnvrtc.so.13, libcublas.so.13); no JDK.
# Exit: 0 all passed, 1 a check failed, 2 no usable GPU (the message says what is missing), 3 the bundle is broken.
# --parity-only skips the benchmark.
HERE=$(cd "$(dirname "$0")" && pwd)
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader 2>&1 | sed 's/^/nvidia-smi: /'
fi
for d in /usr/local/cuda/lib64 /usr/local/cuda-13*/lib64 /usr/local/cuda/targets/x86_64-linux/lib; do
  [ -d "$d" ] && LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$d"
done
export LD_LIBRARY_PATH
CACHE="${TMPDIR:-/tmp}/streamrec-javacpp-cache"
set -- "$HERE/jre/bin/java" -Xmx6g -Dorg.bytedeco.javacpp.cachedir="$CACHE" -cp "$HERE/lib/*" io.streamrec.gpu.DeviceCheck "$@"
# The whole check is sized for about three minutes; stop it well inside the machine's five.
if command -v timeout >/dev/null 2>&1; then exec timeout 290 "$@"; else exec "$@"; fi
RUN
chmod +x "$BUNDLE/run.sh"

tar -C "$OUT" -czf "$OUT/$NAME.tar.gz" "$NAME"
FOLDER_BYTES=$(du -sb "$BUNDLE" | cut -f1)
TAR_BYTES=$(stat -c %s "$OUT/$NAME.tar.gz")
printf 'device-check: bundle %s: folder %.1f MiB (jre %.1f MiB, lib %.1f MiB), %s.tar.gz %.1f MiB (limit %d MiB)\n' \
  "$BUNDLE" "$(echo "$FOLDER_BYTES / 1048576" | bc -l)" "$(echo "$(du -sb "$BUNDLE/jre" | cut -f1) / 1048576" | bc -l)" \
  "$(echo "$(du -sb "$BUNDLE/lib" | cut -f1) / 1048576" | bc -l)" "$NAME" "$(echo "$TAR_BYTES / 1048576" | bc -l)" "$LIMIT_MIB"
if [ "$FOLDER_BYTES" -ge $((LIMIT_MIB * 1048576)) ]; then
  echo "device-check: the folder is over ${LIMIT_MIB} MiB" >&2
  exit 1
fi

if [ "${1:-}" != "--no-run" ]; then
  echo "device-check: running the bundle here (expects: host self-test passes, then 'no GPU', exit 2 on a machine without one)"
  set +e
  "$BUNDLE/run.sh" --parity-only
  rc=$?
  set -e
  echo "device-check: run.sh exited $rc"
fi
