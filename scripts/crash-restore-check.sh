#!/usr/bin/env bash
# Crash-and-restore check: a streaming job on a real Flink session cluster reads Kafka with
# checkpointing and upserts into PostgreSQL; its TaskManager is killed (-9) mid-stream and a new
# one started; Flink restores the job from its latest checkpoint. Passes (exit 0) only if the
# table then holds every distinct engagement exactly once: nothing lost, nothing doubled.
#
#   scripts/crash-restore-check.sh [RECORDS_PER_SOURCE]      (default 20000)
#
# Starts (and stops) its own Kafka (:19092), PostgreSQL (:15432) and Flink (:8081) from Maven
# artifacts; needs only Java and Maven. Takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RECORDS=${1:-20000}
export KAFKA_PORT=19092 PGPORT=15432 C360_LOCAL_DIR=$ROOT/.local/crash-check
WORK=$C360_LOCAL_DIR
rm -rf "$WORK"; mkdir -p "$WORK"
JOB_LOG=$WORK/job-client.log

cleanup() {
  [[ -n ${CLIENT_PID:-} ]] && kill "$CLIENT_PID" 2>/dev/null || true
  scripts/flink-local.sh stop >/dev/null 2>&1 || true
  scripts/kafka-local.sh stop >/dev/null 2>&1 || true
  scripts/postgres-local.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

step() { echo "== $*"; }
pg() { scripts/postgres-local.sh query "$1" | sed -n 2p; }

step "building"
mvn -B -q -DskipTests package
CP="pipeline/target/classes:$(cat pipeline/target/classpath.txt)"

step "starting Kafka, PostgreSQL and a Flink session cluster"
scripts/kafka-local.sh start
scripts/postgres-local.sh start
scripts/flink-local.sh start

# Event times around now, as in a live stream: the watermark of a caught-up Kafka partition follows
# processing time, so hours-old data would (rightly) be dead-lettered as late.
step "generating $RECORDS records per source (event times around now, ~8% re-delivered, some bad)"
java -cp "$CP" dev.customer360.pipeline.generator.GenerateRawRecords --out="$WORK/data" \
  --records="$RECORDS" --users=500 --spanHours=1 --start=now-20m --oversize=false
EXPECTED=$(wc -l < "$WORK/data/expected-engagements.jsonl")
# Two halves: one before the crash, one after.
for s in call_log clickstream; do
  split -n l/2 -d "$WORK/data/$s.jsonl" "$WORK/data/$s.part"
done
scripts/kafka-local.sh produce call_log "$WORK/data/call_log.part00"
scripts/kafka-local.sh produce clickstream "$WORK/data/clickstream.part00"

step "submitting the streaming job (checkpoint every 2 s)"
FLINK_MASTER=localhost:8081 ./run-flink.sh --source=kafka --bootstrapServers=localhost:$KAFKA_PORT \
  --sinks=postgres --jdbcUrl=jdbc:postgresql://localhost:$PGPORT/postgres --createTables \
  --checkpointingInterval=2000 --numberOfExecutionRetries=20 --executionRetryDelay=3000 \
  --allowedLateness=2h \
  --groupId=crash-check > "$JOB_LOG" 2>&1 &
CLIENT_PID=$!
for _ in $(seq 240); do
  curl -sf localhost:8081/jobs/overview | grep -q '"state":"RUNNING"' && break; sleep 0.5
done
JOB=$(curl -sf localhost:8081/jobs/overview | python3 -c 'import json,sys; print([j["jid"] for j in json.load(sys.stdin)["jobs"] if j["state"]=="RUNNING"][0])')
echo "job $JOB running"

wait_for_checkpoints() {
  for _ in $(seq 240); do
    n=$(curl -sf "localhost:8081/jobs/$JOB/checkpoints" | python3 -c 'import json,sys; print(json.load(sys.stdin)["counts"]["completed"])' 2>/dev/null || echo 0)
    [[ $n -ge $1 ]] && return 0; sleep 0.5
  done
  echo "no checkpoint completed" >&2; return 1
}
wait_for_checkpoints 3
BEFORE=$(pg "select count(*) from customer_engagements")
echo "rows before the crash: $BEFORE"

step "producing the second half and killing the TaskManager while it is processing"
scripts/kafka-local.sh produce call_log "$WORK/data/call_log.part01" &
PRODUCER_PID=$!
scripts/kafka-local.sh produce clickstream "$WORK/data/clickstream.part01"
wait "$PRODUCER_PID"
scripts/flink-local.sh kill-taskmanager
AT_CRASH=$(pg "select count(*) from customer_engagements")
echo "rows at the crash: $AT_CRASH"
sleep 3
scripts/flink-local.sh start-taskmanager

step "waiting for the restored job to catch up"
GOT=0
for _ in $(seq 180); do
  GOT=$(pg "select count(*) from customer_engagements")
  [[ $GOT -ge $EXPECTED ]] && break; sleep 1
done
sleep 5
GOT=$(pg "select count(*) from customer_engagements")
DISTINCT=$(pg "select count(distinct (user_id, engagement_datetime, engagement_type, engagement_source_id)) from customer_engagements")
RESTARTS=$(curl -sf "localhost:8081/jobs/$JOB" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j.get("state"))')
LOST=$(( EXPECTED > GOT ? EXPECTED - GOT : 0 ))
DUPLICATED=$(( GOT - DISTINCT ))
EXTRA=$(( GOT > EXPECTED ? GOT - EXPECTED : 0 ))
echo
printf '%-12s %8s\n' expected "$EXPECTED" got "$GOT" lost "$LOST" duplicated "$DUPLICATED" extra "$EXTRA" "job state" "$RESTARTS"
if [[ $LOST -eq 0 && $DUPLICATED -eq 0 && $EXTRA -eq 0 ]]; then
  echo "PASS: every distinct engagement exactly once after the crash and restore"
else
  echo "FAIL: see $JOB_LOG and $WORK/flink/log"; exit 1
fi
