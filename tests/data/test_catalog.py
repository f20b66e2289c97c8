"""The catalog against its documents: table rows covered, one record per site, names bilingual."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from zmtest import seeds_dir


def _names(ds) -> list[str]:
    out = []
    for p in ds.projects:
        out += [p["name_zh"], *p["aliases"]]
    return out


def _covered(item: str, names: list[str]) -> bool:
    core = re.sub(r"(项目|工程)$", "", item)
    return any(core in n or n in item for n in names)


def test_every_row_of_the_13th_fyp_table_1_is_a_project(real_dataset):
    """专栏1 lists 22 completed, 10 under-construction and 16 preparation projects by name."""
    text = (seeds_dir() / "000_d559e79bf937d935.txt").read_text(encoding="utf-8")
    names = _names(real_dataset)
    rows = re.findall(r"^(完工达效项目|实施建设项目|前期推进项目)（(\d+)项）：(.+)$", text, re.M)
    assert [r[0] for r in rows] == ["完工达效项目", "实施建设项目", "前期推进项目"]
    for label, count, items in rows:
        # "悦泰·福里（一、二期）" keeps its inner 、 — split only outside brackets.
        parts = [p.strip("。 ") for p in re.split(r"、(?![^（]*）)", items) if p.strip("。 ")]
        assert len(parts) == int(count), (label, parts)
        missing = [p for p in parts if not _covered(p, names)]
        assert missing == [], f"{label}: rows without a project: {missing}"


def test_table_1_statuses_follow_the_table_heading(real_dataset):
    by_id = {p["id"]: p for p in real_dataset.projects}
    table = [m for m in real_dataset.mentions if m["plan_id"] == "xigang-13th-fyp" and (m["section"] or "").startswith("专栏1")]
    assert len(table) >= 48
    expected = {"完工达效": "completed", "实施建设": "under_construction", "前期推进": "preparation"}
    for m in table:
        for words, status in expected.items():
            if m["status_words"] == words:
                assert m["status"] == status, (by_id[m["project_id"]]["name_zh"], m)


def test_one_record_per_site(real_dataset):
    """No two projects share a name: a site mentioned by several documents is one record."""
    counts = Counter(p["name_zh"] for p in real_dataset.projects)
    assert [n for n, c in counts.items() if c > 1] == []


def test_multi_document_projects_have_a_history(real_dataset):
    docs = Counter()
    for pid in {m["project_id"] for m in real_dataset.mentions}:
        docs[len({m["plan_id"] for m in real_dataset.mentions if m["project_id"] == pid})] += 1
    assert docs[2] + docs[3] + docs[4] >= 30, docs


def test_dongguan_street_renewal_is_one_project_with_its_names(real_dataset):
    p = next(p for p in real_dataset.projects if p["id"] == "dongguan-street-renewal")
    assert len(p["aliases"]) >= 2 and p["alias_note"]
    plans = {m["plan_id"] for m in real_dataset.mentions if m["project_id"] == p["id"]}
    assert {"xigang-13th-fyp", "xigang-work-report-2016", "xigang-services-14th"} <= plans


def test_nothing_invented(real_dataset):
    """Investments are as written (with their unit), years within the documents' span."""
    for m in real_dataset.mentions:
        if m["investment"]:
            assert re.search(r"[亿万]元|美元", m["investment"]), m
        if m["year"] is not None:
            assert 2010 <= m["year"] <= 2025, m


@pytest.mark.parametrize("kind", ["plans", "layouts", "zones", "industries", "streets"])
def test_bilingual_names(real_dataset, kind):
    for row in getattr(real_dataset, kind):
        assert row["name_en" if kind != "plans" else "title_en"], row["id"]
        text = row["name_en" if kind != "plans" else "title_en"]
        assert not re.search(r"[\u3000-\u9fff\uff00-\uffef]", text), (row["id"], text)  # English, not Chinese
