#!/bin/bash
# Runs a Flink process the way Flink's own scripts do, without them: BashJavaUtils derives the JVM memory flags and
# the dynamic memory settings from conf/config.yaml, then the entry-point class runs in the foreground (exec).
#   jobmanager                                  a session cluster's JobManager
#   standalone-job --job-classname C [args]     an application cluster running C's main (jars in /opt/flink/usrlib)
#   taskmanager                                 a TaskManager
# FLINK_PROPERTIES (one "key: value" per line) overrides config.yaml, as in the official image.
set -euo pipefail
FLINK_HOME=/opt/flink
CONF=/opt/flink/conf
CP="$FLINK_HOME/lib/*"
read -r -a OPENS < "$FLINK_HOME/java-opens"
DYNAMIC=()
if [ -n "${FLINK_PROPERTIES:-}" ]; then
  while IFS= read -r line; do
    [[ "$line" =~ ^[[:space:]]*([^:#[:space:]]+)[[:space:]]*:[[:space:]]*(.*[^[:space:]])[[:space:]]*$ ]] || continue
    DYNAMIC+=(-D "${BASH_REMATCH[1]}=${BASH_REMATCH[2]}")
  done <<< "$FLINK_PROPERTIES"
fi

# The last lines BashJavaUtils prints with this prefix are its results: JVM flags, then dynamic settings.
resources() {
  local out
  out="$(java -Xmx128m -cp "$CP" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$CONF" "${DYNAMIC[@]}" 2>&1)" \
    || { echo "$out" >&2; echo "flink entrypoint: BashJavaUtils $1 failed" >&2; exit 1; }
  echo "$out" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p' | tail -2
}

run() {
  local kind="$1" main="$2"; shift 2
  local params jvm dyn
  params="$(resources "$kind")"
  jvm="$(echo "$params" | sed -n 1p)"
  dyn="$(echo "$params" | sed -n 2p)"
  # shellcheck disable=SC2086
  # The vector API: DL+'s prequential ranking runs its SIMD loops (JvmOptions.SIMD).
  exec java $jvm "${OPENS[@]}" --add-modules=jdk.incubator.vector ${FLINK_ENV_JAVA_OPTS:-} -Dlog4j.configurationFile="$CONF/log4j-console.properties" \
    -Dlog.file=/opt/flink/log/flink.log -cp "$CP" "$main" --configDir "$CONF" $dyn "${DYNAMIC[@]}" "$@"
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  jobmanager) run GET_JM_RESOURCE_PARAMS org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint "$@" ;;
  standalone-job)
    # The job's jars stay in usrlib: Flink finds them there (FLINK_HOME) and loads them child-first.
    run GET_JM_RESOURCE_PARAMS org.apache.flink.container.entrypoint.StandaloneApplicationClusterEntryPoint "$@" ;;
  taskmanager) run GET_TM_RESOURCE_PARAMS org.apache.flink.runtime.taskexecutor.TaskManagerRunner "$@" ;;
  *) echo "usage: jobmanager | standalone-job --job-classname CLASS [ARGS] | taskmanager" >&2; exit 2 ;;
esac
