#!/usr/bin/env bash
# ThreatGraph benchmark: bench/run.sh small|large [seed]
# Installs what it needs (Debian postgresql, npm ci in bench/kuzu), builds Release, generates data (cached by
# size+seed under bench/out/data), starts ThreatGraph, a private PostgreSQL cluster and the Kùzu peer on loopback,
# runs every workload and rewrites the results section of bench/README.md. Everything it starts, it stops.
set -euo pipefail

# Optional environment: BENCH_ONLY=lookup,twohop (workload keys), BENCH_CALLER=member|system|both (who the Orleans
# client calls as), BENCH_README=FILE (where the results go instead of bench/README.md), BENCH_TAG=NAME (suffix of the
# raw results files), BENCH_SETTLE_SECONDS=N (the longest wait after ThreatGraph's load for its idle trims; 900 s by default).
SIZE="${1:-small}"
SEED="${2:-42}"
# SETTLE_SECONDS: the longest wait after ThreatGraph's load before the reads (until the silo reports both idle trims).
case "$SIZE" in small) STEP_SECONDS=3; MAX_STEPS=3; SETTLE_SECONDS=900 ;; large) STEP_SECONDS=10; MAX_STEPS=4; SETTLE_SECONDS=900 ;; *) STEP_SECONDS=3; MAX_STEPS=3; SETTLE_SECONDS=60 ;; esac

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$ROOT/bench"
OUT="$BENCH/out"
LOGS="$OUT/logs"
mkdir -p "$OUT" "$LOGS"

TG_HTTP_PORT=5180; TG_SILO_PORT=11211; TG_GATEWAY_PORT=30100; TG_CLUSTER=threatgraph-bench; TG_SERVICE=threatgraph
PG_PORT=5437; PG_DATA="$OUT/pg"; PG_SOCK=/tmp/threatgraph-bench-pg
KUZU_PORT=5190
PG_BIN=/usr/lib/postgresql/15/bin

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

README="${BENCH_README:-$BENCH/README.md}"
TAG="${BENCH_TAG:+-$BENCH_TAG}"

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -f "$PG_DATA/postmaster.pid" ]; then runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT INT TERM

# ---- install ----
if [ ! -x "$PG_BIN/initdb" ]; then
  log "installing PostgreSQL 15 (Debian package postgresql)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
if [ ! -d "$BENCH/kuzu/node_modules/kuzu" ]; then
  log "npm ci in bench/kuzu"
  (cd "$BENCH/kuzu" && npm ci --no-audit --no-fund >"$LOGS/npm.log" 2>&1)
fi

# ---- build ----
log "building Release"
dotnet build "$ROOT/Silo/ThreatGraph.Silo.csproj" -c Release -v q -nologo >"$LOGS/build-silo.log" 2>&1 || { cat "$LOGS/build-silo.log"; exit 1; }
dotnet build "$BENCH/Runner/ThreatGraph.Bench.Runner.csproj" -c Release -v q -nologo >"$LOGS/build-runner.log" 2>&1 || { cat "$LOGS/build-runner.log"; exit 1; }
RUNNER="$BENCH/Runner/bin/Release/net10.0/ThreatGraph.Bench.Runner.dll"
SILO="$ROOT/Silo/bin/Release/net10.0/ThreatGraph.Silo.dll"

# ---- data ----
log "generating data ($SIZE, seed $SEED; cached)"
dotnet "$RUNNER" generate --size "$SIZE" --seed "$SEED" --out "$OUT/data"
DATA="$OUT/data/$SIZE-seed$SEED"

# ---- ports: a leftover server answering on one would be measured instead of the one started here ----
for port in "$PG_PORT" "$KUZU_PORT" "$TG_HTTP_PORT" "$TG_SILO_PORT" "$TG_GATEWAY_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then log "127.0.0.1:$port is already in use: stop what listens there"; exit 1; fi
done

# ---- PostgreSQL: private cluster on loopback, run as the postgres user ----
log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
rm -rf "$PG_DATA"; mkdir -p "$PG_DATA" "$PG_SOCK"; chown postgres "$PG_DATA" "$PG_SOCK"
chmod o+rx "$ROOT" "$BENCH" "$OUT" 2>/dev/null || true
runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" --auth=trust -U postgres >"$LOGS/initdb.log" 2>&1
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/postgres.log" -w start -o \
  "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$PG_SOCK -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=1GB -c work_mem=64MB -c maintenance_work_mem=512MB -c max_connections=200" >/dev/null
PG_PID=$(head -1 "$PG_DATA/postmaster.pid")

