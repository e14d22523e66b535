#!/usr/bin/env bash
# Starts Azurite (the Azure Storage emulator pinned in deploy/package.json) on loopback, data in deploy/.azurite/.
# Ports: blob 10000, queue 10001, table 10002 (override with AZURITE_BLOB_PORT / _QUEUE_PORT / _TABLE_PORT).
# Runs in the foreground; Ctrl-C stops it. Installs Azurite first (npm ci) if deploy/node_modules is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="${AZURITE_DATA:-$here/.azurite}"
[ -f "$here/node_modules/azurite/dist/src/azurite.js" ] || npm ci --prefix "$here" --no-audit --no-fund
mkdir -p "$data"
exec node "$here/node_modules/azurite/dist/src/azurite.js" --silent --loose --location "$data" \
  --blobHost 127.0.0.1 --blobPort "${AZURITE_BLOB_PORT:-10000}" \
  --queueHost 127.0.0.1 --queuePort "${AZURITE_QUEUE_PORT:-10001}" \
  --tableHost 127.0.0.1 --tablePort "${AZURITE_TABLE_PORT:-10002}"
