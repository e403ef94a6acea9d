#!/usr/bin/env bash
# Backpressure check: a streaming job on a real Flink session cluster reads Kafka at parallelism 2
# with checkpoints every 2 s and upserts into PostgreSQL. While records flow, another session holds
# an ACCESS EXCLUSIVE lock on customer_engagements for LOCK_SECONDS (30), so every write of the job
# waits: the sink stops, checkpoints stall behind it and the consumer group's lag (records past the
# offsets committed with completed checkpoints) grows. Prints the lag before and during the lock,
# how long after the release it was back to its level before the lock, whether Flink restarted the
# job, and passes (exit 0) only if the table then holds every distinct engagement the
# generator expects exactly once (nothing lost, nothing doubled, nothing else) and none is late.
#
#   scripts/backpressure-check.sh [RECORDS_PER_SOURCE]        (default 20000)
#   TASKMANAGERS=2 SLOTS=2 scripts/backpressure-check.sh      the job's two slots in two TaskManagers
#
# Starts (and stops) its own Kafka (:49092, raw topics of 2 partitions), PostgreSQL (:45432) and
# Flink (REST :48081, RPC :46123; TASKMANAGERS of SLOTS slots, default 1 of 2) from Maven
# artifacts; state in .local/backpressure-check. Needs Java, Maven, python3 and psql. A few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
RECORDS=${1:-20000}
PARALLELISM=2
LOCK_SECONDS=${LOCK_SECONDS:-30}
# A write blocked by the lock gets no reply until the lock is released: the JDBC socket timeout
# must outlast it, or the write would fail as a dead connection and retry (restarting the job
# once its retries run out). The job's default, 120s, does; a longer LOCK_SECONDS gets more.
SOCKET_TIMEOUT=$(( LOCK_SECONDS + 90 > 120 ? LOCK_SECONDS + 90 : 120 ))s
GROUP=backpressure-check
[[ $RECORDS =~ ^[1-9][0-9]*$ && $LOCK_SECONDS =~ ^[1-9][0-9]*$ ]] ||
  { echo "usage: [LOCK_SECONDS=30] $0 [RECORDS_PER_SOURCE] (positive integers)" >&2; exit 2; }
command -v psql >/dev/null || { echo "this check needs psql (the lock is held by a psql session): install the PostgreSQL client" >&2; exit 2; }
export KAFKA_PORT=49092 PGPORT=45432 FLINK_REST_PORT=48081 FLINK_RPC_PORT=46123
export TASKMANAGERS=${TASKMANAGERS:-1} SLOTS=${SLOTS:-2}
if (( TASKMANAGERS * SLOTS < PARALLELISM )); then
  echo "TASKMANAGERS=$TASKMANAGERS x SLOTS=$SLOTS slots cannot run the job at parallelism $PARALLELISM" >&2; exit 2
fi
export C360_LOCAL_DIR=$PWD/.local/backpressure-check
source scripts/lib.sh
WORK=$STATE_DIR
DATA=$WORK/data
fresh_state_dir
LAG_PID= PRODUCER_PID= LOCK_PID=
cleanup() {
  for p in $LAG_PID $PRODUCER_PID $LOCK_PID; do kill "$p" 2>/dev/null || true; done
  stop_servers
}
trap cleanup EXIT

