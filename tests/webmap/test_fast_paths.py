"""The lean serving paths answer exactly what the plain ones did."""

from __future__ import annotations

import json

from webmap.media import dumps


def _plain(body) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def test_fast_json_writes_the_bytes_the_standard_encoder_writes(client):
    """orjson (webmap.media.dumps) against json.dumps on real answers: every project, the zones,
    an OGC page, the statistics of the layers, Chinese text and coordinates included."""
    for path in ("/api/projects?limit=1000", "/api/zones", "/api/streets", "/api/districts",
                 "/ogc/collections/projects/items?limit=1000", "/ogc/collections/zones/items?limit=100",
                 "/api/plans", "/api/industries", "/ogc/collections"):
        r = client.get(path)
        assert r.status_code == 200, path
        body = r.json()
        assert r.content == _plain(body) == dumps(body), path


def test_fast_json_edge_values():
    values = {"n": None, "t": True, "i": -(2**63), "f": 121.6185123, "g": 38.0, "s": "西岗区 \"引号\" \\ \n \u2028",
              "l": [1, 2.5, "三"], "d": {"嵌套": [{}]}, "big": 2**70}
    assert dumps(values) == _plain(values)
