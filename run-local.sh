#!/usr/bin/env bash
# Runs the Customer 360 job on the DirectRunner. With no arguments: src/samples/ -> ./out/.
# Any arguments are passed to the job (they replace the defaults they name), e.g.
#   ./run-local.sh --output=/tmp/c360 --window=15m
#   ./run-local.sh --callLogInput='data/call_log*.jsonl.gz' --clickstreamInput='data/click*.jsonl'
# The options, grouped, with their defaults: ./run-local.sh --help
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
CLASSPATH_FILE=pipeline/target/classpath.txt

# Build when there is no build yet, or when sources changed since the last one.
if [[ ! -f $CLASSPATH_FILE ]] || [[ -n $(find pom.xml */pom.xml */src/main src/sql -newer "$CLASSPATH_FILE" -type f 2>/dev/null | head -1) ]]; then
  echo ">> Building the pipeline (mvn -DskipTests package; the first build downloads dependencies and takes a few minutes)..." >&2
  mvn -B -q -DskipTests -DskipBundle package >&2
  touch "$CLASSPATH_FILE" # Maven leaves an unchanged classpath file's time alone
fi

defaults=(
  "--callLogInput=$ROOT/src/samples/call_log*.jsonl"
  "--clickstreamInput=$ROOT/src/samples/clickstream*.jsonl"
  "--output=$ROOT/out"
  "--sqlDir=$ROOT/src/sql"
  # The DirectRunner's checks that every element survives encoding and is not modified cost a
  # copy of each element per step; the test suite runs with them on.
  "--enforceImmutability=false"
  "--enforceEncodability=false"
)
source scripts/defaults.sh
mapfile -d '' args < <(with_defaults "${defaults[@]}" -- "$@")

echo ">> Running on the DirectRunner ${args[*]} $*" | masked >&2
exec java ${JAVA_OPTS:-} -Duser.timezone=UTC \
  -cp "pipeline/target/classes:$(cat "$CLASSPATH_FILE")" \
  dev.customer360.pipeline.Customer360Pipeline "${args[@]}" "$@"
