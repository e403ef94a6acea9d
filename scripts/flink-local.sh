#!/usr/bin/env bash
# A local Flink 1.19 session cluster (JobManager with REST/web UI + ${TASKMANAGERS:-1} TaskManager(s) with
# ${SLOTS:-2} slots each), run as plain JVMs from the Flink Maven artifacts (no Flink distribution here).
#   scripts/flink-local.sh start      # web UI and REST on http://localhost:${FLINK_REST_PORT:-8081} (RPC: ${FLINK_RPC_PORT:-6123})
#   SLOTS=4 scripts/flink-local.sh start   # a job at parallelism p needs p slots in all
#   TASKMANAGERS=2 SLOTS=2 scripts/flink-local.sh start   # two TaskManager JVMs of two slots each
#   STATE_BACKEND=rocksdb scripts/flink-local.sh start    # keyed state in RocksDB (default: hashmap, on the heap)
#   scripts/flink-local.sh status     # the processes and the TaskManagers the JobManager sees
#   FLINK_MASTER=localhost:8081 ./run-flink.sh ...    # submit the job to it
#   scripts/flink-local.sh stop
# Checkpoints go to .local/flink/checkpoints. Everything listens on localhost only; with
# PROMETHEUS=1, Flink's Prometheus reporter also serves metrics on ports 9249-9260 (all interfaces).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/java-opens.sh"
FLINK_DIR=$STATE_DIR/flink
CONF=$FLINK_DIR/conf
REST_PORT=${FLINK_REST_PORT:-8081}
TASKMANAGERS=${TASKMANAGERS:-1}
[[ $TASKMANAGERS =~ ^[1-9][0-9]*$ ]] || { echo "TASKMANAGERS=$TASKMANAGERS: give a positive number of TaskManagers" >&2; exit 2; }
STATE_BACKEND=${STATE_BACKEND:-hashmap}
[[ $STATE_BACKEND =~ ^(hashmap|rocksdb)$ ]] || { echo "STATE_BACKEND=$STATE_BACKEND: give hashmap or rocksdb" >&2; exit 2; }
mkdir -p "$CONF" "$FLINK_DIR/log" "$FLINK_DIR/checkpoints"

classpath() {
  local cp=$FLINK_DIR/classpath.txt
  if [[ ! -s $cp ]]; then
    echo ">> Resolving the Flink cluster jars (first time only)..." >&2
    mvn -B -q -f "$ROOT/scripts/flink-cluster/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cp" >&2
  fi
  cat "$cp"
}

