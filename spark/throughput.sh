#!/usr/bin/env bash
# Measures ClassifyFolderJob on local[1], local[2] and a 2-worker standalone cluster on 127.0.0.1
# (docs/SPARK.md). Usage: spark/throughput.sh IMAGE_FOLDER   (after mvn -pl spark -am install -DskipTests)
set -euo pipefail
IN=${1:?image folder}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/emotion4j-spark-XXXX)
mvn -q -o -f "$ROOT/pom.xml" -pl spark dependency:build-classpath -Dmdep.includeScope=compile \
  -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
# A private SPARK_HOME: empty RELEASE, jars/ = the class path (emotion4j jars copied, not linked,
# so a concurrent `mvn install` cannot change them mid-run) plus the module's classes.
H=$WORK/spark-home; mkdir -p "$H/jars"; touch "$H/RELEASE"
for j in $(tr ':' '\n' < "$WORK/cp.txt" | grep '\.jar$'); do
  case $j in *emotion4j*) cp "$j" "$H/jars/";; *) ln -s "$j" "$H/jars/";; esac
done
(cd "$ROOT/spark/target/classes" && jar cf "$H/jars/emotion4j-spark.jar" .)
OPENS=$(sed -n 's:.*<spark.java17.opens>\(.*\)</spark.java17.opens>:\1:p' "$ROOT/spark/pom.xml" | head -1)
JOB=(io.github.emotion4j.spark.ClassifyFolderJob "$IN" "$WORK/out.parquet" --backend native --partitions 4)
run() { java -Xmx2g --add-modules jdk.incubator.vector $OPENS -Dspark.driver.host=127.0.0.1 \
  -Dspark.executor.memory=1g "-Dspark.executor.extraJavaOptions=--add-modules jdk.incubator.vector $OPENS" \
  -cp "$H/jars/*" "${JOB[@]}" --master "$1" 2>&1 | grep 'images/s'; }
run 'local[1]'
run 'local[2]'
export SPARK_HOME=$H SPARK_SCALA_VERSION=2.13
java -Xmx512m $OPENS -cp "$H/jars/*" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
  --port 7077 --webui-port 18080 > "$WORK/master.log" 2>&1 & PIDS=($!)
sleep 5
for w in 1 2; do
  java -Xmx512m $OPENS -cp "$H/jars/*" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 \
    --cores 1 --memory 2g --webui-port 1808$w --work-dir "$WORK/work" spark://127.0.0.1:7077 \
    > "$WORK/worker$w.log" 2>&1 & PIDS+=($!)
done
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT
for i in $(seq 60); do [ "$(grep -c 'Registering worker' "$WORK/master.log")" -ge 2 ] && break; sleep 1; done
run spark://127.0.0.1:7077
echo "classifier loads per executor JVM:"; grep -rc 'loaded in this JVM' "$WORK/work" | grep -v ':0$' || true
