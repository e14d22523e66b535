#!/usr/bin/env python3
"""A minimal TAXII 2.1 client using only the standard library (urllib), written from the specification and not from
the server's code. Used by Taxii.Tests (PythonClientTests) as an independent interoperability check, and by
taxii_bench.py.

    python3 taxii_client.py BASE_URL API_KEY            # discover, list collections, post a bundle, page it back
"""
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

TAXII = "application/taxii+json;version=2.1"


class TaxiiError(Exception):
    pass


class Client:
    def __init__(self, base_url, api_key):
        self.base = base_url.rstrip("/") + "/"
        self.key = api_key

    def request(self, method, url, body=None):
        headers = {"Accept": TAXII, "X-Api-Key": self.key}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = TAXII
        req = urllib.request.Request(url, data=data, headers=headers, method=method)
        for _ in range(30):
            try:
                return self._send(req)
            except urllib.error.HTTPError as e:
                if e.code != 429:  # 429: rate limited, wait as told and try again
                    raise TaxiiError("%s %s: %s %s" % (method, url, e.code, e.read().decode("utf-8", "replace"))) from None
                time.sleep(float(e.headers.get("Retry-After", "1")))
        raise TaxiiError("%s %s: still rate limited after 30 tries" % (method, url))

    @staticmethod
    def _send(req):
        with urllib.request.urlopen(req, timeout=60) as resp:
            ctype = resp.headers.get("Content-Type", "")
            if not ctype.replace(" ", "").startswith("application/taxii+json"):
                raise TaxiiError("unexpected content type " + ctype)
            return resp.status, dict(resp.headers), json.loads(resp.read().decode("utf-8"))

    def discovery(self):
        return self.request("GET", self.base + "taxii2/")[2]

    def collections(self, api_root):
        return self.request("GET", api_root + "collections/")[2].get("collections", [])

    def pages(self, collection_url, resource="objects/", limit=100, **filters):
        """Yields each page's items, following `next` while `more` is true."""
        params = {"limit": str(limit)}
        params.update({k: v for k, v in filters.items()})
        next_token = None
        while True:
            query = dict(params)
            if next_token:
                query["next"] = next_token
            url = collection_url + resource + "?" + urllib.parse.urlencode(query)
            _, headers, page = self.request("GET", url)
            yield page.get("objects", []), headers
            if not page.get("more"):
                return
            next_token = page["next"]

    def add_objects(self, collection_url, objects):
        status, _, body = self.request("POST", collection_url + "objects/", {"objects": objects})
        if status != 202:
            raise TaxiiError("POST objects answered %s" % status)
        return body

    def status(self, api_root, status_id):
        return self.request("GET", api_root + "status/" + status_id + "/")[2]


def indicator(n):
    return {
        "type": "indicator", "spec_version": "2.1", "id": "indicator--%s" % uuid.uuid4(),
        "created": "2024-05-01T00:00:00.000Z", "modified": "2024-05-01T00:00:00.000Z",
        "name": "client test %d" % n, "pattern": "[ipv4-addr:value = '198.51.100.%d']" % (n % 250 + 1),
        "pattern_type": "stix", "valid_from": "2024-05-01T00:00:00Z",
    }


def main(argv):
    base, key = argv[1], argv[2]
    client = Client(base, key)
    discovery = client.discovery()
    api_root = discovery["default"]
    print("api_roots", len(discovery["api_roots"]))
    collections = client.collections(api_root)
    writable = [c for c in collections if c["can_read"] and c["can_write"]]
    print("collections", len(collections), "writable", len(writable))
    collection_url = api_root + "collections/" + writable[0]["id"] + "/"

    sent = [indicator(n) for n in range(25)]
    status = client.add_objects(collection_url, sent)
    again = client.status(api_root, status["id"])
    print("status", again["status"], "success", again["success_count"], "failure", again["failure_count"])

    received, pages = [], 0
    for objects, headers in client.pages(collection_url, limit=10, **{"match[type]": "indicator"}):
        pages += 1
        received.extend(objects)
        if objects and "X-TAXII-Date-Added-First" not in headers:
            raise TaxiiError("page without X-TAXII-Date-Added-First")
    ids = [o["id"] for o in received]
    if len(ids) != len(set(ids)):
        raise TaxiiError("duplicate objects across pages")
    by_id = {o["id"]: o for o in received}
    missing = [o["id"] for o in sent if by_id.get(o["id"]) != o]
    print("paged", len(received), "objects in", pages, "pages; sent and identical:", len(sent) - len(missing))
    if missing:
        raise TaxiiError("not served back identically: %s" % missing[:3])
    print("ok")


if __name__ == "__main__":
    try:
        main(sys.argv)
    except TaxiiError as e:
        print("error:", e, file=sys.stderr)
        sys.exit(1)
