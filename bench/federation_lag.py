#!/usr/bin/env python3
"""Federation lag under steady ingest (run by bench/federation.sh; standard library only).

Posts BUNDLES_PER_SECOND bundles of OBJECTS_PER_BUNDLE GREEN indicators to jp at a fixed arrival rate for SECONDS,
waits until us holds them all, then reads each indicator's provenance on us: receivedAt (arrival on us) minus
reportedAt (arrival on jp) is the federation lag. Both deployments run on this machine, so one clock.
"""
import json, sys, threading, time, uuid, urllib.request
from datetime import datetime

jp, us, seconds, rate, per = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"


def post(url, key, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"X-Api-Key": key, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.load(r)


def indicator():
    domain = f"lag-{uuid.uuid4().hex[:12]}.example.net"
    return {"type": "indicator", "spec_version": "2.1", "id": f"indicator--{uuid.uuid4()}",
            "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z", "name": domain,
            "pattern": f"[domain-name:value = '{domain}']", "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z",
            "object_marking_refs": [GREEN]}


ids, errors, threads = [], [], []


def send(objects):
    try:
        report = post(f"{jp}/api/bundles", "jp-analyst-dev-key", {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": objects})
        if report["totals"]["rejected"]:
            errors.append("rejected")
    except Exception as e:  # noqa: BLE001 - reported below
        errors.append(str(e))


start = time.monotonic()
n = int(seconds * rate)
for i in range(n):  # fixed arrival rate: each bundle leaves at its slot, whether or not the previous one is answered
    delay = start + i / rate - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    objects = [indicator() for _ in range(per)]
    ids.extend(o["id"] for o in objects)
    t = threading.Thread(target=send, args=(objects,))
    t.start()
    threads.append(t)
for t in threads:
    t.join()
sent = time.monotonic() - start
print(f"posted {len(ids)} indicators in {n} bundles over {sent:.1f} s to jp ({len(ids) / sent:.0f} objects/s); errors: {len(errors)} {errors[:3]}")


def provenance(batch):
    query = "{" + " ".join(f'o{i}: object(id: "{x}") {{ provenance {{ reportedAt receivedAt }} }}' for i, x in enumerate(batch)) + "}"
    data = post(f"{us}/graphql", "us-analyst-dev-key", {"query": query})["data"]
    return [data[f"o{i}"] for i in range(len(batch))]


def parse(t):
    return datetime.fromisoformat(t.replace("Z", "+00:00"))


deadline = time.monotonic() + 300
lags = []
pending = list(ids)
while pending and time.monotonic() < deadline:
    still = []
    for k in range(0, len(pending), 200):
        batch = pending[k:k + 200]
        for x, o in zip(batch, provenance(batch)):
            if o is None:
                still.append(x)
            else:
                p = o["provenance"]
                lags.append((parse(p["receivedAt"]) - parse(p["reportedAt"])).total_seconds())
    pending = still
    if pending:
        time.sleep(1)
if pending:
    print(f"{len(pending)} indicators never reached us")
lags.sort()


def pct(q):
    return lags[min(len(lags) - 1, int(q * len(lags)))] * 1000


print(f"federation lag over {len(lags)} indicators (jp arrival -> us arrival): p50 {pct(0.5):.0f} ms, p90 {pct(0.9):.0f} ms, "
      f"p99 {pct(0.99):.0f} ms, max {lags[-1] * 1000:.0f} ms")
peers = post(f"{us}/graphql", "us-analyst-dev-key", {"query": "{ federationPeers { name lag errors applied refused caughtUp } }"})
print("us federationPeers:", json.dumps(peers["data"]["federationPeers"]))
