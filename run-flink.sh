#!/usr/bin/env bash
# Runs the Customer 360 job on Apache Flink, from the one bundled jar.
#   ./run-flink.sh                        embedded Flink mini-cluster, parallelism 2: src/samples -> ./out
#   FLINK_MASTER=localhost:8081 ./run-flink.sh ...   submit to a Flink session cluster (REST endpoint);
#                                         scripts/flink-local.sh starts one from the Flink Maven jars
# Any arguments are passed to the job and replace the defaults they name, e.g.
#   ./run-flink.sh --parallelism=2 --checkpointingInterval=10000 \
#     --source=kafka --bootstrapServers=localhost:9092 --sinks=kafka
# RocksDB: set state.backend.type: rocksdb on the cluster (STATE_BACKEND=rocksdb scripts/flink-local.sh
# start); --stateBackend=rocksdb fails on the client, the jar has no RocksDB classes.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
source scripts/java-opens.sh
JAR=$(ls pipeline/target/customer360-*-bundled.jar 2>/dev/null | head -1 || true)

if [[ -z $JAR ]] || [[ -n $(find pom.xml */pom.xml */src/main src/sql src/ddl -newer "$JAR" -type f 2>/dev/null | head -1) ]]; then
  echo ">> Building the bundled jar (mvn -DskipTests package; the first build downloads dependencies and takes a few minutes)..." >&2
  mvn -B -q -DskipTests package >&2
  JAR=$(ls pipeline/target/customer360-*-bundled.jar | head -1)
  touch "$JAR"
fi

MASTER=${FLINK_MASTER:-[local]}
defaults=(
  "--runner=FlinkRunner"
  "--flinkMaster=$MASTER"
  "--parallelism=${PARALLELISM:-2}"
  # Our DoFns never modify their input, so Flink may skip the defensive copy between chained steps.
  "--fasterCopy=true"
  "--callLogInput=$ROOT/src/samples/call_log*.jsonl"
  "--clickstreamInput=$ROOT/src/samples/clickstream*.jsonl"
  "--output=$ROOT/out"
)
if [[ $MASTER != "[local]" ]]; then
  # A remote cluster needs the job's code: ship the bundled jar with the job.
  defaults+=("--filesToStage=$ROOT/$JAR")
fi
source scripts/defaults.sh
mapfile -d '' args < <(with_defaults "${defaults[@]}" -- "$@")

echo ">> Running on Flink ($MASTER): ${args[*]} $*" | masked >&2
exec java ${JAVA_OPTS:-} -Duser.timezone=UTC "${JAVA_OPENS[@]}" -jar "$JAR" "${args[@]}" "$@"
