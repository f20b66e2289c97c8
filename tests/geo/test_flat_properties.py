"""geo.export.flat_properties writes nested values as the standard ``json.dumps(v, ensure_ascii=False)``
would (its cached C encoder must not change a byte of the OGC items or the exports)."""

import json

from geo.export import flat_properties

TRICKY = [[], {}, ["西岗区", "a\"b\\c", "line\nbreak\u2028\x01"], {"a": [1, 2.5, None, True, False], "b": {"c": -0.0}},
          [1e-7, 1e16, 0.1, 2**70], [{"id": "z1", "basis": "both"}, {"id": "z2", "basis": "text"}]]


def test_nested_values_as_json_dumps_writes_them():
    props = {f"k{i}": v for i, v in enumerate(TRICKY)} | {"plain": "x", "n": 3, "none": None}
    flat = flat_properties(props)
    assert flat["plain"] == "x" and flat["n"] == 3 and flat["none"] is None
    for i, v in enumerate(TRICKY):
        assert flat[f"k{i}"] == json.dumps(v, ensure_ascii=False)


def test_real_project_features(client):
    features = client.get("/api/projects", params={"limit": 10000}).json()["features"]
    assert len(features) > 200
    nested = 0
    for f in features:
        flat = flat_properties(f["properties"])
        for k, v in f["properties"].items():
            if isinstance(v, (list, dict)):
                nested += 1
                assert flat[k] == json.dumps(v, ensure_ascii=False), (f["id"], k)
            else:
                assert flat[k] == v
    assert nested > 1000
