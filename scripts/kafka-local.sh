#!/usr/bin/env bash
# A local Apache Kafka broker (KRaft, single node) for trying --source=kafka / --sinks=kafka, run
# from the Kafka Maven artifacts (no Docker, no Kafka download needed).
#   scripts/kafka-local.sh start                       # localhost:${KAFKA_PORT:-9092}
#   PARTITIONS=4 scripts/kafka-local.sh start          # topics it creates get 4 partitions (default 2)
#   scripts/kafka-local.sh load                        # src/samples -> topics call_log, clickstream
#   scripts/kafka-local.sh produce TOPIC[:N] FILE...   # one record per line (:N: all into partition N)
#   scripts/kafka-local.sh consume TOPIC [QUIET_SECS]  # print key<TAB>value of every record
#   scripts/kafka-local.sh stop
# Topics are created by their first produce (or the job), with the broker's PARTITIONS; a topic keeps
# its partitions. Data lives in .local/kafka-data; delete it (while stopped) to start empty.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
PORT=${KAFKA_PORT:-9092}
CONTROLLER_PORT=$((PORT + 1))
BOOTSTRAP=localhost:$PORT
PARTITIONS=${PARTITIONS:-2}
[[ $PARTITIONS =~ ^[1-9][0-9]*$ ]] || { echo "PARTITIONS=$PARTITIONS: give a positive number of partitions" >&2; exit 2; }
PID_FILE=$STATE_DIR/kafka.pid
DATA=$STATE_DIR/kafka-data

tool() { java -cp "$(tool_classpath)" dev.customer360.pipeline.tools.KafkaTool "$@"; }

case "${1:-}" in
  start)
    if [[ -f $PID_FILE ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      echo "Kafka already running (pid $(cat "$PID_FILE")) at $BOOTSTRAP"; exit 0
    fi
    ensure_built
    CP=$(tool_classpath)
    cat > "$STATE_DIR/kafka-server.properties" <<P
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://localhost:$PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$DATA
num.partitions=$PARTITIONS
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
message.max.bytes=4194304
P
    if [[ ! -f $DATA/meta.properties ]]; then
      echo ">> Formatting Kafka storage in $DATA" >&2
      java -cp "$CP" kafka.tools.StorageTool format -t "$(java -cp "$CP" kafka.tools.StorageTool random-uuid | tail -1)" \
        -c "$STATE_DIR/kafka-server.properties" > "$STATE_DIR/kafka-format.log" 2>&1
    fi
    nohup java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" kafka.Kafka "$STATE_DIR/kafka-server.properties" \
      > "$STATE_DIR/kafka.log" 2>&1 &
    echo $! > "$PID_FILE"
    if wait_for_port "$PORT" 60; then
      echo "Kafka running at $BOOTSTRAP; log: $STATE_DIR/kafka.log"
    else
      echo "Kafka did not start; see $STATE_DIR/kafka.log" >&2; exit 1
    fi
    ;;
  stop)
    stop_process "Kafka" "$PID_FILE"
    ;;
  load)
    ensure_built
    tool produce "$BOOTSTRAP" call_log "$ROOT/src/samples/call_log.jsonl"
    tool produce "$BOOTSTRAP" clickstream "$ROOT/src/samples/clickstream.jsonl"
    ;;
  produce)
    ensure_built; shift
    tool produce "$BOOTSTRAP" "$@"
    ;;
  consume)
    ensure_built
    tool consume "$BOOTSTRAP" "${2:?give the topic}" "${3:-5}"
    ;;
  *)
    echo "usage: $0 start|stop|load|produce TOPIC FILE...|consume TOPIC [QUIET_SECS]" >&2; exit 2 ;;
esac
