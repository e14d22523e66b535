#!/usr/bin/env bash
# Correlation numbers: starts a Release server on a spare loopback port, runs bench/Correlation against it, stops it.
# Usage: bench/correlation.sh [NOTIFICATIONS] [NODES]
set -euo pipefail
cd "$(dirname "$0")/.."
port=5099
dotnet build Silo -c Release -v q -nologo >/dev/null
dotnet build bench/Correlation -c Release -v q -nologo >/dev/null
dotnet Silo/bin/Release/net10.0/ThreatGraph.Silo.dll --urls "http://127.0.0.1:$port" --Orleans:SiloPort=11199 --Orleans:GatewayPort=30099 \
  >/tmp/threatgraph-bench-server.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf -o /dev/null -H 'X-Api-Key: jp-analyst-dev-key' -H 'content-type: application/json' -d '{"query":"{ typeCounts { type } }"}' "http://127.0.0.1:$port/graphql" && break
  sleep 0.5
done
dotnet bench/Correlation/bin/Release/net10.0/ThreatGraph.Bench.Correlation.dll --url "http://127.0.0.1:$port" --key jp-analyst-dev-key \
  --notifications "${1:-200}" --nodes "${2:-100000}"
