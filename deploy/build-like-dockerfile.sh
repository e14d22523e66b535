#!/usr/bin/env bash
# The publish steps of deploy/Dockerfile's build stage, runnable without a container engine (CI runs it).
# The Dockerfile runs this very script, so the two cannot drift. Usage: deploy/build-like-dockerfile.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-deploy/.azurite/publish}"
dotnet restore Silo/ThreatGraph.Silo.csproj
dotnet publish Silo/ThreatGraph.Silo.csproj -c Release --no-restore -o "$out" -p:UseAppHost=false
test -f "$out/ThreatGraph.Silo.dll"
# The dashboard and GraphiQL, built from GraphApi/ClientApp by the publish (needs Node.js).
test -f "$out/clientapp/index.html" && test -f "$out/clientapp/assets/dashboard.js" && test -f "$out/clientapp/assets/graphiql.js"
echo "published to $out"
