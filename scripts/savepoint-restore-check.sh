#!/usr/bin/env bash
# Savepoint-and-rescale check: a streaming job on a real Flink session cluster reads Kafka with
# checkpointing (a fixed --maxParallelism) and upserts into PostgreSQL. Mid-stream it is stopped
# with a savepoint (Flink's REST stop, no drain: windows and dedup state stay open in the
# savepoint); more records are produced while it is stopped; then the job is resumed from the
# savepoint at another parallelism. Passes (exit 0) only if
#   - the resumed job restored the savepoint (its checkpoint statistics name it),
#   - the table holds every distinct engagement the generator expects exactly once (nothing lost,
#     nothing doubled, nothing else),
#   - no engagement was dead-lettered as late: (a source that replays would show here; dedup and
#     the upserts would hide it in the table),
#   - every Kafka split of the resumed readers came from the savepoint (none handed out afresh by
#     the source's split enumerator, which would read its partition a second time),
#   - the two jobs together read every raw record exactly once (their run summaries' records
#     read): the Kafka offsets in the savepoint are where the first job stopped.
# The resumed job is stopped with a savepoint too at the end (its run summary says what it read).
#
#   scripts/savepoint-restore-check.sh [RECORDS_PER_SOURCE] [PARALLELISM_BEFORE] [PARALLELISM_AFTER]
#                                       (defaults 5000 2 1)
#
# Starts (and stops) its own Kafka (:39092, raw topics of 2 partitions), PostgreSQL (:35432) and
# Flink (REST :38081, RPC :36123; one TaskManager with max(BEFORE, AFTER) slots) from Maven
# artifacts; state in .local/savepoint-check. Needs only Java, Maven and python3. Takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
RECORDS=${1:-5000}
P_BEFORE=${2:-2}
P_AFTER=${3:-1}
# Fixed before the first savepoint: the number of key groups, which bounds every later parallelism.
MAX_PARALLELISM=128
for n in "$RECORDS" "$P_BEFORE" "$P_AFTER"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [RECORDS_PER_SOURCE] [PARALLELISM_BEFORE] [PARALLELISM_AFTER] (positive integers)" >&2; exit 2; }
done
if (( P_BEFORE > MAX_PARALLELISM || P_AFTER > MAX_PARALLELISM )); then
  echo "a parallelism above $MAX_PARALLELISM (the job's --maxParallelism) cannot restore the savepoint" >&2; exit 2
fi
export KAFKA_PORT=39092 PGPORT=35432 FLINK_REST_PORT=38081 FLINK_RPC_PORT=36123
export SLOTS=$(( P_BEFORE > P_AFTER ? P_BEFORE : P_AFTER ))
export C360_LOCAL_DIR=$PWD/.local/savepoint-check
source scripts/lib.sh
WORK=$STATE_DIR
DATA=$WORK/data
fresh_state_dir
trap stop_servers EXIT

fail() { echo "FAIL: $*"; exit 1; }
now() { date +%s.%N; }
seconds_since() { python3 -c "print('%.1f s' % ($(now) - $1))"; }

