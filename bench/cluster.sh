#!/usr/bin/env bash
# Scale-out benchmark: bench/cluster.sh [small|tiny|N] [seed] [silo counts, default "1 3"]
# For each silo count, from empty storage: a fresh Azurite (deploy/azurite.sh, data in bench/out/cluster/azurite-N),
# its write ceiling measured with the Azure SDKs (Runner storage-ceiling: small blob PUTs/s and table rows/s in
# 100-row transactions), then N silos on Azure Table clustering + ThreatGraph's Azure storage, the data set ingested
# through all N gateways (round robin, 4 bundles in flight), and reads (lookup, 2-hop, linked campaigns) at the rate
# ladder against silo 1's gateway and an Orleans client. CPU seconds of Azurite and each silo during the ingest, and
# Orleans' long-turn warnings ("… which is longer than …") in the silo logs, are counted. The summary table replaces
# the section between the cluster markers in bench/README.md. Everything it starts, it stops.
set -euo pipefail

SIZE="${1:-small}"
SEED="${2:-42}"
COUNTS="${3:-1 3}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$ROOT/bench"
OUT="$BENCH/out/cluster"
mkdir -p "$OUT"
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

AZ_BLOB=10100; AZ_QUEUE=10101; AZ_TABLE=10102
CONN="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$AZ_BLOB/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$AZ_QUEUE/devstoreaccount1;TableEndpoint=http://127.0.0.1:$AZ_TABLE/devstoreaccount1;"

PIDS=()
stop_all() { # newest first: the silos before the Azurite they write to
  local i pid
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid=${PIDS[$i]}; kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  done
  PIDS=()
}
trap stop_all EXIT INT TERM

[ -f "$ROOT/deploy/node_modules/azurite/dist/src/azurite.js" ] || npm ci --prefix "$ROOT/deploy" --no-audit --no-fund >/dev/null
log "building Release"
dotnet build "$ROOT/Silo/ThreatGraph.Silo.csproj" -c Release -v q -nologo >"$OUT/build-silo.log" 2>&1 || { cat "$OUT/build-silo.log"; exit 1; }
dotnet build "$BENCH/Runner/ThreatGraph.Bench.Runner.csproj" -c Release -v q -nologo >"$OUT/build-runner.log" 2>&1 || { cat "$OUT/build-runner.log"; exit 1; }
RUNNER="$BENCH/Runner/bin/Release/net10.0/ThreatGraph.Bench.Runner.dll"
SILO="$ROOT/Silo/bin/Release/net10.0/ThreatGraph.Silo.dll"
dotnet "$RUNNER" generate --size "$SIZE" --seed "$SEED" --out "$BENCH/out/data"
DATA="$BENCH/out/data/$SIZE-seed$SEED"

# The same correlation settings as bench/run.sh: link only what the benchmark calls linked.
BENCH_SETTINGS=(--Security:RequestsPerSecond 100000 --Security:Burst 100000
  --Ingest:OrgBytesPerMinute 1099511627776 --Ingest:OrgObjectsPerMinute 1000000000)
for kind in alias-of duplicate-of sighting_of_ref observed_data_refs object_refs attributed-to based-on derived-from part-of \
            resolves_to_refs src_ref dst_ref communicates-with beacons-to exfiltrates-to uses related-to targets; do
  BENCH_SETTINGS+=("--Correlation:EdgeWeights:$kind" 0)
done
BENCH_SETTINGS+=(--Correlation:NonLinkingTypes:0 malware --Correlation:NonLinkingTypes:1 intrusion-set)
# The generator makes public resolvers its busiest observables: the built-in warninglists would stop them linking.
BENCH_SETTINGS+=(--Correlation:BuiltinWarninglists false)

for port in $AZ_BLOB $AZ_QUEUE $AZ_TABLE 5180 5181 5182 11211 11212 11213 30100 30101 30102; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then log "127.0.0.1:$port is already in use: stop what listens there"; exit 1; fi
done