# ---- Kùzu ----
log "starting the Kùzu peer on 127.0.0.1:$KUZU_PORT"
rm -rf "$OUT/kuzu-db" "$OUT/kuzu-db.wal" # loaded afresh every run; a stale WAL from an interrupted run breaks the load
node "$BENCH/kuzu/server.js" "$OUT/kuzu-db" "$KUZU_PORT" >"$LOGS/kuzu.log" 2>&1 &
KUZU_PID=$!; PIDS+=("$KUZU_PID")

# ---- ThreatGraph ----
# Correlation links only what the benchmark calls linked (bench/Generator/EdgeKinds.cs: indicates and pattern-names
# among campaigns, indicators and observables), so linkedCampaigns answers the same question as the peers; by default
# ThreatGraph also links through attributed-to, uses, related-to, … and malware or intrusion sets.
LINK_ONLY_BENCH_KINDS=()
for kind in alias-of duplicate-of sighting_of_ref observed_data_refs object_refs attributed-to based-on derived-from part-of \
            resolves_to_refs src_ref dst_ref communicates-with beacons-to exfiltrates-to uses related-to targets; do
  LINK_ONLY_BENCH_KINDS+=("--Correlation:EdgeWeights:$kind" 0)
done
LINK_ONLY_BENCH_KINDS+=(--Correlation:NonLinkingTypes:0 malware --Correlation:NonLinkingTypes:1 intrusion-set)
# The generator makes public resolvers its busiest observables: the built-in warninglists would stop them linking.
LINK_ONLY_BENCH_KINDS+=(--Correlation:BuiltinWarninglists false)
# large: a 16 GiB heap limit, as a container's memory limit would set it. Without one the collector lets the load's
# dead activations pile up in gen2 until the whole machine (PostgreSQL and Kùzu beside the silo) is 90% full.
GC_LIMIT=(); if [ "$SIZE" = large ]; then GC_LIMIT=(env DOTNET_GCHeapHardLimit=0x400000000); fi
log "starting ThreatGraph on 127.0.0.1:$TG_HTTP_PORT (silo $TG_SILO_PORT, gateway $TG_GATEWAY_PORT)"
Logging__LogLevel__Default=Warning "${GC_LIMIT[@]}" dotnet "$SILO" --urls "http://127.0.0.1:$TG_HTTP_PORT" \
  --Orleans:SiloPort "$TG_SILO_PORT" --Orleans:GatewayPort "$TG_GATEWAY_PORT" \
  --Orleans:ClusterId "$TG_CLUSTER" --Orleans:ServiceId "$TG_SERVICE" --Orleans:IdleMinutes 2 \
  --Security:RequestsPerSecond 100000 --Security:Burst 100000 --Security:MaxWebSocketConnectionsPerKey 200 \
  --Ingest:OrgBytesPerMinute 1099511627776 --Ingest:OrgObjectsPerMinute 1000000000 \
  "${LINK_ONLY_BENCH_KINDS[@]}" >"$LOGS/silo.log" 2>&1 &
TG_PID=$!; PIDS+=("$TG_PID")

wait_for() { # url, name
  for _ in $(seq 1 120); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" != "000" ]; then return 0; fi
    sleep 0.5
  done
  log "$2 did not start; see $LOGS"; exit 1
}
wait_for "http://127.0.0.1:$KUZU_PORT/health" Kùzu
wait_for "http://127.0.0.1:$TG_HTTP_PORT/api/objects/x" ThreatGraph

# ---- run ----
log "running workloads"
dotnet "$RUNNER" run --data "$DATA" --seed "$SEED" --step-seconds "$STEP_SECONDS" --max-steps "$MAX_STEPS" \
  --tg-url "http://127.0.0.1:$TG_HTTP_PORT" --tg-gateway-port "$TG_GATEWAY_PORT" --tg-pid "$TG_PID" \
  --tg-cluster-id "$TG_CLUSTER" --tg-service-id "$TG_SERVICE" --tg-settle-seconds "${BENCH_SETTLE_SECONDS:-$SETTLE_SECONDS}" \
  --pg "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres;Maximum Pool Size=64;Timeout=60;Command Timeout=600" --pg-pid "$PG_PID" \
  --kuzu "http://127.0.0.1:$KUZU_PORT" --kuzu-pid "$KUZU_PID" \
  --caller "${BENCH_CALLER:-member}" --results "$OUT/results-$SIZE$TAG.json" --readme "$README" ${BENCH_ONLY:+--only "$BENCH_ONLY"} \
  | tee "$OUT/results-$SIZE$TAG.md"
log "done: $README rewritten; logs in $LOGS"
