#!/usr/bin/env bash
# Streaming benchmark: the job reads Kafka on a local Flink session cluster (parallelism 2,
# checkpoints every 10 s, raw topics of 2 partitions) and writes engagements and profiles to Kafka,
# while a load generator produces raw records (half call log, half clickstream, event times now,
# every record a distinct engagement) at fixed rates in steps. Per step it prints and writes to
# bench/results/stream-<time>.csv (and a chart, stream-<time>.png): records/s produced, engagements/s delivered, the backlog
# (produced, not yet delivered) and the job's committed consumer lag at the step's end, whether
# the step was sustained (backlog at most rate x (checkpoint interval + 5 s), everything delivered
# in the end), the end-to-end latency p50/p95/p99 from the raw record's Kafka timestamp to the
# engagement's arrival at a read_committed consumer, the latency to the engagement's own Kafka
# timestamp, the longest checkpoint, the TaskManager's RSS, and the most backpressured and the busiest
# operator chain subtask (Flink's backPressuredTimeMsPerSecond and busyTimeMsPerSecond, the mean of
# samples every 5 s over the step; every subtask in bench/results/stream-<time>-operators.csv).
# SKEW spreads the records over the USERS (default 20,000) customers: uniform (every customer
# alike), hot (one customer gets 20% of all events) or zipf (Zipf-like: the top 1% of customers get
# half of them). The CSV's checkpoint_state_bytes is the full size of the latest checkpoint completed
# by the step's end (STATE_BACKEND=rocksdb for the RocksDB backend); its last two columns the job's
# watermark lag (processing time minus its lowest watermark: mean and max over the step, seconds).
#
#   bench/stream.sh                                   # at-least-once Kafka sink, 500..8000 records/s, 60 s each
#   EXACTLY_ONCE=true RATES=1000,4000,8000 bench/stream.sh   # --exactlyOnce (bench/README.md)
#   POSTGRES=true RATES=1000,2000,4000 bench/stream.sh   # PostgreSQL a sink too: latency to its rows
#   PARALLELISM=1 RATES=4000,10000 STEP_SECONDS=30 bench/stream.sh
#   SKEW=zipf RATES=6000 bench/stream.sh
#   STATE_BACKEND=rocksdb USERS=1000000 RATES=2000,6000,6000,6000 bench/stream.sh   # state size (bench/README.md)
#
# Starts (and stops) its own Kafka (:47092), PostgreSQL with POSTGRES=true (:47432) and Flink (REST
# :47081, RPC :47123; one TaskManager of PARALLELISM slots, keyed state in STATE_BACKEND: hashmap,
# the default, or rocksdb) from Maven artifacts; state in .local/stream-bench. Needs Java, Maven and
# python3. About 8 minutes with the defaults. The load generator runs on the same machine as Kafka
# and Flink: on a small machine it takes CPU from the job it measures.
set -euo pipefail
cd "$(dirname "$0")/.."
RATES=${RATES:-500,1000,2000,4000,8000}
STEP_SECONDS=${STEP_SECONDS:-60}
EXACTLY_ONCE=${EXACTLY_ONCE:-false}
PARALLELISM=${PARALLELISM:-2}
SKEW=${SKEW:-uniform}
POSTGRES=${POSTGRES:-false}
USERS=${USERS:-20000}
CHECKPOINT_SECONDS=10
[[ $RATES =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ && $STEP_SECONDS =~ ^[1-9][0-9]*$ && $PARALLELISM =~ ^[1-9][0-9]*$ && $USERS =~ ^[1-9][0-9]*$ ]] ||
  { echo "usage: [RATES=500,1000,...] [STEP_SECONDS=60] [PARALLELISM=2] [USERS=20000] [STATE_BACKEND=hashmap|rocksdb] [EXACTLY_ONCE=false|true] $0" >&2; exit 2; }