fail() { echo "FAIL: $*"; exit 1; }
now() { date +%s.%N; }
lag() { tail -1 "$WORK/lag.log" 2>/dev/null | awk '{ print $2 }'; }
# backpressured: how much of their time Flink saw the job's Kafka readers and other operators
# backpressured and busy (its answer in $WORK/backpressure.json).
backpressured() {
  python3 - "localhost:$FLINK_REST_PORT" "$JOB" "$WORK/backpressure.json" <<'PY' || echo "backpressure unknown (Flink REST did not answer)"
import json, sys, urllib.request
base = "http://%s/jobs/%s" % tuple(sys.argv[1:3])
get = lambda path: json.load(urllib.request.urlopen(base + path, timeout=10))
infos = [dict(get("/vertices/%s/backpressure" % v["id"]), name=v["name"][:80]) for v in get("")["vertices"]]
json.dump(infos, open(sys.argv[3], "w"), indent=1)
# "deprecated": Flink has not fetched the task metrics yet (this request makes it fetch them).
if any(i.get("status") != "ok" for i in infos):
    print("Flink's backpressure not measured yet"); sys.exit()
# Flink's ratios are averages over about the last minute, not the instant.
peak = lambda rows, key: max((t.get(key, 0) for i in rows for t in i["subtasks"]), default=0)
sources = [i for i in infos if i["name"].startswith("Source:")]
others = [i for i in infos if not i["name"].startswith("Source:")]
print("Flink (last minute): Kafka readers backpressured %.0f%% busy %.0f%%, other operators backpressured %.0f%% busy %.0f%% (highest subtask)"
      % (100 * peak(sources, "ratio"), 100 * peak(sources, "busyRatio"), 100 * peak(others, "ratio"), 100 * peak(others, "busyRatio")))
PY
}

STARTED=$(now)
start_servers

step "generating $RECORDS records per source (event times in the last 70 min, ~8% re-delivered, some bad)"
EXPECTED=$(generate_records "$DATA" "$RECORDS" now-70m)
CHUNKS=10
for s in call_log clickstream; do split -n l/$CHUNKS -d "$DATA/$s.jsonl" "$DATA/$s.chunk"; done
produce call_log "$DATA/call_log.chunk00"
produce clickstream "$DATA/clickstream.chunk00"
# One JVM samples the group's lag every second for the whole run.
java -cp "$(tool_classpath)" dev.customer360.pipeline.tools.KafkaTool lag "localhost:$KAFKA_PORT" "$GROUP" \
  call_log clickstream > "$WORK/lag.log" 2> "$WORK/lag.err" &
LAG_PID=$!

step "submitting the streaming job at parallelism $PARALLELISM (checkpoint every 2 s, --jdbcSocketTimeout=$SOCKET_TIMEOUT)"
submit_stream "$WORK/job-client.log" --sinks=postgres --jdbcUrl="jdbc:postgresql://localhost:$PGPORT/postgres" \
  --createTables --groupId=$GROUP --parallelism=$PARALLELISM --jdbcSocketTimeout="$SOCKET_TIMEOUT"
# A baseline: the first tenth read and committed before the load starts.
for _ in $(seq 240); do [[ $(lag) == 0 ]] && break; sleep 0.5; done
[[ $(lag) == 0 ]] || fail "the job did not read the first tenth in 2 min (lag $(lag)); see $WORK/job-client.log and $WORK/flink/log"

step "producing the other $((CHUNKS - 1)) tenths one after another; customer_engagements locked for $LOCK_SECONDS s after 10 s"
(
  for i in $(seq 1 $((CHUNKS - 1))); do
    c=$(printf '%02d' "$i")
    produce call_log "$DATA/call_log.chunk$c" & produce clickstream "$DATA/clickstream.chunk$c"; wait
  done
) &
PRODUCER_PID=$!
FLOW_START=$(now)
sleep 10
ROWS_AT_LOCK=$(pg_count)
echo "before the lock: $(backpressured)"
LAG_AT_LOCK=$(lag)
LOCK_FROM=$(now)
sql "begin; lock table customer_engagements in access exclusive mode; select pg_sleep($LOCK_SECONDS); commit;" \
  > "$WORK/lock.log" 2>&1 &
LOCK_PID=$!
echo "locked at $ROWS_AT_LOCK of $EXPECTED rows ($(fraction "$ROWS_AT_LOCK" "$EXPECTED")), lag $LAG_AT_LOCK records"
sleep $(( LOCK_SECONDS * 2 / 3 ))
MID_LOCK=$(backpressured)
echo "$(( LOCK_SECONDS * 2 / 3 )) s into the lock: $MID_LOCK; lag $(lag) records"
wait "$LOCK_PID" || fail "the lock session failed: $(head -3 "$WORK/lock.log")"
LOCK_PID=
LOCK_TO=$(now)
echo "lock released after $(python3 -c "print('%.1f' % ($LOCK_TO - $LOCK_FROM))") s; lag $(lag) records"
wait "$PRODUCER_PID" || fail "producing failed (Kafka at localhost:$KAFKA_PORT)"
PRODUCER_PID=
PRODUCED=$(now)

