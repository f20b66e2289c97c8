"""The one mapping from status words as written to the normalised status."""

import pytest

from projects.status import Status, normalise_status


@pytest.mark.parametrize("words, expected", [
    ("开工建设", Status.under_construction),
    ("建成", Status.completed),
    ("建成投入使用", Status.completed),
    ("完工达效", Status.completed),
    ("投入使用", Status.completed),
    ("即将竣工通车", Status.under_construction),  # about to finish is not finished
    ("主体结构封顶", Status.under_construction),
    ("加快推进", Status.under_construction),
    ("启动", Status.preparation),
    ("前期推进", Status.preparation),
    ("推进", Status.preparation),
    ("规划建设", Status.planned),
    ("新建", Status.planned),
    ("重点实施", Status.planned),
    ("", Status.unknown),
    (None, Status.unknown),
    ("依托", Status.unknown),
])
def test_normalise_status(words, expected):
    assert normalise_status(words) == expected


def test_latest_status_comes_from_the_latest_document():
    from projects.history import latest

    plans = {"old": {"date": None, "year": 2016}, "new": {"date": None, "year": 2021}}
    mentions = [
        {"plan_id": "new", "status": "completed", "year": None},
        {"plan_id": "old", "status": "planned", "year": None},
    ]
    assert latest(mentions, plans)["plan_id"] == "new"
    # A year the text gives outranks the document's own date.
    mentions.append({"plan_id": "old", "status": "preparation", "year": 2022})
    assert latest(mentions, plans)["status"] == "preparation"
