#!/usr/bin/env bash
# A local three-silo ThreatGraph cluster on loopback: Azurite (data in deploy/.azurite/), then three silos on Azure
# Table clustering and Azure storage, each co-hosting the gateway:
#   silo 1: http://127.0.0.1:5080  silo port 11111  gateway 30000
#   silo 2: http://127.0.0.1:5081  silo port 11112  gateway 30001
#   silo 3: http://127.0.0.1:5082  silo port 11113  gateway 30002
# Logs (JSON lines) and pids in deploy/.azurite/cluster/. Ctrl-C stops everything (gracefully).
# Kill one silo the hard way:  kill -9 "$(cat deploy/.azurite/cluster/silo3.pid)"
# Bring it back:               deploy/local-cluster.sh start-silo 3
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
run="$here/.azurite/cluster"
dll="$root/Silo/bin/Release/net10.0/ThreatGraph.Silo.dll"
mkdir -p "$run"
conn="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;"

start_silo() {
  local n=$1 http=$((5079 + $1))
  if curl -s -o /dev/null "http://127.0.0.1:$http"; then
    echo "port $http is already in use: is silo $n (or another program) still running?" >&2
    return 1
  fi
  # From the build folder, so that Silo's appsettings.json (log levels) applies.
  (cd "$(dirname "$dll")" && ASPNETCORE_URLS="http://127.0.0.1:$http" \
    Orleans__Storage=azure Orleans__AzureStorageConnectionString="$conn" \
    Orleans__ServiceId=threatgraph Orleans__ClusterId=threatgraph-local \
    Orleans__SiloPort=$((11110 + n)) Orleans__GatewayPort=$((29999 + n)) \
    Orleans__Dashboard="${DASHBOARD:-false}" Logging__Console__FormatterName=json \
    exec nohup dotnet "$dll" >> "$run/silo$n.log" 2>&1) &
  local pid=$!
  echo "$pid" > "$run/silo$n.pid"
  for _ in $(seq 1 120); do
    if ! kill -0 "$pid" 2> /dev/null; then
      echo "silo $n exited; last lines of $run/silo$n.log:" >&2
      tail -5 "$run/silo$n.log" >&2
      return 1
    fi
    if curl -fs "http://127.0.0.1:$http/health/ready" > /dev/null; then
      echo "silo $n ready: http://127.0.0.1:$http/graphql   (pid $pid, log $run/silo$n.log)"
      return 0
    fi
    sleep 1
  done
  echo "silo $n did not become ready; see $run/silo$n.log" >&2
  return 1
}

if [ "${1:-}" = "start-silo" ]; then
  start_silo "$2"
  exit 0
fi

dotnet build "$root/Silo/ThreatGraph.Silo.csproj" -c Release -nologo > "$run/build.log" 2>&1 || { cat "$run/build.log"; exit 1; }
if ! curl -s -o /dev/null http://127.0.0.1:10000; then
  "$here/azurite.sh" > "$run/azurite.log" 2>&1 &
  echo $! > "$run/azurite.pid"
  for _ in $(seq 1 60); do curl -s -o /dev/null http://127.0.0.1:10002 && break; sleep 0.5; done
  echo "azurite started (data in deploy/.azurite, log $run/azurite.log)"
fi

sleeper=
stop() {
  [ -n "$sleeper" ] && kill "$sleeper" 2> /dev/null || true
  for n in 3 2 1; do [ -f "$run/silo$n.pid" ] && kill "$(cat "$run/silo$n.pid")" 2> /dev/null || true; done
  for n in 3 2 1; do while [ -f "$run/silo$n.pid" ] && kill -0 "$(cat "$run/silo$n.pid")" 2> /dev/null; do sleep 0.5; done; done
  [ -f "$run/azurite.pid" ] && kill "$(cat "$run/azurite.pid")" 2> /dev/null || true
  echo "stopped"
}
trap 'stop; exit 0' INT TERM

start_silo 1
start_silo 2
start_silo 3
echo "cluster up. Ingest: dotnet run --project Cli -- ingest --key jp-analyst-dev-key --url http://127.0.0.1:5080 FILE   Ctrl-C stops it."
while true; do sleep 3600 & sleeper=$!; wait $sleeper; done   # wait (not sleep) so that Ctrl-C runs the trap at once