# stop_with_savepoint: stops $JOB with a savepoint below $WORK/savepoints, without draining (open
# windows and dedup ids go into the savepoint, not out as final results); sets SAVEPOINT.
stop_with_savepoint() {
  local trigger status
  trigger=$(flink_rest "/jobs/$JOB/stop" -X POST -H 'Content-Type: application/json' \
    -d "{\"targetDirectory\": \"file://$WORK/savepoints\", \"drain\": false}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["request-id"])') ||
    fail "Flink did not accept stopping job $JOB with a savepoint; see $WORK/flink/log/jobmanager.log"
  for _ in $(seq 600); do
    status=$(flink_rest "/jobs/$JOB/savepoints/$trigger" | python3 -c 'import json,sys
r=json.load(sys.stdin); op=r.get("operation") or {}
if r["status"]["id"] != "COMPLETED":
    print("IN_PROGRESS")
elif "location" in op:
    print("OK " + op["location"])
else:
    lines=op.get("failure-cause",{}).get("stack-trace","?").splitlines()
    causes=[l.strip() for l in lines if l.startswith("Caused by:")]
    print("FAILED " + (causes[-1] if causes else lines[0]))' || echo IN_PROGRESS)
    case $status in
      OK*) SAVEPOINT=${status#OK }; return 0 ;;
      FAILED*) fail "the savepoint of job $JOB failed: ${status#FAILED }" ;;
    esac
    sleep 0.2
  done
  fail "the savepoint of job $JOB did not complete in 2 min; see $WORK/flink/log/jobmanager.log"
}

# wait_client LOG: waits for the stopped job's client to end; it must exit 0 with a run summary.
wait_client() {
  local rc=0
  for _ in $(seq 240); do kill -0 "$CLIENT_PID" 2>/dev/null || break; sleep 0.5; done
  wait "$CLIENT_PID" || rc=$?
  CLIENT_PID=
  [[ $rc == 0 ]] || fail "the client of job $JOB exited $rc after the stop with a savepoint; see $1"
}

# records_read LOG: raw records the job read, from the total line of its run summary.
records_read() {
  awk '$1 == "total" && NF == 4 { n = $2 } END { print n + 0 }' "$1"
}

# parallelism: the highest parallelism among the running job's operators.
parallelism() {
  flink_rest "/jobs/$JOB" | python3 -c 'import json,sys; print(max(v["parallelism"] for v in json.load(sys.stdin)["vertices"]))'
}

# restored_from: the savepoint or checkpoint the running job restored (empty before it did).
restored_from() {
  flink_rest "/jobs/$JOB/checkpoints" | python3 -c 'import json,sys
r=(json.load(sys.stdin).get("latest") or {}).get("restored") or {}
print(r.get("external_path", ""))' 2>/dev/null || true
}

STARTED=$(now)
start_servers

step "generating $RECORDS records per source (event times in the last 70 min, ~8% re-delivered, some bad)"
EXPECTED=$(generate_records "$DATA" "$RECORDS" now-70m)
RAW=$(cat "$DATA/call_log.jsonl" "$DATA/clickstream.jsonl" | grep -cv '^[[:space:]]*$')
# Quarters: two before the job starts, one while it is being stopped, one while it is stopped.
for s in call_log clickstream; do
  split -n l/2 -d "$DATA/$s.part00" "$DATA/$s.q0"
  split -n l/2 -d "$DATA/$s.part01" "$DATA/$s.q1"
done
produce call_log "$DATA/call_log.q000" "$DATA/call_log.q001"
produce clickstream "$DATA/clickstream.q000" "$DATA/clickstream.q001"

JOB_OPTS=(--sinks=postgres --jdbcUrl="jdbc:postgresql://localhost:$PGPORT/postgres" --createTables
  --groupId=savepoint-check --maxParallelism=$MAX_PARALLELISM)
step "submitting the streaming job at parallelism $P_BEFORE (checkpoint every 2 s, --maxParallelism=$MAX_PARALLELISM)"
submit_stream "$WORK/job1-client.log" "${JOB_OPTS[@]}" --parallelism="$P_BEFORE"
JOB1=$JOB
wait_fraction pg_count "$EXPECTED" || fail "the job wrote less than 25% of $EXPECTED engagements in 2 min; see $WORK/job1-client.log and $WORK/flink/log"

step "stopping job $JOB1 with a savepoint while the third quarter is being produced"
produce call_log "$DATA/call_log.q100" &
PRODUCER_PID=$!
produce clickstream "$DATA/clickstream.q100" &
PRODUCER2_PID=$!
SAID_BEFORE=$(job_said)
AT_STOP=$(pg_count)
STOPPED=$(now)
stop_with_savepoint
SAVEPOINT_TOOK=$(seconds_since "$STOPPED")
wait_client "$WORK/job1-client.log"
READ_BEFORE=$(records_read "$WORK/job1-client.log")
echo "savepoint $SAVEPOINT taken in $SAVEPOINT_TOOK; table at the stop: $AT_STOP rows ($(fraction "$AT_STOP" "$EXPECTED") of expected)"

step "producing the last quarter while the job is stopped"
wait "$PRODUCER_PID" && wait "$PRODUCER2_PID" || fail "producing the third quarter failed (Kafka at localhost:$KAFKA_PORT)"
produce call_log "$DATA/call_log.q101"
produce clickstream "$DATA/clickstream.q101"

step "resuming from the savepoint at parallelism $P_AFTER"
TM_LOG=$WORK/flink/log/taskmanager.log
TM_LOG_LINES=$(wc -l < "$TM_LOG")
submit_stream "$WORK/job2-client.log" "${JOB_OPTS[@]}" --parallelism="$P_AFTER" --savepointPath="$SAVEPOINT"
JOB2=$JOB
RESUMED=$(now)
DOWNTIME=$(seconds_since "$STOPPED")
RESTORED=
for _ in $(seq 120); do RESTORED=$(restored_from); [[ -n $RESTORED ]] && break; sleep 0.5; done
P_RUNNING=$(parallelism)

step "waiting for job $JOB2 to catch up"
wait_until pg_count "$EXPECTED" 300 || true
CATCH_UP=$(seconds_since "$RESUMED")
sleep 5
SAID_AFTER=$(job_said)
step "stopping job $JOB2 with a savepoint (its run summary counts what it read)"
FIRST_SAVEPOINT=$SAVEPOINT
stop_with_savepoint
wait_client "$WORK/job2-client.log"
READ_AFTER=$(records_read "$WORK/job2-client.log")

# The resumed readers' Kafka splits: restored from the savepoint (with their offsets), or handed
# out afresh by the source's split enumerator (those start at the group's committed offsets).
split_count() {
  tail -n +"$((TM_LOG_LINES + 1))" "$TM_LOG" | { grep 'FlinkSourceReaderBase.*Adding splits' || true; } |
    { grep -o "splitState.isNull=$1" || true; } | wc -l
}
SPLITS_RESTORED=$(split_count false)
SPLITS_FRESH=$(split_count true)
pg_keys "$WORK/got"
read -r GOT LOST DUPLICATED EXTRA < <(compare pg "$DATA/expected-engagements.jsonl" "$WORK/got")
LATE=$(pg_late)
DEAD=$(sql "select count(*) from dead_letters")

echo
FAILED=
check() { # OK DESCRIPTION
  if [[ $1 == 1 ]]; then echo "PASS  $2"; else echo "FAIL  $2"; FAILED=${FAILED:-$2}; fi
}
check "$([[ $RESTORED == "$FIRST_SAVEPOINT" ]] && echo 1)" \
  "restore: job $JOB2 restored ${RESTORED:-nothing} (savepoint of job $JOB1: $FIRST_SAVEPOINT, $(du -sh "${FIRST_SAVEPOINT#file:}" | cut -f1))"
check "$([[ $P_RUNNING == "$P_AFTER" ]] && echo 1)" \
  "rescale: parallelism $P_BEFORE before the savepoint, $P_RUNNING after (asked: $P_AFTER; max parallelism $MAX_PARALLELISM)"
check "$([[ $LOST == 0 && $DUPLICATED == 0 && $EXTRA == 0 ]] && echo 1)" \
  "engagements: expected $EXPECTED, got $GOT, lost $LOST, duplicated $DUPLICATED, extra $EXTRA"
check "$([[ $LATE == 0 ]] && echo 1)" "late dead letters: $LATE (of $DEAD dead letters in all)"
if [[ $SPLITS_FRESH == 0 && $SPLITS_RESTORED == 0 ]]; then
  # KafkaIO's splittable read (--partitionDiscoveryInterval) is no Flink source: it has no splits,
  # and the records-read check below is what shows a second read.
  echo "SKIP  Kafka splits: none logged (Kafka read by KafkaIO's splittable read, which has none)"
else
  check "$([[ $SPLITS_FRESH == 0 && $SPLITS_RESTORED -gt 0 ]] && echo 1)" \
    "Kafka splits of the resumed readers: $SPLITS_RESTORED restored from the savepoint, $SPLITS_FRESH handed out afresh (each fresh one reads its partition a second time)"
fi
check "$([[ $(( READ_BEFORE + READ_AFTER )) == "$RAW" ]] && echo 1)" \
  "raw records read: $READ_BEFORE before the savepoint + $READ_AFTER after = $(( READ_BEFORE + READ_AFTER )) of $RAW produced"
echo "job $JOB1 before its stop: $SAID_BEFORE"
echo "job $JOB2 before its stop: $SAID_AFTER"
echo "durations: savepoint $SAVEPOINT_TOOK, stopped to resumed job running $DOWNTIME, resumed to table complete $CATCH_UP, whole check $(seconds_since "$STARTED")"
echo "second savepoint (of the resumed job): $SAVEPOINT"
if [[ -n $FAILED ]]; then
  fail "$FAILED; see $WORK/job1-client.log, $WORK/job2-client.log and $WORK/flink/log"
fi
echo "PASS: restored from the savepoint at parallelism $P_AFTER; every distinct engagement exactly once, none late, every record read once"