for N in $COUNTS; do
  RUN="$OUT/n$N"; rm -rf "$RUN"; mkdir -p "$RUN"
  log "=== $N silo(s): fresh Azurite on $AZ_BLOB-$AZ_TABLE (data in $RUN/azurite)"
  AZURITE_DATA="$RUN/azurite" AZURITE_BLOB_PORT=$AZ_BLOB AZURITE_QUEUE_PORT=$AZ_QUEUE AZURITE_TABLE_PORT=$AZ_TABLE \
    "$ROOT/deploy/azurite.sh" >"$RUN/azurite.log" 2>&1 &
  AZ_PID=$!; PIDS+=("$AZ_PID")
  for _ in $(seq 1 60); do (exec 3<>"/dev/tcp/127.0.0.1/$AZ_TABLE") 2>/dev/null && break; sleep 0.5; done

  log "storage ceiling (same Azurite, before the ingest)"
  dotnet "$RUNNER" storage-ceiling --conn "$CONN" --seconds 5 --concurrency 16,64,256 --out "$RUN/ceiling.json" >/dev/null

  SILO_PIDS=(); URLS=(); CPU="azurite=$AZ_PID"
  for i in $(seq 1 "$N"); do
    http=$((5179 + i))
    Logging__LogLevel__Default=Warning Logging__Console__FormatterName=simple dotnet "$SILO" --urls "http://127.0.0.1:$http" \
      --Orleans:Storage azure --Orleans:AzureStorageConnectionString "$CONN" \
      --Orleans:SiloPort $((11210 + i)) --Orleans:GatewayPort $((30099 + i)) \
      --Orleans:ClusterId "bench-n$N" --Orleans:ServiceId "bench-n$N" \
      "${BENCH_SETTINGS[@]}" >"$RUN/silo$i.log" 2>&1 &
    SILO_PIDS+=($!); PIDS+=($!); URLS+=("http://127.0.0.1:$http"); CPU="$CPU,silo$i=$!"
  done
  for i in $(seq 1 "$N"); do
    for _ in $(seq 1 180); do
      curl -fs "${URLS[$((i - 1))]}/health/ready" >/dev/null 2>&1 && break
      kill -0 "${SILO_PIDS[$((i - 1))]}" 2>/dev/null || { log "silo $i exited:"; tail -20 "$RUN/silo$i.log"; exit 1; }
      sleep 1
    done
  done
  log "$N silo(s) ready: ${URLS[*]}"

  INGEST_URLS=$(IFS=,; echo "${URLS[*]}")
  dotnet "$RUNNER" run --data "$DATA" --seed "$SEED" --step-seconds 3 --max-steps 3 \
    --tg-url "${URLS[0]}" --tg-ingest-urls "$INGEST_URLS" --ingest-parallelism 4 --tg-pid "${SILO_PIDS[0]}" \
    --tg-gateway-port 30100 --tg-cluster-id "bench-n$N" --tg-service-id "bench-n$N" \
    --tg-storage "Azure storage on Azurite, $N silo(s)" --cpu-pids "$CPU" \
    --only lookup,twohop,linked --results "$RUN/results.json" >"$RUN/results.md" 2>"$RUN/runner.log" || { tail -30 "$RUN/runner.log"; exit 1; }
  grep -h "longer than" "$RUN"/silo*.log | wc -l >"$RUN/long-turns.txt" || true
  grep -h "longer than" "$RUN"/silo*.log | head -5 >"$RUN/long-turns-sample.txt" || true
  log "$N silo(s) done: $(grep -m1 'objects/s' "$RUN/runner.log" | tail -1 || true)"
  stop_all
done

python3 "$BENCH/cluster_report.py" "$OUT" "$COUNTS" "$(git -C "$ROOT" rev-parse --short HEAD)" "$SIZE" "$BENCH/README.md"
log "done: bench/README.md cluster section rewritten; runs in $OUT"
