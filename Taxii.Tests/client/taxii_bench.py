#!/usr/bin/env python3
"""TAXII objects paging throughput (not a test): posts N indicators in envelopes of 1,000, then pages the whole
collection with limit=1000 and reports objects/s.

    python3 taxii_bench.py BASE_URL API_KEY [N=20000]
"""
import sys
import time

from taxii_client import Client, indicator


def main(argv):
    base, key = argv[1], argv[2]
    n = int(argv[3]) if len(argv) > 3 else 20000
    client = Client(base, key)
    api_root = client.discovery()["default"]
    collection = client.collections(api_root)[0]
    url = api_root + "collections/" + collection["id"] + "/"
    started = time.perf_counter()
    for start in range(0, n, 1000):
        client.add_objects(url, [indicator(i) for i in range(start, min(n, start + 1000))])
    ingest = time.perf_counter() - started
    for limit in (1000, 100):
        started = time.perf_counter()
        count, pages = 0, 0
        for objects, _ in client.pages(url, limit=limit, **{"match[version]": "all"}):
            count += len(objects)
            pages += 1
        elapsed = time.perf_counter() - started
        print("limit=%d: paged %d objects in %d pages, %.2f s, %.0f objects/s" % (limit, count, pages, elapsed, count / elapsed))
    print("ingest through TAXII POST: %d objects in %.1f s, %.0f objects/s" % (n, ingest, n / ingest))


if __name__ == "__main__":
    main(sys.argv)
