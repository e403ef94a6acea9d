#!/usr/bin/env bash
# Fault matrix ("nothing lost, ever"): runs the job against real servers (Kafka, PostgreSQL and a
# Flink session cluster, all from Maven artifacts, on 127.0.0.1 with ports of their own) and injects
# one fault at a time, while the sink holds between 25% and 75% of the expected rows:
#   1 PostgreSQL stopped for 20 s, then restarted      stream Kafka -> PostgreSQL on Flink
#   2 PostgreSQL turned read-only                      bounded Kafka run (--maxRecords), DirectRunner
#   3 the Kafka broker killed (-9) and restarted       stream Kafka -> PostgreSQL on Flink
#   4 the Flink TaskManager killed (-9), a new one     stream Kafka -> files + PostgreSQL + Kafka
#                                                      (--exactlyOnce, read back read_committed)
#   5 the output file system full (a filled tmpfs)     batch files -> files (needs root: tmpfs)
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
# Not part of `mvn verify`: it took 17 minutes on 2 busy cores. Exits non-zero if a row failed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ROWS=${1:-1,2,3,4,5,6,7}
RECORDS=${RECORDS:-3000}
RETRIES=60
RETRY_DELAY_MS=2000
export KAFKA_PORT=29092 PGPORT=25432 FLINK_REST_PORT=28081 FLINK_RPC_PORT=26123
export C360_LOCAL_DIR=$ROOT/.local/fault-matrix
source scripts/lib.sh
WORK=$STATE_DIR
STARTED=$(date +%s)
CLIENT_PID=
MOUNTED=

cleanup() {
  [[ -n $MOUNTED ]] && umount "$MOUNTED" 2>/dev/null || true
  stop_servers
}
trap cleanup EXIT
if [[ -d $WORK ]]; then
  for m in $(awk -v w="$WORK" 'index($2, w) == 1 {print $2}' /proc/mounts); do umount "$m"; done
fi
fresh_state_dir

want() { [[ ,$ROWS, == *,$1,* ]]; }

# --- PostgreSQL -----------------------------------------------------------------------------
# Runs a statement even while the database defaults to read-only.
sql_rw() {
  if command -v psql >/dev/null; then
    PGOPTIONS='-c default_transaction_read_only=off' sql "$1"
  else
    sql "set default_transaction_read_only = off; $1"
  fi
}
pg_reset() {
  sql_rw "drop table if exists customer_engagements, customer_profiles, dead_letters" >/dev/null
}

# --- files ------------------------------------------------------------------------------------
file_count() { file_lines "$1" engagements | wc -l; }
file_late() { file_lines "$1" dead-letter | grep -c '"error": \?"late:' || true; }

# --- Kafka ------------------------------------------------------------------------------------
consume() { scripts/kafka-local.sh consume "$1" "${2:-5}" 2>/dev/null; }
kafka_pid() { cat "$WORK/kafka.pid"; }

