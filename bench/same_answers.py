"""Do two checkouts of zonemap answer a set of URLs the same? A guard for serving-path work
(issue 11): run it with this checkout's Python against another checkout's tree, e.g.

    git archive main | tar -x -C /tmp/zonemap-main
    .venv/bin/python bench/same_answers.py --other /tmp/zonemap-main --db sqlite:///path/synth.sqlite

Each URL is asked in process (TestClient) of both apps, with the response caches off; status,
media type, ETag and the parsed JSON body (``timeStamp`` aside) must be equal, CSV bodies byte
for byte. Prints the differences and exits 1 if there are any.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

URLS = [
    "/ogc/collections/projects/items?limit=10", "/ogc/collections/projects/items?limit=100",
    "/ogc/collections/projects/items?limit=1000", "/ogc/collections/projects/items?limit=5&offset=20",
    "/ogc/collections/projects/items?limit=50&bbox=121.600,38.905,121.635,38.925",
    "/ogc/collections/projects/items?limit=20&filter=status%3D%27completed%27&sortby=-status_year",
    "/ogc/collections/projects/items?limit=20&properties=name_zh,status&skipGeometry=true",
    "/ogc/collections/projects/items?limit=20&crs=http://www.opengis.net/def/crs/EPSG/0/4490",
    "/ogc/collections/projects/items?limit=20&as_of=2016", "/ogc/collections/projects/items?limit=20&status=completed",
    "/ogc/collections/projects/items?limit=10&nosuch=1", "/ogc/collections/projects/items?limit=0",
    "/ogc/collections/zones/items?limit=5", "/ogc/collections/projects/items/x-does-not-exist",
    "/api/projects?limit=10", "/api/projects?limit=100", "/api/projects?limit=1000", "/api/projects?limit=7&offset=3",
    "/api/projects?limit=50&bbox=121.600,38.905,121.635,38.925", "/api/projects?limit=50&near=121.6185,38.9155,800",
    "/api/projects?limit=20&fields=name_zh,status", "/api/projects?limit=20&crs=3857", "/api/projects?limit=20&as_of=2016",
    "/api/projects?limit=20&sort=-status_year,name_zh", "/api/projects?limit=20&f=csv", "/api/projects?limit=20&f=json",
    "/api/projects?limit=10&nosuch=1", "/api/projects?limit=0", "/api/projects?status=nonsense",
    "/api/projects?limit=10&offset=100000", "/ogc/collections/projects/items?limit=10&offset=100000",
    "/api/projects?limit=30&sort=status,-name_en", "/ogc/collections/projects/items?limit=30&sortby=name_zh,-status_year",
    "/api/projects?limit=30&q=%E8%B7%AF", "/ogc/collections/projects/items?limit=30&q=%E8%B7%AF&status=completed",
    "/api/projects?limit=30&located=false", "/api/projects?limit=30&placed=text_only&offset=5",
    "/ogc/collections/projects/items?limit=30&placed=unplaced", "/api/projects?limit=30&kind=plot_redevelopment",
    "/healthz",
]

CHILD = r"""
import json, sys, os
sys.path.insert(0, os.environ["ZM_TREE"])
os.chdir(os.environ["ZM_TREE"])
from fastapi.testclient import TestClient
from webmap.app import create_app
from webmap.settings import Settings
out = {}
with TestClient(create_app(Settings(database_url=os.environ["ZM_DB"]))) as client:
    for url in json.loads(os.environ["ZM_URLS"]):
        r = client.get(url, headers={"Accept": "*/*"})
        out[url] = {"status": r.status_code, "type": r.headers.get("content-type"), "etag": r.headers.get("etag"),
                    "cache": r.headers.get("cache-control"), "body": r.text}
print(json.dumps(out))
"""


def answers(tree: Path, db: str, urls: list[str]) -> dict:
    env = {**os.environ, "ZM_TREE": str(tree), "ZM_DB": db, "ZM_URLS": json.dumps(urls), "ZONEMAP_RESPONSE_CACHE_MB": "0",
           "ZONEMAP_OGC_CACHE_ENTRIES": "0", "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, cwd=tree)
    if out.returncode:
        raise SystemExit(f"{tree}: {out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def comparable(answer: dict):
    body = answer["body"]
    if answer["type"] and "json" in answer["type"]:
        body = json.loads(body)
        if isinstance(body, dict):
            body.pop("timeStamp", None)
            body.pop("request_id", None)
            if isinstance(body.get("error"), dict):
                body["error"].pop("request_id", None)
    return {**answer, "body": body}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--other", required=True, help="the other checkout's tree")
    ap.add_argument("--db", action="append", required=True, help="DATABASE_URL (repeat for several)")
    args = ap.parse_args()
    bad = 0
    for db in args.db:
        mine, theirs = answers(ROOT, db, URLS), answers(Path(args.other), db, URLS)
        for url in URLS:
            a, b = comparable(mine[url]), comparable(theirs[url])
            if a != b:
                bad += 1
                diff = [k for k in a if a[k] != b[k]]
                print(f"DIFFERENT {db.split(':')[0]} {url}: {', '.join(diff)}")
                if "body" in diff and isinstance(a["body"], dict) and isinstance(b["body"], dict):
                    keys = [k for k in set(a["body"]) | set(b["body"]) if a["body"].get(k) != b["body"].get(k)]
                    print(f"   body members that differ: {keys}")
        print(f"{db.split(':')[0]}: {len(URLS)} URLs compared, {bad} different so far")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
