#!/usr/bin/env bash
# Federation lag under steady ingest: starts two Release deployments on loopback (jp and us, in-memory storage, us
# pulling from jp every POLL seconds), posts bundles to jp at a fixed rate, then reads every object's provenance on us
# (reportedAt on jp, receivedAt on us: the same clock) and prints the lag distribution. Not a test: numbers for the README.
# Usage: bench/federation.sh [SECONDS=60] [BUNDLES_PER_SECOND=10] [OBJECTS_PER_BUNDLE=20] [POLL=1]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"; rate="${2:-10}"; per="${3:-20}"; poll="${4:-1}"
jp=5097; us=5098
dotnet build Silo -c Release -v q -nologo >/dev/null
silo=Silo/bin/Release/net10.0/ThreatGraph.Silo.dll
dotnet "$silo" --urls "http://127.0.0.1:$jp" --Orleans:SiloPort=11197 --Orleans:GatewayPort=30097 --Orleans:ClusterId=bench-jp \
  --Federation:Deployment=jp --Security:RequestsPerSecond=100000 --Security:Burst=100000 --Security:MaxAliases=10000 \
  >/tmp/threatgraph-bench-jp.log 2>&1 &
pids=($!)
dotnet "$silo" --urls "http://127.0.0.1:$us" --Orleans:SiloPort=11198 --Orleans:GatewayPort=30098 --Orleans:ClusterId=bench-us \
  --Federation:Deployment=us --Federation:Peers:0:Name=jp --Federation:Peers:0:Url="http://127.0.0.1:$jp/taxii2/threatgraph/" \
  --Federation:Peers:0:ApiKey=us-federation-dev-key --Federation:Peers:0:ReceivingOrg=us-cisa --Federation:Peers:0:PollSeconds="$poll" \
  --Security:RequestsPerSecond=100000 --Security:Burst=100000 --Security:MaxAliases=10000 \
  >/tmp/threatgraph-bench-us.log 2>&1 &
pids+=($!)
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for port in $jp $us; do
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready" && break
    sleep 0.5
  done
done
python3 bench/federation_lag.py "http://127.0.0.1:$jp" "http://127.0.0.1:$us" "$seconds" "$rate" "$per"
