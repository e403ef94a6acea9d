#!/usr/bin/env bash
# Partitions added while a stream runs: a streaming job on a real Flink session cluster reads raw
# topics of 2 partitions into PostgreSQL; once it has checkpointed, both topics grow to 4
# partitions and the second half of the records is produced into the new partitions only. Then it
# waits for the table, and prints whether the running job read the new partitions (expected,
# got, lost, duplicated, late). If it did not, the job is stopped with a savepoint and resumed from
# it, as an operator would, and the table is checked again. Exits non-zero unless the table ends
# with every expected engagement exactly once and none late.
#
#   scripts/partitions-added-check.sh [RECORDS_PER_SOURCE]   (default 5000)
#   WAIT_SECONDS=120 scripts/partitions-added-check.sh      how long the running job gets
#
# Starts (and stops) its own Kafka (:59092), PostgreSQL (:55432) and Flink (REST :58081, RPC
# :58123) from Maven artifacts; state in .local/partitions-check. Needs Java, Maven and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
RECORDS=${1:-5000}
WAIT_SECONDS=${WAIT_SECONDS:-120}
export KAFKA_PORT=59092 PGPORT=55432 FLINK_REST_PORT=58081 FLINK_RPC_PORT=58123 SLOTS=2
export C360_LOCAL_DIR=$PWD/.local/partitions-check
source scripts/lib.sh
WORK=$STATE_DIR
fresh_state_dir
trap stop_servers EXIT

topics() { java -cp "$(tool_classpath)" dev.customer360.pipeline.tools.KafkaTool topics "localhost:$KAFKA_PORT" "$@"; }

start_servers

step "generating $RECORDS records per source; the first half into topics of 2 partitions"
EXPECTED=$(generate_records "$WORK/data" "$RECORDS" now-70m)
topics 2 call_log clickstream
produce call_log "$WORK/data/call_log.part00"
produce clickstream "$WORK/data/clickstream.part00"

step "submitting the streaming job (parallelism 2, checkpoint every 2 s)"
JDBC="jdbc:postgresql://localhost:$PGPORT/postgres"
submit_stream "$WORK/job-client.log" --sinks=postgres --jdbcUrl="$JDBC" --createTables \
  --groupId=partitions-check --parallelism=2 --maxParallelism=128
wait_checkpoints 3 || { echo "FAIL: no checkpoint completed in 2 min; see $WORK/flink/log"; exit 1; }
echo "rows before the new partitions: $(pg_count)"

step "growing both topics to 4 partitions; the second half goes into the new ones only"
topics 4 call_log clickstream
produce call_log:2 "$WORK/data/call_log.part01"
produce clickstream:3 "$WORK/data/clickstream.part01"

check() { # LABEL: compares the table with the expected engagements, prints a line, sets LOST etc.
  pg_keys "$WORK/got"
  read -r GOT LOST DUPLICATED EXTRA < <(compare pg "$WORK/data/expected-engagements.jsonl" "$WORK/got")
  LATE=$(pg_late)
  printf '%-34s expected %s, got %s, lost %s, duplicated %s, extra %s, late %s; job: %s\n' \
    "$1" "$EXPECTED" "$GOT" "$LOST" "$DUPLICATED" "$EXTRA" "$LATE" "$(job_said)"
}

step "waiting up to $WAIT_SECONDS s for the running job"
wait_until pg_count "$EXPECTED" "$WAIT_SECONDS" || true
sleep 5
check "running job, partitions added:"
READ_BY_RUNNING=$([[ $LOST == 0 ]] && echo yes || echo no)

if [[ $READ_BY_RUNNING == no ]]; then
  step "stopping the job with a savepoint and resuming it from there"
  SAVEPOINTS=$WORK/savepoints
  REQUEST=$(flink_rest "/jobs/$JOB/stop" -X POST -H 'Content-Type: application/json' \
    -d "{\"targetDirectory\": \"file://$SAVEPOINTS\", \"drain\": false}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["request-id"])')
  SAVEPOINT=
  for _ in $(seq 240); do
    SAVEPOINT=$(flink_rest "/jobs/$JOB/savepoints/$REQUEST" | python3 -c 'import json,sys
d=json.load(sys.stdin)
print(d.get("operation", {}).get("location", "") if d["status"]["id"] == "COMPLETED" else "")' 2>/dev/null || true)
    [[ -n $SAVEPOINT ]] && break
    sleep 0.5
  done
  [[ -n $SAVEPOINT ]] || { echo "FAIL: no savepoint within 2 min"; exit 1; }
  for _ in $(seq 60); do kill -0 "$CLIENT_PID" 2>/dev/null || break; sleep 0.5; done
  echo "savepoint $SAVEPOINT"
  submit_stream "$WORK/job-client-resumed.log" --sinks=postgres --jdbcUrl="$JDBC" \
    --groupId=partitions-check --parallelism=2 --maxParallelism=128 --savepointPath="$SAVEPOINT"
  wait_until pg_count "$EXPECTED" "$WAIT_SECONDS" || true
  sleep 5
  check "resumed from a savepoint:"
fi

echo
echo "new partitions read by the running job: $READ_BY_RUNNING"
if [[ $LOST == 0 && $DUPLICATED == 0 && $EXTRA == 0 && $LATE == 0 ]]; then
  echo "PASS: every distinct engagement exactly once, none late"
else
  echo "FAIL: see $WORK/job-client*.log and $WORK/flink/log"; exit 1
fi