[[ $EXACTLY_ONCE == true || $EXACTLY_ONCE == false ]] || { echo "EXACTLY_ONCE=$EXACTLY_ONCE: give true or false" >&2; exit 2; }
[[ $POSTGRES == true || $POSTGRES == false ]] || { echo "POSTGRES=$POSTGRES: give true or false" >&2; exit 2; }
[[ $SKEW =~ ^(uniform|hot|zipf)$ ]] || { echo "SKEW=$SKEW: give uniform, hot or zipf" >&2; exit 2; }
export KAFKA_PORT=47092 FLINK_REST_PORT=47081 FLINK_RPC_PORT=47123 PGPORT=47432
export STATE_BACKEND=${STATE_BACKEND:-hashmap}
export TASKMANAGERS=1 SLOTS=$PARALLELISM CHECKPOINT_MS=$((CHECKPOINT_SECONDS * 1000))
export C360_LOCAL_DIR=$PWD/.local/stream-bench
source scripts/lib.sh
WORK=$STATE_DIR
GROUP=stream-bench
STAMP=$(date -u +%Y%m%dT%H%M%S)
CSV=bench/results/stream-$STAMP.csv
fresh_state_dir
trap stop_servers EXIT

STARTED=$(date +%s)
step "building"
build_job
step "starting Kafka and a Flink session cluster (1 TaskManager of $SLOTS slots, state backend $STATE_BACKEND)"
scripts/kafka-local.sh start
SINKS=(--sinks=kafka)
METER=()
if [[ $POSTGRES == true ]]; then
  scripts/postgres-local.sh start
  JDBC="jdbc:postgresql://localhost:$PGPORT/postgres"
  SINKS=(--sinks=kafka,postgres --jdbcUrl="$JDBC" --createTables)
  METER=(--jdbcUrl="$JDBC")
fi
scripts/flink-local.sh start
# Topics before the job and the reader start: the raw topics with 2 partitions (2 readers at p=2).
java -cp "$(tool_classpath)" dev.customer360.pipeline.tools.KafkaTool topics "localhost:$KAFKA_PORT" 2 \
  call_log clickstream customer_engagements

step "submitting the job (parallelism $PARALLELISM, checkpoints every $CHECKPOINT_SECONDS s, ${SINKS[0]} --exactlyOnce=$EXACTLY_ONCE)"
submit_stream "$WORK/job-client.log" "${SINKS[@]}" --exactlyOnce="$EXACTLY_ONCE" --groupId=$GROUP \
  --parallelism="$PARALLELISM"

step "load: $RATES records/s, $STEP_SECONDS s each, $USERS customers $SKEW"
java -Xmx1g -cp "$(tool_classpath)" dev.customer360.pipeline.tools.StreamBench "localhost:$KAFKA_PORT" "${METER[@]}" \
  --group=$GROUP --csv="$CSV" --rates="$RATES" --stepSeconds="$STEP_SECONDS" --skew="$SKEW" --users="$USERS" \
  --checkpointSeconds=$CHECKPOINT_SECONDS --flinkRest="localhost:$FLINK_REST_PORT" --job="$JOB" \
  --taskManagerPid="$(cat "$WORK/flink/taskmanager.pid")" | tee "$WORK/table.txt"

echo
echo "job: $(job_said)"
echo "sinks: Kafka, --exactlyOnce=$EXACTLY_ONCE$([[ $POSTGRES == true ]] && echo ', and PostgreSQL'); parallelism $PARALLELISM; $USERS customers $SKEW; state backend $STATE_BACKEND; $(nproc) cores shared by Kafka, Flink and the load generator (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "columns: backlog = produced but not delivered at the step's end; com.lag = the job's committed Kafka lag then;"
echo "  p50/p95/p99 = raw record's Kafka timestamp -> engagement read (read_committed); write p99 = -> engagement's Kafka timestamp;"
echo "  bp max / busy max = the most backpressured / busiest operator chain subtask, mean ms per second over the step;"
echo "  state MB = full size of the latest checkpoint completed by the step's end;"
echo "  wm lag s = processing time minus the job's lowest watermark, mean over the step (it includes --maxOutOfOrderness, 600 s by default)"
java -Djava.awt.headless=true -cp "$(tool_classpath)" dev.customer360.pipeline.bench.StreamChart "$CSV" "${CSV%.csv}.png"
echo "chart: ${CSV%.csv}.png (latency, backlog and watermark lag against rate)"
echo "results: $CSV ($(( $(date +%s) - STARTED )) s in all)"
cancel_stream
