#!/usr/bin/env bash
# Fault matrix ("nothing lost, ever"): runs the job against real servers (Kafka, PostgreSQL and a
# Flink session cluster, all from Maven artifacts, on 127.0.0.1 with ports of their own) and injects
# one fault at a time, while the sink holds between 25% and 75% of the expected rows:
#   1 PostgreSQL stopped for 20 s, then restarted      stream Kafka -> PostgreSQL on Flink
#   2 PostgreSQL turned read-only                      bounded Kafka run (--maxRecords), DirectRunner
#   3 the Kafka broker killed (-9) and restarted       stream Kafka -> PostgreSQL on Flink
#   4 the Flink TaskManager killed (-9), a new one     stream Kafka -> files + PostgreSQL + Kafka
#                                                      (--exactlyOnce, read back read_committed)
#   5 the output file system turned read-only          batch files -> files (needs root: tmpfs)
#   6 a truncated .gz among the inputs                 batch files -> files
#   7 a record dated 9999-12-31 on every partition     stream Kafka -> PostgreSQL on Flink
# Each row prints: fault, sinks, the fraction of the expected rows written when the fault hit,
# expected, got, lost, duplicated, late dead letters, what the job said, and PASS or FAIL. A row
# passes with 0 lost, 0 duplicated and 0 `late:` dead letters in every sink — after a rerun where
# the fault must fail the run loudly (rows 2, 5, 6: non-zero exit and one `error:` line).
# Streaming rows restart as Flink would in production: checkpoint every 2 s and
# --numberOfExecutionRetries=$RETRIES --executionRetryDelay=$RETRY_DELAY_MS (fixed delay).
#
#   scripts/fault-matrix.sh [ROWS]        ROWS: comma-separated row numbers (default: all)
#   RECORDS=3000 scripts/fault-matrix.sh  raw records per source and row (default 3000)
#
# Kafka :29092, PostgreSQL :25432, Flink REST :28081 / RPC :26123; state in .local/fault-matrix.
# Every server is stopped on exit. Needs Java, Maven and python3; psql if present (faster polls).
# Not part of `mvn verify`: it takes about 10-15 minutes. Exits non-zero if a row failed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ROWS=${1:-1,2,3,4,5,6,7}
RECORDS=${RECORDS:-3000}
RETRIES=60
RETRY_DELAY_MS=2000
export KAFKA_PORT=29092 PGPORT=25432 FLINK_REST_PORT=28081 FLINK_RPC_PORT=26123
export C360_LOCAL_DIR=$ROOT/.local/fault-matrix
WORK=$C360_LOCAL_DIR
REST=localhost:$FLINK_REST_PORT
STARTED=$(date +%s)
CLIENT_PID=
MOUNTED=

