#!/usr/bin/env bash
# Crash-and-restore check: a streaming job on a real Flink session cluster reads Kafka with
# checkpointing and upserts into PostgreSQL; its TaskManager is killed (-9) mid-stream and a new
# one started; Flink restores the job from its latest checkpoint. Passes (exit 0) only if the
# table then holds every distinct engagement the generator expects exactly once (nothing lost,
# nothing doubled, nothing else) and no engagement was dead-lettered as late.
#
#   scripts/crash-restore-check.sh [RECORDS_PER_SOURCE]      (default 20000)
#
# Starts (and stops) its own Kafka (:19092), PostgreSQL (:15432) and Flink (:8081) from Maven
# artifacts; needs only Java, Maven and python3. Takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
RECORDS=${1:-20000}
export KAFKA_PORT=19092 PGPORT=15432 C360_LOCAL_DIR=$PWD/.local/crash-check
source scripts/lib.sh
WORK=$STATE_DIR
fresh_state_dir
trap stop_servers EXIT

start_servers

step "generating $RECORDS records per source (event times in the last 70 min, ~8% re-delivered, some bad)"
EXPECTED=$(generate_records "$WORK/data" "$RECORDS" now-70m)
# Two halves: one before the crash, one after.
produce call_log "$WORK/data/call_log.part00"
produce clickstream "$WORK/data/clickstream.part00"

step "submitting the streaming job (checkpoint every 2 s)"
submit_stream "$WORK/job-client.log" --sinks=postgres \
  --jdbcUrl="jdbc:postgresql://localhost:$PGPORT/postgres" --createTables --groupId=crash-check
wait_checkpoints 3 || { echo "FAIL: no checkpoint completed in 2 min; see $WORK/flink/log"; exit 1; }
echo "rows before the crash: $(pg_count)"

step "producing the second half and killing the TaskManager while it is processing"
produce call_log "$WORK/data/call_log.part01" &
PRODUCER_PID=$!
produce clickstream "$WORK/data/clickstream.part01"
wait "$PRODUCER_PID"
scripts/flink-local.sh kill-taskmanager
echo "rows at the crash: $(pg_count)"
sleep 3
scripts/flink-local.sh start-taskmanager

step "waiting for the restored job to catch up"
wait_until pg_count "$EXPECTED" 180 || true
sleep 5
pg_keys "$WORK/got"
read -r GOT LOST DUPLICATED EXTRA < <(compare pg "$WORK/data/expected-engagements.jsonl" "$WORK/got")
LATE=$(pg_late)
echo
printf '%-12s %s\n' expected "$EXPECTED" got "$GOT" lost "$LOST" duplicated "$DUPLICATED" extra "$EXTRA" \
  "late" "$LATE" "job said" "$(job_said)"
if [[ $LOST == 0 && $DUPLICATED == 0 && $EXTRA == 0 && $LATE == 0 ]]; then
  echo "PASS: every distinct engagement exactly once after the crash and restore, none late"
else
  echo "FAIL: see $WORK/job-client.log and $WORK/flink/log"; exit 1
fi
