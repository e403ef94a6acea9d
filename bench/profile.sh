#!/usr/bin/env bash
# Where the job's time goes: runs the file-to-file job on Flink (embedded, parallelism 2, as
# bench/run.sh does) under Java Flight Recorder and prints where its CPU samples fall: per Flink
# task (thread), per kind of code (ours, Beam's coders, Flink's sorts, the SQL's generated code,
# ...), the hottest methods, and the JIT's and GC's totals.
#
#   bench/profile.sh                        # 1M raw records (generated as bench/run.sh does)
#   SIZE=100000 bench/profile.sh
#   JOB_ARGS=--numShards=0 bench/profile.sh # more options for the job
# Writes bench/results/profile-<time>.txt (the recording stays in $BENCH_WORK).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-opens.sh
source bench/lib.sh
SIZE=${SIZE:-1000000}
BAD_RATE=${BAD_RATE:-0.03}
FLINK_HEAP=${FLINK_HEAP:-2g}
WORK=${BENCH_WORK:-/tmp/customer360-bench}
STAMP=$(date -u +%Y%m%dT%H%M%S)
REPORT=bench/results/profile-$STAMP.txt
RECORDING=$WORK/profile-$STAMP.jfr
LOG=$WORK/profile-$STAMP.log
mkdir -p bench/results "$WORK"

build_job
data=$(input_of "$SIZE")
echo ">> The job on $SIZE raw records, recorded" >&2
rm -rf "$WORK/out-profile"
# shellcheck disable=SC2086 # JOB_ARGS: several words on purpose
java -Xmx$FLINK_HEAP -Duser.timezone=UTC "${JAVA_OPENS[@]}" \
  -XX:StartFlightRecording=settings=profile,filename="$RECORDING" -jar "$JAR" \
  --runner=FlinkRunner --flinkMaster='[local]' --parallelism=2 --fasterCopy=true \
  --callLogInput="$data/call_log.jsonl" --clickstreamInput="$data/clickstream.jsonl" \
  --output="$WORK/out-profile" ${JOB_ARGS:-} > "$LOG" 2>&1

echo ">> Reading the recording" >&2
{
  echo "bench/profile.sh, $(date -u +%Y-%m-%d), $SIZE raw records (bad lines $BAD_RATE), Flink embedded p=2 ${JOB_ARGS:-}"
  echo "$(nproc) cores; $(grep -m 1 'finished in' "$LOG" || echo 'the job did not finish: see its log')"
  jfr print --json --stack-depth 64 --events jdk.ExecutionSample "$RECORDING" | python3 bench/profile.py samples
  jfr print --json --events jdk.Compilation,jdk.GarbageCollection "$RECORDING" | python3 bench/profile.py totals
} > "$REPORT"
cat "$REPORT"
echo "report: $REPORT"