# --- the table --------------------------------------------------------------------------------
TABLE=$WORK/table.md
FAILED=0
echo "| # | fault | sink | written at fault | expected | got | lost | dup | late | job said | result |" > "$TABLE"
echo "|---|---|---|---|---|---|---|---|---|---|---|" >> "$TABLE"
row() { # N FAULT SINK AT EXPECTED GOT LOST DUP LATE SAID RESULT
  local said=${10//|/\/}
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" "$5" "$6" \
    "$7" "$8" "$9" "${said:0:400}" "${11}" | tee -a "$TABLE"
  [[ ${11} == PASS* || ${11} == NOT\ RUN* ]] || FAILED=1
}
verdict() { # LOST DUP LATE EXTRA [extra condition]
  if [[ $1 == 0 && $2 == 0 && $3 == 0 && $4 == 0 ]]; then echo PASS; else echo FAIL; fi
}

# Raw records per source and row; event times from START (rows use now-70m) over one hour.
generate() { # DIR START [extra generator args]
  local dir=$1 start=$2; shift 2
  generate_records "$dir" "$RECORDS" "$start" "$@"
}

# --- streaming jobs on the Flink session cluster ------------------------------------------------
submit_stream_row() { # NAME JOB_ARGS...: reads the row's own topics
  local name=$1; shift
  submit_stream "$WORK/$name/job-client.log" --callLogTopic="${name}_call_log" \
    --clickstreamTopic="${name}_clickstream" --groupId="fm-$name" "$@"
}

# --- batch runs on the DirectRunner -------------------------------------------------------------
run_batch() { # LOG JOB_ARGS... (sets RC)
  local log=$1; shift
  set +e; ./run-local.sh "$@" > "$log" 2>&1; RC=$?; set -e
}
said_batch() { # RC LOG
  local line; line=$(grep -m1 '^error:' "$2" | cut -c1-200 || true)
  echo "exit $1${line:+: $line}"
}

step "building"
build_job

step "starting Kafka :$KAFKA_PORT, PostgreSQL :$PGPORT and a Flink session cluster :$FLINK_REST_PORT"
scripts/kafka-local.sh start
scripts/postgres-local.sh start
if want 1 || want 3 || want 4 || want 7; then scripts/flink-local.sh start; fi
JDBC=jdbc:postgresql://localhost:$PGPORT/postgres

# 1. PostgreSQL stopped for 20 s mid-stream -------------------------------------------------------
if want 1; then
  step "row 1: PostgreSQL stopped for 20 s mid-stream"
  D=$WORK/r1; mkdir -p "$D"; pg_reset
  EXPECTED=$(generate "$D" now-70m)
  produce r1_call_log "$D/call_log.part00"; produce r1_clickstream "$D/clickstream.part00"
  submit_stream_row r1 --sinks=postgres --jdbcUrl="$JDBC" --createTables
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
  # A bounded run writes its rows in one burst at its end, which on an idle machine was over
  # (5280 of 5280 rows) before the fault took hold. Each row now waits 5 ms in a trigger, so the
  # burst lasts about half a minute and the fault strikes inside it.
  sql_rw "$(cat src/ddl/postgres.sql)
    create or replace function fm_slow_insert() returns trigger language plpgsql
      as 'begin perform pg_sleep(0.005); return new; end';
    create trigger fm_slow_insert before insert on customer_engagements
      for each row execute function fm_slow_insert();" >/dev/null
  EXPECTED=$(generate "$D" now-70m)
  produce r2_call_log "$D/call_log.jsonl"; produce r2_clickstream "$D/clickstream.jsonl"
  ARGS=(--source=kafka --bootstrapServers=localhost:$KAFKA_PORT --callLogTopic=r2_call_log
    --clickstreamTopic=r2_clickstream --groupId=fm-r2 --maxRecords="$(wc -l < "$D/call_log.jsonl")"
    --maxReadTime=2m --sinks=postgres --jdbcUrl="$JDBC" --createTables --jdbcBatchSize=10
    --output="$D/out")
  (run_batch "$D/run1.log" "${ARGS[@]}"; echo "$RC" > "$D/run1.rc") &
  RUN_PID=$!
  AT="run ended first"
  for _ in $(seq 3000); do
    n=$(pg_count)
    # The rows arrive in one burst at the end of a bounded run, slowed down above: strike once a
    # quarter is in, report how many were in when it held.
    if [[ $n -ge $((EXPECTED / 4)) ]]; then
      # One session: read-only for every new session, end the current ones, count what is in.
      n=$(sql "alter database postgres set default_transaction_read_only = on;
        select count(pg_terminate_backend(pid)) from pg_stat_activity
          where datname = 'postgres' and pid <> pg_backend_pid();
        select count(*) from customer_engagements" | tail -1)
      AT="$(fraction "$n" "$EXPECTED") when it took hold"; break
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

# 3. The Kafka broker killed (-9) and restarted mid-stream --------------------------------------------
if want 3; then
  step "row 3: the Kafka broker killed (-9) and restarted mid-stream"
  D=$WORK/r3; mkdir -p "$D"; pg_reset
  EXPECTED=$(generate "$D" now-70m)
  produce r3_call_log "$D/call_log.part00"; produce r3_clickstream "$D/clickstream.part00"
  submit_stream_row r3 --sinks=postgres --jdbcUrl="$JDBC" --createTables
  wait_fraction pg_count "$EXPECTED" || true
  kill -9 "$(kafka_pid)"
  echo "Kafka killed at $AT of the expected rows"
  sleep 10
  scripts/kafka-local.sh start >/dev/null
  produce r3_call_log "$D/call_log.part01"; produce r3_clickstream "$D/clickstream.part01"
  wait_until pg_count "$EXPECTED" 300 || true
  sleep 5
  pg_keys "$D/got"; read -r GOT LOST DUP EXTRA < <(compare pg "$D/expected-engagements.jsonl" "$D/got")
  LATE=$(pg_late); SAID=$(job_said); cancel_stream
  row 3 "Kafka broker kill -9, restarted after 10 s" postgres "$AT" "$EXPECTED" "$GOT" "$LOST" "$DUP" "$LATE" "$SAID" "$(verdict "$LOST" "$DUP" "$LATE" "$EXTRA")"
fi

# 4. The Flink TaskManager killed (-9) and replaced, three sinks at once -------------------------------
if want 4; then
  step "row 4: the Flink TaskManager killed (-9) and replaced; files, PostgreSQL and Kafka (exactly once)"
  D=$WORK/r4; mkdir -p "$D"; pg_reset
  # Event times 80 to 20 minutes ago and 5-minute windows: every window's file is written once the
  # caught-up partitions' watermark (now - 10 min) passes it.
  EXPECTED=$(generate "$D" now-80m)
  produce r4_call_log "$D/call_log.part00"; produce r4_clickstream "$D/clickstream.part00"
  submit_stream_row r4 --sinks=files,postgres,kafka --exactlyOnce --jdbcUrl="$JDBC" --createTables \
    --output="$D/out" --window=5m --engagementsTopic=r4_engagements --profilesTopic=r4_profiles \
    --deadLetterTopic=r4_dead_letters
  wait_fraction pg_count "$EXPECTED" || true
  scripts/flink-local.sh kill-taskmanager >/dev/null
  echo "TaskManager killed at $AT of the expected rows (PostgreSQL)"
  produce r4_call_log "$D/call_log.part01"; produce r4_clickstream "$D/clickstream.part01"
  scripts/flink-local.sh start-taskmanager >/dev/null
  wait_until pg_count "$EXPECTED" 300 || true
  # A stream's files follow completed checkpoints, which a restore and a busy machine delay.
  wait_until "file_count $D/out" "$EXPECTED" 420 || true
  sleep 10 # the Kafka sink commits its transactions with the next checkpoints
  SAID=$(job_said)
  pg_keys "$D/got-pg"; read -r GOT LOST DUP EXTRA < <(compare pg "$D/expected-engagements.jsonl" "$D/got-pg")
  LATE=$(pg_late)
  row 4 "TaskManager kill -9, new one after the produce" postgres "$AT" "$EXPECTED" "$GOT" "$LOST" "$DUP" "$LATE" "$SAID" "$(verdict "$LOST" "$DUP" "$LATE" "$EXTRA")"
  file_lines "$D/out" engagements > "$D/got-files"
  read -r GOT LOST DUP EXTRA < <(compare json "$D/expected-engagements.jsonl" "$D/got-files")
  LATE=$(file_late "$D/out")
  row 4 "(same run)" files "" "$EXPECTED" "$GOT" "$LOST" "$DUP" "$LATE" "late counted in dead-letter files written so far (flushed each minute)" "$(verdict "$LOST" "$DUP" "$LATE" "$EXTRA")"
  # The exactly-once sink publishes with each completed checkpoint: on a busy machine it trails.
  for _ in $(seq 12); do
    consume r4_engagements 5 > "$D/got-kafka"
    [[ $(wc -l < "$D/got-kafka") -ge $EXPECTED ]] && break
    sleep 10
  done
  read -r GOT LOST DUP EXTRA < <(compare json "$D/expected-engagements.jsonl" "$D/got-kafka")
  LATE=$(consume r4_dead_letters 5 | grep -c '"error": \?"late:' || true)
  row 4 "(same run)" "kafka --exactlyOnce" "" "$EXPECTED" "$GOT" "$LOST" "$DUP" "$LATE" "read back read_committed" "$(verdict "$LOST" "$DUP" "$LATE" "$EXTRA")"
  cancel_stream
fi

# Lines of the engagement files the newest manifest below DIR lists.
manifest_lines() {
  python3 - "$1" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
runs = sorted(glob.glob(os.path.join(out, "_manifests", "*.json")))
if not runs:
    print(0); sys.exit()
files = json.load(open(runs[-1]))["files"].get("engagements", [])
print(sum(1 for f in files for line in open(os.path.join(out, f)) if line.strip()))
PY
}

# 5. The output file system full during a batch run ----------------------------------------------
# A read-only remount is refused (EBUSY) while the job holds files open for writing, so the fault is
# a file system that fills up: a small tmpfs, filled by another file once the run starts writing.
if want 5; then
  step "row 5: the output file system full during a batch run"
  D=$WORK/r5; mkdir -p "$D/fs"
  if [[ $(id -u) != 0 ]]; then
    row 5 "output file system full" files "" "" "" "" "" "" "" "NOT RUN: needs root to mount a tmpfs"
  elif ! mount -t tmpfs -o size=64m c360-fault-matrix "$D/fs" 2>"$D/mount.err"; then
    row 5 "output file system full" files "" "" "" "" "" "" "" "NOT RUN: cannot mount a tmpfs: $(head -1 "$D/mount.err")"
  else
    MOUNTED=$D/fs
    EXPECTED=$(generate "$D" now-70m)
    ARGS=(--callLogInput="$D/call_log.jsonl" --clickstreamInput="$D/clickstream.jsonl" --output="$D/fs/out")
    run_batch "$D/run0.log" "${ARGS[@]}"
    PREVIOUS=$(manifest_lines "$D/fs/out")
    echo "first run: exit $RC, $PREVIOUS engagements published"
    touch "$D/marker"
    (run_batch "$D/run1.log" "${ARGS[@]}"; echo "$RC" > "$D/run1.rc") &
    RUN_PID=$!
    AT="run ended first"
    for _ in $(seq 6000); do
      if [[ -n $(find "$D/fs/out" -newer "$D/marker" -type f -print -quit) ]]; then
        dd if=/dev/zero of="$D/fs/filler" bs=1M 2>/dev/null || true
        n=$(find "$D/fs/out" -newer "$D/marker" -type f -name 'engagements-*' -print0 | xargs -0r cat | wc -l)
        AT="$(fraction "$n" "$EXPECTED") (at its first file: a batch run writes its files at the end)"; break
      fi
      kill -0 "$RUN_PID" 2>/dev/null || break
      sleep 0.02
    done
    echo "output file system full at $AT"
    set +e; wait "$RUN_PID"; set -e
    RC1=$(cat "$D/run1.rc")
    KEPT=$(manifest_lines "$D/fs/out")
    rm -f "$D/fs/filler"
    run_batch "$D/run2.log" "${ARGS[@]}"
    file_lines "$D/fs/out" engagements > "$D/got"
    read -r GOT LOST DUP EXTRA < <(compare json "$D/expected-engagements.jsonl" "$D/got")
    LATE=$(file_late "$D/fs/out")
    RESULT=$(verdict "$LOST" "$DUP" "$LATE" "$EXTRA")
    [[ $RC1 == 0 ]] && RESULT="FAIL (the faulty run exited 0)"
    [[ $KEPT == "$PREVIOUS" ]] || RESULT="FAIL (the previous output changed: $PREVIOUS -> $KEPT lines)"
    SAID="faulty run: $(said_batch "$RC1" "$D/run1.log"); previous output kept: $KEPT of $PREVIOUS lines; rerun: exit $RC"
    row 5 "output file system full (tmpfs filled)" files "$AT" "$EXPECTED" "$GOT" "$LOST" "$DUP" "$LATE" "$SAID" "$RESULT"
    umount "$D/fs" || true; MOUNTED=
  fi
fi

# 6. A truncated .gz among the inputs (batch) --------------------------------------------------------
if want 6; then
  step "row 6: a truncated .gz among the inputs"
  D=$WORK/r6; mkdir -p "$D/in"
  EXPECTED=$(generate "$D/a" now-70m --gzip)
  generate "$D/b" now-70m --gzip --seed=99 >/dev/null
  cp "$D/a/call_log.jsonl.gz" "$D/in/call_log-1.jsonl.gz"
  cp "$D/a/clickstream.jsonl.gz" "$D/in/clickstream-1.jsonl.gz"
  ARGS=(--callLogInput="$D/in/call_log-*.jsonl.gz" --clickstreamInput="$D/in/clickstream-*.jsonl.gz" --output="$D/out")
  run_batch "$D/run0.log" "${ARGS[@]}"
  PREVIOUS=$(manifest_lines "$D/out")
  SIZE=$(stat -c %s "$D/b/call_log.jsonl.gz")
  head -c $(( SIZE / 2 )) "$D/b/call_log.jsonl.gz" > "$D/in/call_log-2.jsonl.gz"
  run_batch "$D/run1.log" "${ARGS[@]}"
  file_lines "$D/out" engagements > "$D/got"
  read -r GOT LOST DUP EXTRA < <(compare json "$D/a/expected-engagements.jsonl" "$D/got")
  LATE=$(file_late "$D/out")
  NAMED=$( (grep -h 'call_log-2.jsonl.gz' "$D/run1.log"; file_lines "$D/out" dead-letter | grep -h 'call_log-2.jsonl.gz') | head -1 | cut -c1-120 || true)
  if [[ $RC == 0 ]]; then
    SAID="exit 0; dead letter: ${NAMED:-none names the file}; +$EXTRA engagements read before the cut"
    RESULT=$(verdict "$LOST" "$DUP" "$LATE" 0)
    [[ -n $NAMED ]] || RESULT="FAIL (nothing names the truncated file)"
  else
    KEPT=$(manifest_lines "$D/out")
    SAID="$(said_batch "$RC" "$D/run1.log"); previous output kept: $KEPT of $PREVIOUS lines"
    # What the user does next: set the broken file aside and run again.
    mv "$D/in/call_log-2.jsonl.gz" "$D/call_log-2.jsonl.gz.broken"
    run_batch "$D/run2.log" "${ARGS[@]}"
    file_lines "$D/out" engagements > "$D/got"
    read -r GOT LOST DUP EXTRA < <(compare json "$D/a/expected-engagements.jsonl" "$D/got")
    SAID="$SAID; rerun without it: exit $RC"
    RESULT=$(verdict "$LOST" "$DUP" "$LATE" "$EXTRA")
    grep -q '^error:.*call_log-2.jsonl.gz' "$D/run1.log" || RESULT="FAIL (the error does not name the file)"
    [[ $KEPT == "$PREVIOUS" && $KEPT == "$EXPECTED" ]] || RESULT="FAIL (previous output changed)"
  fi
  row 6 "truncated .gz among 3 inputs (after a good run)" files "n/a (bad input, not an outage)" "$EXPECTED (intact files)" "$GOT" "$LOST" "$DUP" "$LATE" "$SAID" "$RESULT"
fi

# 7. A far-future record on every partition of each raw topic mid-stream -----------------------------
if want 7; then
  step "row 7: a record dated 9999-12-31 23:59:59 on every partition of each raw topic mid-stream"
  D=$WORK/r7; mkdir -p "$D"; pg_reset
  EXPECTED=$(generate "$D" now-70m)
  produce r7_call_log "$D/call_log.part00"; produce r7_clickstream "$D/clickstream.part00"
  submit_stream_row r7 --sinks=postgres --jdbcUrl="$JDBC" --createTables
  wait_fraction pg_count "$EXPECTED" || true
  F='9999-12-31 23:59:59'
  for p in 0 1; do
    echo "{\"log_datatime\": \"$F\", \"xml\": \"<call_log><activity_id>701C</activity_id><call_id>future-call-$p</call_id><user_id>future-user-$p</user_id><start_time>$F</start_time><end_time>$F</end_time><call_time_seconds>1</call_time_seconds><from_phone_number>+37200000000</from_phone_number><to_phone_number>+37200000001</to_phone_number><outcome>answered</outcome><has_recording>false</has_recording></call_log>\"}" > "$D/future-call-$p.jsonl"
    echo "{\"event_timestamp\": \"$F\", \"user_id\": \"future-user-$p\", \"site_id\": \"future-site-$p\", \"pages_visited\": 1, \"total_seconds_on_site\": 1, \"avg_percent_viewed\": 1.0}" > "$D/future-click-$p.jsonl"
    produce "r7_call_log:$p" "$D/future-call-$p.jsonl"; produce "r7_clickstream:$p" "$D/future-click-$p.jsonl"
  done
  echo "far-future records produced at $AT of the expected rows"
  produce r7_call_log "$D/call_log.part01"; produce r7_clickstream "$D/clickstream.part01"
  wait_until pg_count "$EXPECTED" 120 || true
  sleep 5
  pg_keys "$D/got"; read -r GOT LOST DUP EXTRA < <(compare pg "$D/expected-engagements.jsonl" "$D/got")
  LATE=$(pg_late)
  FUTURE=$(sql "select count(*) || ' dead-lettered (' || coalesce(string_agg(distinct split_part(error, ':', 1), ','), '') || ')' from dead_letters where payload like '%9999-12-31%'")
  SAID="$(job_said); far-future: $FUTURE of 4"
  RESULT=$(verdict "$LOST" "$DUP" "$LATE" "$EXTRA")
  [[ $FUTURE == "4 dead-lettered (future)" ]] || RESULT="$RESULT (far-future records not dead-lettered as future:)"
  cancel_stream
  row 7 "far-future record on each of 4 partitions" postgres "$AT" "$EXPECTED" "$GOT" "$LOST" "$DUP" "$LATE" "$SAID" "$RESULT"
fi

echo
cat "$TABLE"
echo "total run time: $(( ($(date +%s) - STARTED) / 60 )) min $(( ($(date +%s) - STARTED) % 60 )) s"
exit $FAILED