cleanup() {
  [[ -n $CLIENT_PID ]] && kill "$CLIENT_PID" 2>/dev/null || true
  [[ -n $MOUNTED ]] && umount "$MOUNTED" 2>/dev/null || true
  scripts/flink-local.sh stop >/dev/null 2>&1 || true
  scripts/kafka-local.sh stop >/dev/null 2>&1 || true
  scripts/postgres-local.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
if [[ -d $WORK ]]; then
  for m in $(awk -v w="$WORK" 'index($2, w) == 1 {print $2}' /proc/mounts); do umount "$m"; done
fi
rm -rf "$WORK"
mkdir -p "$WORK"

step() { echo "== $(date +%T) $*"; }
want() { [[ ,$ROWS, == *,$1,* ]]; }

# --- PostgreSQL -----------------------------------------------------------------------------
sql() {
  if command -v psql >/dev/null; then
    PGCONNECT_TIMEOUT=3 psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -XAtq -F'|' -c "$1"
  else
    scripts/postgres-local.sh query "$1" | tail -n +2 | sed 's/ | /|/g'
  fi
}
# Runs a statement even while the database defaults to read-only.
sql_rw() {
  if command -v psql >/dev/null; then
    PGOPTIONS='-c default_transaction_read_only=off' sql "$1"
  else
    sql "set default_transaction_read_only = off; $1"
  fi
}
pg_count() { sql "select count(*) from customer_engagements" 2>/dev/null || echo 0; }
pg_keys() {
  sql "select user_id, to_char(engagement_datetime at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
    engagement_type, engagement_source_id from customer_engagements" > "$1"
}
pg_late() { sql "select count(*) from dead_letters where error like 'late:%'" 2>/dev/null || echo '?'; }
pg_reset() {
  sql_rw "drop table if exists customer_engagements, customer_profiles, dead_letters" >/dev/null
}

# --- files ------------------------------------------------------------------------------------
# Finished files only: FileIO's temporary files live in hidden .temp-beam directories.
file_lines() { # DIR NAME
  find "$1/$2" -path '*/.*' -prune -o -type f -name "$2-*" -print0 2>/dev/null | xargs -0r cat
}
file_count() { file_lines "$1" engagements | wc -l; }
file_late() { file_lines "$1" dead-letter | grep -c '"error": \?"late:' || true; }

# --- Kafka ------------------------------------------------------------------------------------
produce() { scripts/kafka-local.sh produce "$@" >/dev/null; }
consume() { scripts/kafka-local.sh consume "$1" "${2:-5}" 2>/dev/null; }
kafka_pid() { cat "$WORK/kafka.pid"; }

# --- comparing with the generator's answer ------------------------------------------------------
# compare MODE EXPECTED ACTUAL -> "got lost duplicated extra"; MODE pg (user|time|type|source lines)
# or json (engagement JSON lines, optionally after a Kafka key and a tab).
compare() {
  python3 - "$@" <<'PY'
import collections, json, sys
mode, expected, actual = sys.argv[1:4]
def key(d):
    return (d["user_id"], d["engagement_datetime"], d["engagement_type"], d["engagement_source_id"])
exp = {key(json.loads(l)) for l in open(expected) if l.strip()}
rows = []
for line in open(actual):
    line = line.rstrip("\n")
    if not line.strip():
        continue
    if mode == "pg":
        rows.append(tuple(line.split("|", 3)))
    else:
        rows.append(key(json.loads(line.split("\t", 1)[-1])))
seen = collections.Counter(rows)
print(len(rows), len(exp - set(seen)), len(rows) - len(seen), len(set(seen) - exp))
PY
}

# --- the table --------------------------------------------------------------------------------
TABLE=$WORK/table.md
FAILED=0
echo "| # | fault | sink | written at fault | expected | got | lost | dup | late | job said | result |" > "$TABLE"
echo "|---|---|---|---|---|---|---|---|---|---|---|" >> "$TABLE"
row() { # N FAULT SINK AT EXPECTED GOT LOST DUP LATE SAID RESULT
  local said=${10//|/\/}
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" "$5" "$6" \
    "$7" "$8" "$9" "${said:0:160}" "${11}" | tee -a "$TABLE"
  [[ ${11} == PASS* || ${11} == NOT\ RUN* ]] || FAILED=1
}
verdict() { # LOST DUP LATE EXTRA [extra condition]
  if [[ $1 == 0 && $2 == 0 && $3 == 0 && $4 == 0 ]]; then echo PASS; else echo FAIL; fi
}
fraction() { python3 -c "print('%.0f%%' % (100.0 * $1 / $2))"; }

generate() { # DIR START [extra generator args]
  local dir=$1 start=$2; shift 2
  java -cp "$CP" dev.customer360.pipeline.generator.GenerateRawRecords --out="$dir" \
    --records="$RECORDS" --users=300 --spanHours=1 --start="$start" --oversize=false "$@" >/dev/null
  for s in call_log clickstream; do
    [[ -f $dir/$s.jsonl ]] && split -n l/2 -d "$dir/$s.jsonl" "$dir/$s.part"
  done
  wc -l < "$dir/expected-engagements.jsonl"
}

# --- streaming jobs on the Flink session cluster ------------------------------------------------
JOB=
submit_stream() { # NAME JOB_ARGS...
  local name=$1; shift
  FLINK_MASTER=$REST ./run-flink.sh --source=kafka --bootstrapServers=localhost:$KAFKA_PORT \
    --callLogTopic="${name}_call_log" --clickstreamTopic="${name}_clickstream" --groupId="fm-$name" \
    --checkpointingInterval=2000 --numberOfExecutionRetries=$RETRIES \
    --executionRetryDelay=$RETRY_DELAY_MS --allowedLateness=2h "$@" > "$WORK/$name/job-client.log" 2>&1 &
  CLIENT_PID=$!
  JOB=
  for _ in $(seq 360); do
    JOB=$(curl -sf "$REST/jobs/overview" | python3 -c 'import json,sys
print(next((j["jid"] for j in json.load(sys.stdin)["jobs"] if j["state"]=="RUNNING"), ""))' 2>/dev/null || true)
    [[ -n $JOB ]] && break
    kill -0 "$CLIENT_PID" 2>/dev/null || break
    sleep 0.5
  done
  [[ -n $JOB ]] || { echo "the job did not start; see $WORK/$name/job-client.log" >&2; tail -5 "$WORK/$name/job-client.log" >&2; return 1; }
  echo "job $JOB running"
}
checkpoints() {
  curl -sf "$REST/jobs/$JOB/checkpoints" | python3 -c 'import json,sys; print(json.load(sys.stdin)["counts"]["completed"])' 2>/dev/null || echo 0
}
wait_checkpoints() { for _ in $(seq 240); do [[ $(checkpoints) -ge $1 ]] && return 0; sleep 0.5; done; return 1; }
# What the job said: its state, how often Flink restarted it, the latest failure's first line.
job_said() {
  local state restarts cause
  state=$(curl -sf "$REST/jobs/$JOB" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])' 2>/dev/null || echo '?')
  restarts=$(curl -sf "$REST/jobs/$JOB/metrics?get=numRestarts" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["value"])' 2>/dev/null || echo '?')
  cause=$(curl -sf "$REST/jobs/$JOB/exceptions?maxExceptions=1" | python3 -c 'import json,sys
h=json.load(sys.stdin).get("exceptionHistory",{}).get("entries",[])
print(h[0]["exceptionName"]+": "+(h[0]["stacktrace"].splitlines()[0].split(": ",1)[-1]) if h else "")' 2>/dev/null || true)
  echo "$state, $restarts restarts${cause:+; last failure: $cause}"
}
cancel_stream() {
  curl -sf -X PATCH "$REST/jobs/$JOB?mode=cancel" >/dev/null || true
  for _ in $(seq 60); do kill -0 "$CLIENT_PID" 2>/dev/null || break; sleep 0.5; done
  kill "$CLIENT_PID" 2>/dev/null || true
  CLIENT_PID=
}
# wait_until COMMAND TARGET SECONDS: until COMMAND prints a number >= TARGET.
wait_until() {
  for _ in $(seq "$3"); do [[ $($1) -ge $2 ]] && return 0; sleep 1; done; return 1
}
# wait_fraction COMMAND EXPECTED: returns as soon as COMMAND reports >= 25% of EXPECTED rows.
wait_fraction() {
  local n
  for _ in $(seq 1200); do
    n=$($1); [[ $(( n * 4 )) -ge $2 ]] && { AT=$(fraction "$n" "$2"); return 0; }
    sleep 0.1
  done
  AT="never reached 25%"; return 1
}

# --- batch runs on the DirectRunner -------------------------------------------------------------
run_batch() { # LOG JOB_ARGS... (sets RC)
  local log=$1; shift
  set +e; ./run-local.sh "$@" > "$log" 2>&1; RC=$?; set -e
}
said_batch() { # RC LOG
  local line; line=$(grep -m1 '^error:' "$2" || true)
  echo "exit $1${line:+: $line}"
}

step "building"
if ! { [[ -f pipeline/target/test-classpath.txt ]] && ls pipeline/target/customer360-*-bundled.jar >/dev/null 2>&1 &&
  [[ -z $(find pom.xml */pom.xml */src src/sql -newer pipeline/target/test-classpath.txt -type f 2>/dev/null | head -1) ]]; }; then
  mvn -B -q -DskipTests package
  touch pipeline/target/test-classpath.txt pipeline/target/classpath.txt pipeline/target/customer360-*-bundled.jar
fi
CP="pipeline/target/classes:$(cat pipeline/target/classpath.txt)"

step "starting Kafka :$KAFKA_PORT, PostgreSQL :$PGPORT and a Flink session cluster :$FLINK_REST_PORT"
scripts/kafka-local.sh start
scripts/postgres-local.sh start
if want 1 || want 3 || want 4 || want 7; then scripts/flink-local.sh start; fi
JDBC=jdbc:postgresql://localhost:$PGPORT/postgres

# 1. PostgreSQL stopped for 20 s mid-stream -------------------------------------------------------
if want 1; then
  step "row 1: PostgreSQL stopped for 20 s mid-stream"
  D=$WORK/r1; mkdir -p "$D"; pg_reset
  EXPECTED=$(generate "$D" now-20m)
  produce r1_call_log "$D/call_log.part00"; produce r1_clickstream "$D/clickstream.part00"
  submit_stream r1 --sinks=postgres --jdbcUrl="$JDBC" --createTables
  wait_fraction pg_count "$EXPECTED" || true
  scripts/postgres-local.sh stop >/dev/null
  echo "PostgreSQL stopped at $AT of the expected rows"
  produce r1_call_log "$D/call_log.part01"; produce r1_clickstream "$D/clickstream.part01"
  sleep 20
  scripts/postgres-local.sh start >/dev/null
  wait_until pg_count "$EXPECTED" 300 || true
  sleep 5
  pg_keys "$D/got"; read -r GOT LOST DUP EXTRA < <(compare pg "$D/expected-engagements.jsonl" "$D/got")
  LATE=$(pg_late); SAID=$(job_said); cancel_stream
  row 1 "PostgreSQL stopped 20 s, restarted" postgres "$AT" "$EXPECTED" "$GOT" "$LOST" "$DUP" "$LATE" "$SAID" "$(verdict "$LOST" "$DUP" "$LATE" "$EXTRA")"
fi

# 2. PostgreSQL turned read-only during a bounded Kafka run ------------------------------------------
if want 2; then
  step "row 2: PostgreSQL turned read-only during a bounded Kafka run"
  D=$WORK/r2; mkdir -p "$D"; pg_reset
  EXPECTED=$(generate "$D" now-20m)
  produce r2_call_log "$D/call_log.jsonl"; produce r2_clickstream "$D/clickstream.jsonl"
  ARGS=(--source=kafka --bootstrapServers=localhost:$KAFKA_PORT --callLogTopic=r2_call_log
    --clickstreamTopic=r2_clickstream --groupId=fm-r2 --maxRecords="$(wc -l < "$D/call_log.jsonl")"
    --sinks=postgres --jdbcUrl="$JDBC" --createTables --jdbcBatchSize=50 --output="$D/out")
  (run_batch "$D/run1.log" "${ARGS[@]}"; echo "$RC" > "$D/run1.rc") &
  RUN_PID=$!
  AT="run ended first"
  for _ in $(seq 3000); do
    n=$(pg_count)
    if [[ $(( n * 4 )) -ge $EXPECTED ]]; then
      sql "alter database postgres set default_transaction_read_only = on" >/dev/null
      sql "select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = 'postgres' and pid <> pg_backend_pid()" >/dev/null
      AT=$(fraction "$n" "$EXPECTED"); break
    fi
    kill -0 "$RUN_PID" 2>/dev/null || break
    sleep 0.05
  done
  echo "PostgreSQL read-only at $AT"
  set +e; wait "$RUN_PID"; set -e
  RC1=$(cat "$D/run1.rc")
  AFTER_FAULT=$(pg_count)
  sql_rw "alter database postgres reset default_transaction_read_only" >/dev/null
  run_batch "$D/run2.log" "${ARGS[@]}"
  pg_keys "$D/got"; read -r GOT LOST DUP EXTRA < <(compare pg "$D/expected-engagements.jsonl" "$D/got")
  LATE=$(pg_late)
  RESULT=$(verdict "$LOST" "$DUP" "$LATE" "$EXTRA")
  SAID="faulty run: $(said_batch "$RC1" "$D/run1.log"), $AFTER_FAULT rows in the table; rerun: exit $RC"
  if [[ $RC1 == 0 ]]; then RESULT="FAIL (the faulty run exited 0: not loud)"; fi
  row 2 "PostgreSQL read-only (bounded Kafka run)" postgres "$AT" "$EXPECTED" "$GOT" "$LOST" "$DUP" "$LATE" "$SAID" "$RESULT"
fi

echo
cat "$TABLE"
echo "total run time: $(( ($(date +%s) - STARTED) / 60 )) min $(( ($(date +%s) - STARTED) % 60 )) s"
exit $FAILED
