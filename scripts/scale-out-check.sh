#!/usr/bin/env bash
# Scale-out check: a streaming job at parallelism 4 on a Flink session cluster of two TaskManagers
# (two slots each) reads raw topics of 4 partitions and writes PostgreSQL, Kafka (--exactlyOnce) and
# Parquet files; then the same raw records run as a batch on the DirectRunner. The records' event
# times lie 80-140 min back and the stream runs with --allowedLateness=10m and
# --maxOutOfOrderness=1m, so every window closes while the check runs and fires its final profile
# (a drain cannot do it here: apache/beam#28554, see the README). Passes (exit 0) only if the job
# ran at parallelism 4 with slots used on both TaskManagers, every sink holds every expected
# engagement exactly once (nothing lost, doubled or extra), none was dead-lettered late, and the
# stream's final profiles (the PostgreSQL table and the Parquet files' final panes) equal the
# batch's profiles.
#
#   scripts/scale-out-check.sh [RECORDS_PER_SOURCE]   (default 5000)
#
# Starts (and stops) its own Kafka (:29092), PostgreSQL (:25432) and Flink (REST :28081, RPC
# :28123; 2 TaskManagers of 2 slots) from Maven artifacts; state in .local/scale-out-check. Needs
# Java, Maven and python3. About 4 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
RECORDS=${1:-5000}
[[ $RECORDS =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [RECORDS_PER_SOURCE] (a positive integer)" >&2; exit 2; }
export KAFKA_PORT=29092 PGPORT=25432 FLINK_REST_PORT=28081 FLINK_RPC_PORT=28123 TASKMANAGERS=2 SLOTS=2
export C360_LOCAL_DIR=$PWD/.local/scale-out-check
source scripts/lib.sh
WORK=$STATE_DIR
fresh_state_dir
trap stop_servers EXIT
tool() { java -cp "$(tool_classpath)" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }

start_servers

step "generating $RECORDS records per source into raw topics of 4 partitions"
D=$WORK/data
EXPECTED=$(generate_records "$D" "$RECORDS" now-140m)
tool dev.customer360.pipeline.tools.KafkaTool topics "localhost:$KAFKA_PORT" 4 call_log clickstream
produce call_log "$D/call_log.jsonl"
produce clickstream "$D/clickstream.jsonl"

step "streaming at parallelism 4 into PostgreSQL, Kafka (--exactlyOnce) and Parquet files"
ALLOWED_LATENESS=10m submit_stream "$WORK/job-client.log" --parallelism=4 --maxOutOfOrderness=1m \
  --sinks=postgres,kafka,files --exactlyOnce=true --jdbcUrl="jdbc:postgresql://localhost:$PGPORT/postgres" \
  --createTables --groupId=scale-out --output="$WORK/stream" --format=parquet
wait_until pg_count "$EXPECTED" 300 || fail "the table holds $(pg_count) of $EXPECTED engagements after 5 min; see $WORK/job-client.log and $WORK/flink/log"
P_RUNNING=$(flink_rest "/jobs/$JOB" | python3 -c 'import json,sys; print(max(v["parallelism"] for v in json.load(sys.stdin)["vertices"]))')
TM_BUSY=$(flink_rest /taskmanagers | python3 -c 'import json,sys
tms=json.load(sys.stdin)["taskmanagers"]
print(sum(1 for t in tms if t["freeSlots"] < t["slotsNumber"]), len(tms))')
step "waiting for every window to close (its final profile) and for a checkpoint after it"
open_profiles() { sql "select count(*) from customer_profiles where not is_final" 2>/dev/null || echo '?'; }
for _ in $(seq 300); do [[ $(open_profiles) == 0 ]] && break; sleep 1; done
[[ $(open_profiles) == 0 ]] || fail "$(open_profiles) profiles still not final after 5 min; see $WORK/job-client.log"
# The files and the exactly-once topic publish what a completed checkpoint holds.
CKPT=$(checkpoints); wait_checkpoints $(( CKPT + 2 )) || fail "no checkpoint completed in 2 min"
SAID=$(job_said)

step "the same raw records as a batch on the DirectRunner"
./run-local.sh --callLogInput="$D/call_log.jsonl" --clickstreamInput="$D/clickstream.jsonl" \
  --output="$WORK/batch" > "$WORK/batch.log" 2>&1 || fail "the batch run failed; see $WORK/batch.log"

# Engagements in each sink against the generator's answer.
pg_keys "$WORK/pg-engagements"
tool dev.customer360.pipeline.tools.KafkaTool consume "localhost:$KAFKA_PORT" customer_engagements 5 \
  > "$WORK/kafka-engagements" 2>/dev/null
tool dev.customer360.pipeline.tools.ParquetLines "$WORK/stream/engagements" > "$WORK/parquet-engagements" 2>> "$WORK/tools.log"
read -r PG_GOT PG_LOST PG_DUP PG_EXTRA < <(compare pg "$D/expected-engagements.jsonl" "$WORK/pg-engagements")
read -r K_GOT K_LOST K_DUP K_EXTRA < <(compare json "$D/expected-engagements.jsonl" "$WORK/kafka-engagements")
read -r F_GOT F_LOST F_DUP F_EXTRA < <(compare json "$D/expected-engagements.jsonl" "$WORK/parquet-engagements")
LATE=$(pg_late)

# Final profiles: the PostgreSQL table (upserted with each firing) and the Parquet files' final
# panes, against the batch's profiles.
sql "select user_id, to_char(window_start at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS'), engagements,
  engagement_seconds, calls, call_seconds, website_visits, website_seconds,
  to_char(first_engagement at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
  to_char(last_engagement at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS'), coalesce(last_call_id, ''),
  coalesce(last_site_id, ''), is_final from customer_profiles" > "$WORK/pg-profiles"
tool dev.customer360.pipeline.tools.ParquetLines "$WORK/stream/profiles" > "$WORK/parquet-profiles" 2>> "$WORK/tools.log"
file_lines "$WORK/batch" profiles > "$WORK/batch-profiles"
read -r PROFILES PG_PROFILES_DIFF PQ_PROFILES_DIFF NOT_FINAL < <(python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
FIELDS = ["user_id", "window_start", "engagements", "engagement_seconds", "calls", "call_seconds",
          "website_visits", "website_seconds", "first_engagement", "last_engagement",
          "last_call_id", "last_site_id"]
def row(d):
    return tuple("" if d.get(f) is None else str(d[f]) for f in FIELDS)
batch = {row(json.loads(l)) for l in open(work + "/batch-profiles") if l.strip()}
pg, not_final = set(), 0
for l in open(work + "/pg-profiles"):
    if l.strip():
        f = l.rstrip("\n").split("|")
        not_final += f[-1] != "t"
        pg.add(tuple(f[:-1]))
parquet = set()
for l in open(work + "/parquet-profiles"):
    if l.strip():
        d = json.loads(l)
        if d.get("final"):
            parquet.add(row(d))
print(len(batch), len(pg ^ batch), len(parquet ^ batch), not_final)
PY
)

echo
FAILED=
check() { if [[ $1 == 1 ]]; then echo "PASS  $2"; else echo "FAIL  $2"; FAILED=${FAILED:-$2}; fi; }
check "$([[ $P_RUNNING == 4 ]] && echo 1)" "parallelism: $P_RUNNING (asked: 4)"
check "$([[ ${TM_BUSY% *} == 2 ]] && echo 1)" "TaskManagers running the job: ${TM_BUSY% *} of ${TM_BUSY#* }"
check "$([[ $PG_LOST == 0 && $PG_DUP == 0 && $PG_EXTRA == 0 ]] && echo 1)" "postgres engagements: expected $EXPECTED, got $PG_GOT, lost $PG_LOST, duplicated $PG_DUP, extra $PG_EXTRA"
check "$([[ $K_LOST == 0 && $K_DUP == 0 && $K_EXTRA == 0 ]] && echo 1)" "kafka engagements (--exactlyOnce, read_committed): expected $EXPECTED, got $K_GOT (corrections included), lost $K_LOST, duplicated $K_DUP, extra $K_EXTRA"
check "$([[ $F_LOST == 0 && $F_DUP == 0 && $F_EXTRA == 0 ]] && echo 1)" "parquet engagements: expected $EXPECTED, got $F_GOT (corrections included), lost $F_LOST, duplicated $F_DUP, extra $F_EXTRA"
check "$([[ $LATE == 0 ]] && echo 1)" "late dead letters: $LATE"
check "$([[ $PROFILES -gt 0 && $PG_PROFILES_DIFF == 0 && $NOT_FINAL == 0 ]] && echo 1)" "postgres profiles equal the batch's $PROFILES: $PG_PROFILES_DIFF differ, $NOT_FINAL not final"
check "$([[ $PROFILES -gt 0 && $PQ_PROFILES_DIFF == 0 ]] && echo 1)" "parquet final profiles equal the batch's $PROFILES: $PQ_PROFILES_DIFF differ"
echo "job at the end: $SAID"
[[ -z $FAILED ]] || fail "$FAILED; see $WORK"
echo "PASS: parallelism 4 on 2 TaskManagers; every sink holds every distinct engagement once; final profiles equal the batch's"