step "waiting for the job to catch up (lag 0, table complete)"
CAUGHT_UP=
for _ in $(seq 300); do
  if [[ $(lag) == 0 && $(pg_count) -ge $EXPECTED ]]; then CAUGHT_UP=$(now); break; fi
  sleep 1
done
sleep 5
SAID=$(job_said)
pg_keys "$WORK/got"
read -r GOT LOST DUPLICATED EXTRA < <(compare pg "$DATA/expected-engagements.jsonl" "$WORK/got")
LATE=$(pg_late)
read -r BEFORE PEAK PEAK_AT FALLS RECOVERED RATE < <(python3 - "$WORK/lag.log" "$FLOW_START" "$LOCK_FROM" "$LOCK_TO" "$PRODUCED" \
  "$(cat "$DATA"/*.chunk0[1-9] | grep -cv '^[[:space:]]*$')" <<'PY'
import sys
flow, lock_from, lock_to, produced = map(float, sys.argv[2:6])
s = [(int(l.split()[0]) / 1000.0, int(l.split()[1])) for l in open(sys.argv[1]) if len(l.split()) == 2]
before = max((n for t, n in s if flow <= t < lock_from), default=0)
peak_t, peak = max(((t, n) for t, n in s if t >= lock_from), key=lambda x: x[1], default=(lock_from, 0))
# The lag falls only when a checkpoint completes (offsets are committed then): a fall while locked
# means checkpoints still went through.
locked = [n for t, n in s if lock_from + 2 <= t <= lock_to]
falls = sum(1 for a, b in zip(locked, locked[1:]) if b < a)
# Recovered: the lag back at (or below) the highest it was under the same load before the lock.
back = next((t for t, n in s if t >= lock_to and n <= before), None)
print(before, peak, "%.0f" % (peak_t - lock_from), falls, "%.1f" % (back - lock_to) if back else "never",
      "%.0f" % (int(sys.argv[6]) / (produced - flow)))
PY
)
echo
printf '%-26s %s\n' expected "$EXPECTED" got "$GOT" lost "$LOST" duplicated "$DUPLICATED" extra "$EXTRA" late "$LATE" \
  cluster "$TASKMANAGERS TaskManager(s) x $SLOTS slots, job parallelism $PARALLELISM" \
  "rows when locked" "$ROWS_AT_LOCK ($(fraction "$ROWS_AT_LOCK" "$EXPECTED"))" \
  "load" "$RATE raw records/s for $(python3 -c "print('%.0f' % ($PRODUCED - $FLOW_START))") s (the lock from 10 s in)" \
  "lag before the lock" "$BEFORE records at most (10 s under the load)" \
  "lag peak" "$PEAK records, $PEAK_AT s after the lock was taken" \
  "while locked" "the lag fell $FALLS times (a fall: a checkpoint completed); $MID_LOCK" \
  "recovery" "$RECOVERED s from the release to the lag back at $BEFORE or less" \
  "table complete" "$([[ -n $CAUGHT_UP ]] && python3 -c "print('%.1f' % ($CAUGHT_UP - $PRODUCED))" || echo never) s after the last record was produced" \
  "job said" "$SAID" "whole check" "$(python3 -c "print('%.0f' % ($(now) - $STARTED))") s"
echo "lost $LOST, duplicated $DUPLICATED"
if (( ROWS_AT_LOCK >= EXPECTED )); then
  fail "the job had written every row before the lock, so nothing waited for it: give more records"
fi
if [[ $LOST == 0 && $DUPLICATED == 0 && $EXTRA == 0 && $LATE == 0 ]]; then
  echo "PASS: every distinct engagement exactly once after $LOCK_SECONDS s of a locked table, none late"
else
  fail "see $WORK/job-client.log and $WORK/flink/log"
fi