write_conf() {
  cat > "$CONF/flink-conf.yaml" <<C
jobmanager.rpc.address: localhost
jobmanager.rpc.port: ${FLINK_RPC_PORT:-6123}
jobmanager.bind-host: localhost
rest.address: localhost
rest.bind-address: localhost
rest.port: $REST_PORT
taskmanager.host: localhost
taskmanager.bind-host: localhost
taskmanager.numberOfTaskSlots: ${SLOTS:-2}
parallelism.default: 2
jobmanager.memory.process.size: 1024m
taskmanager.memory.process.size: 2048m
# Beam's batch translation runs many operators at once: give them network buffers.
taskmanager.memory.network.min: 384mb
taskmanager.memory.network.max: 384mb
state.backend.type: $STATE_BACKEND
state.checkpoints.dir: file://$FLINK_DIR/checkpoints
state.savepoints.dir: file://$FLINK_DIR/savepoints
execution.checkpointing.externalized-checkpoint-retention: RETAIN_ON_CANCELLATION
# The REST API's task metrics every 5 s rather than 10 s (bench/stream.sh samples them every 5 s).
metrics.fetcher.update-interval: 5000
C
  # Flink's Prometheus reporter listens on every interface (it has no bind-address setting):
  # opt in with PROMETHEUS=1 on a machine whose firewall keeps ports 9249-9260 private.
  if [[ ${PROMETHEUS:-0} == 1 ]]; then
    cat >> "$CONF/flink-conf.yaml" <<C
metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory
metrics.reporter.prom.port: 9249-9260
C
  fi
  cat > "$CONF/log4j.properties" <<L
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
appender.main.name = MainAppender
appender.main.type = File
appender.main.fileName = \${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
L
}

# start_process NAME MAIN_CLASS BASH_JAVA_UTILS_COMMAND
start_process() {
  local name=$1 main=$2 params cp jvm dynamic
  cp=$(classpath)
  params=$(java -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils "$3" --configDir "$CONF" 2>/dev/null \
    | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')
  jvm=$(echo "$params" | sed -n 1p)
  dynamic=$(echo "$params" | sed -n 2p)
  # shellcheck disable=SC2086
  nohup java $jvm "${JAVA_OPENS[@]}" -Duser.timezone=UTC \
    -Dlog.file="$FLINK_DIR/log/$name.log" -Dlog4j.configurationFile="file:$CONF/log4j.properties" \
    -cp "$cp" "$main" --configDir "$CONF" $dynamic > "$FLINK_DIR/log/$name.out" 2>&1 &
  echo $! > "$FLINK_DIR/$name.pid"
}

running() { [[ -f $FLINK_DIR/$1.pid ]] && kill -0 "$(cat "$FLINK_DIR/$1.pid")" 2>/dev/null; }
# TaskManager n's process name (pid and log files): the first is "taskmanager", as before.
tm_name() { if [[ $1 == 1 ]]; then echo taskmanager; else echo "taskmanager-$1"; fi; }

case "${1:-}" in
  start)
    if running jobmanager; then echo "Flink already running: http://localhost:$REST_PORT"; exit 0; fi
    write_conf
    start_process jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint GET_JM_RESOURCE_PARAMS
    for n in $(seq "$TASKMANAGERS"); do
      start_process "$(tm_name "$n")" org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS
    done
    for _ in $(seq 120); do
      if curl -sf "http://localhost:$REST_PORT/overview" 2>/dev/null |
        python3 -c "import json,sys; sys.exit(json.load(sys.stdin)['taskmanagers'] < $TASKMANAGERS)" 2>/dev/null; then
        echo "Flink session cluster running: http://localhost:$REST_PORT, $TASKMANAGERS TaskManager(s) of ${SLOTS:-2} slots (logs: $FLINK_DIR/log)"
        echo "Submit with: FLINK_MASTER=localhost:$REST_PORT ./run-flink.sh"
        exit 0
      fi
      sleep 0.5
    done
    echo "Flink did not come up; see $FLINK_DIR/log" >&2; exit 1
    ;;
  stop)
    # Every TaskManager a start made, however many it was asked for.
    for f in "$FLINK_DIR"/taskmanager*.pid "$FLINK_DIR/jobmanager.pid"; do
      [[ -f $f ]] || continue
      p=$(basename "$f" .pid)
      if running "$p"; then kill "$(cat "$f")"; fi
      rm -f "$f"
    done
    echo "Flink stopped"
    ;;
  status)
    for f in "$FLINK_DIR/jobmanager.pid" "$FLINK_DIR"/taskmanager*.pid; do
      [[ -f $f ]] || continue
      p=$(basename "$f" .pid)
      if running "$p"; then echo "$p: running (pid $(cat "$f"))"; else echo "$p: not running (stale $f)"; fi
    done
    if ! curl -sf "http://localhost:$REST_PORT/taskmanagers" 2>/dev/null | python3 -c 'import json,sys
tms=json.load(sys.stdin)["taskmanagers"]
print("JobManager sees %d TaskManager(s), %d slots, %d free" % (len(tms), sum(t["slotsNumber"] for t in tms), sum(t["freeSlots"] for t in tms)))
for t in tms: print("  %s: %d slots, %d free" % (t["id"], t["slotsNumber"], t["freeSlots"]))' 2>/dev/null; then
      echo "no JobManager answers on http://localhost:$REST_PORT"; exit 1
    fi
    ;;
  kill-taskmanager)
    # For crash tests: the (first) TaskManager dies as a machine would, with no chance to clean up.
    if running taskmanager; then kill -9 "$(cat "$FLINK_DIR/taskmanager.pid")"; echo "TaskManager killed"; fi
    ;;
  start-taskmanager)
    write_conf
    start_process taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS
    echo "TaskManager started"
    ;;
  *)
    echo "usage: $0 start|stop|status|kill-taskmanager|start-taskmanager" >&2; exit 2 ;;
esac
