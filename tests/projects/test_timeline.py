"""A project's status in time (projects/timeline.py): facts raise it, targets never do, a lower
fact lowers it only with a recorded reason; and the cases issue 7 names, on the real catalog."""

from collections import defaultdict

import pytest

from projects.status import rank
from projects.timeline import (
    as_seen_by, in_date_order, part_of, periods, read_mention, status_at, status_timeline,
)

PLANS = {
    "report-2016": {"date": None, "year": 2016},
    "fyp-13": {"date": None, "year": 2016, "period": None},
    "plan-2021": {"date": None, "year": None, "period": "2021-2025"},
}


def m(plan, statement, status, year, target=None, target_year=None, words=None, reason=None):
    return {"plan_id": plan, "statement": statement, "status": status, "status_year": year,
            "target_status": target, "target_year": target_year, "status_words": words or status,
            "status_change_reason": reason}


def test_the_most_advanced_fact_by_then():
    ms = [m("report-2016", "fact", "preparation", 2015), m("fyp-13", "fact", "under_construction", 2017)]
    assert status_at(ms, PLANS, 2014) is None  # not mentioned yet
    assert status_at(ms, PLANS, 2015).status == "preparation"
    assert status_at(ms, PLANS, 2016).status == "preparation"
    now = status_at(ms, PLANS)
    assert (now.status, now.status_year, now.basis.plan) == ("under_construction", 2017, "fyp-13")


def test_a_target_never_raises_the_status():
    ms = [m("report-2016", "fact", "preparation", 2015),
          m("report-2016", "target", "planned", 2016, "under_construction", 2016, "力争尽早开工建设")]
    now = status_at(ms, PLANS)
    assert now.status == "preparation" and now.status_year == 2015
    assert (now.target_status, now.target_year, now.target_basis.words) == ("under_construction", 2016, "力争尽早开工建设")


def test_a_target_alone_attests_planned():
    now = status_at([m("plan-2021", "target", "planned", 2021, "completed", 2025)], PLANS)
    assert (now.status, now.target_status, now.target_year) == ("planned", "completed", 2025)


def test_a_later_lower_fact_needs_a_reason():
    built = m("report-2016", "fact", "completed", 2015)
    again = m("plan-2021", "fact", "preparation", 2020)
    assert status_at([built, again], PLANS).status == "completed"
    again["status_change_reason"] = "demolished"
    now = status_at([built, again], PLANS)
    assert (now.status, now.status_year, now.change_reason) == ("preparation", 2020, "demolished")
    assert status_at([built, again], PLANS, 2019).status == "completed"
    assert status_timeline([built, again], PLANS) == [{"year": 2015, "status": "completed"}, {"year": 2020, "status": "preparation"}]


def test_a_reached_target_is_no_longer_pending():
    ms = [m("report-2016", "target", "planned", 2016, "under_construction", 2016),
          m("plan-2021", "fact", "under_construction", 2020)]
    assert status_at(ms, PLANS, 2016).target_status == "under_construction"
    assert status_at(ms, PLANS).target_status is None


def test_periods_and_the_compact_timeline():
    ms = [m("report-2016", "fact", "preparation", 2015), m("report-2016", "target", "planned", 2016, "completed", 2016),
          m("fyp-13", "fact", "under_construction", 2015), m("plan-2021", "fact", "completed", 2020)]
    # 2015 ends under construction (two facts that year): one period, the year's end counts.
    assert status_timeline(ms, PLANS) == [{"year": 2015, "status": "under_construction"}, {"year": 2020, "status": "completed"}]
    assert [(p["from_year"], p["to_year"], p["status"]) for p in periods(ms, PLANS)] == [
        (2015, 2019, "under_construction"), (2020, None, "completed")]


def test_as_seen_by_one_document():
    ms = [m("report-2016", "fact", "completed", 2015), m("plan-2021", "target", "planned", 2021, "planned", 2025)]
    assert as_seen_by(ms, "plan-2021", PLANS).status == "planned"
    assert as_seen_by(ms, "report-2016", PLANS).status == "completed"
    assert as_seen_by(ms, "fyp-13", PLANS) is None


def test_dating_a_mention_by_the_part_of_its_document():
    plan = {"date": None, "year": 2016, "parts": [
        {"section": "第一章", "part": "review", "year": 2015}, {"section": "第", "part": "plan", "year": 2020}]}
    assert part_of(plan, "第四章 二、重点建设六区")["part"] == "plan"
    fact = read_mention({"section": "第一章 二、区域功能优化提升", "status_words": "开工建设", "quote": "X项目开工建设", "year": None}, plan)
    assert (fact["statement"], fact["status"], fact["status_year"]) == ("fact", "under_construction", 2015)
    task = read_mention({"section": "第四章", "status_words": "开工建设", "quote": "推动X开工建设", "year": None}, plan)
    assert (task["statement"], task["status"], task["status_year"]) == ("target", "planned", 2016)
    # a 13th FYP task without a year aims at the end of the plan period, as its part says
    assert (task["target_status"], task["target_year"]) == ("under_construction", 2020)
    # without parts, a target aims at the end of the plan's period, else its year
    bare = read_mention({"section": None, "status_words": "力争开工", "quote": None, "year": None}, {"period": "2021-2025"})
    assert (bare["status_year"], bare["target_year"]) == (2021, 2025)


def test_catalog_overrides_win():
    plan = {"date": None, "year": 2016, "parts": [{"section": "", "part": "plan", "year": 2016}]}
    row = read_mention({"section": "x", "status_words": "完成", "quote": "完成X", "year": None,
                        "_overrides": {"statement": "fact", "status": None, "target_status": None}}, plan)
    assert (row["statement"], row["status"], row["target_status"]) == ("fact", "completed", None)


# --- the real catalog ---------------------------------------------------------------------

NAMED = {  # issue 7: project → (status now, since)
    "ikea-dalian": ("completed", 2015),
    "walmart-sams-club": ("completed", 2015),
    "metro-xianglujiao": ("completed", 2015),
    "dalian-coherent-light-source": ("completed", 2017),
    "intel-dalian-nvm-fab": ("completed", 2017),
    "dalian-metro-line-5": ("under_construction", 2017),
    "dalian-bay-subsea-tunnel": ("under_construction", 2017),
    "dalian-childrens-hospital-expansion": ("under_construction", 2015),
    "fujiazhuang-park": ("completed", 2015),
    "foreign-trade-tower": ("completed", 2015),
    "hengqichang-plot-redevelopment": ("preparation", 2015),
}


@pytest.mark.parametrize("project, expected", NAMED.items())
def test_the_projects_issue_7_names(real_dataset, project, expected):
    p = next(p for p in real_dataset.projects if p["id"] == project)
    assert (p["status"], p["status_year"]) == expected


def test_targets_read_as_targets(real_dataset):
    """东关街 “力争尽早开工建设” and 高尔基路—凤鸣街 “争取部分地块开工建设” are 2016 targets, not 在建."""
    for project, words in [("dongguan-street-renewal", "力争尽早开工建设"), ("gaoerji-fengming-redevelopment", "争取部分地块开工建设")]:
        m_ = next(x for x in real_dataset.mentions if x["project_id"] == project and x["status_words"] == words)
        assert (m_["statement"], m_["status"], m_["target_status"], m_["target_year"]) == ("target", "planned", "under_construction", 2016)
    gaoerji = next(p for p in real_dataset.projects if p["id"] == "gaoerji-fengming-redevelopment")
    assert gaoerji["status"] == "preparation" and gaoerji["target_status"] == "under_construction"
    # 东关街 did start later: the services plan reviews 2016–2020 with 已开工建设
    dongguan = next(p for p in real_dataset.projects if p["id"] == "dongguan-street-renewal")
    assert (dongguan["status"], dongguan["status_plan_id"], dongguan["status_words"]) == ("under_construction", "xigang-services-14th", "已开工建设")


def test_no_status_below_an_earlier_fact(real_dataset):
    """Computed straight from the mentions: the most advanced fact never exceeds the status now,
    unless a later fact records why it fell."""
    by = defaultdict(list)
    for x in real_dataset.mentions:
        by[x["project_id"]].append(x)
    for p in real_dataset.projects:
        facts = [x for x in by[p["id"]] if x["statement"] == "fact"]
        if any(x["status_change_reason"] for x in facts):
            continue
        best = max((rank(x["status"]) for x in facts), default=0)
        assert rank(p["status"]) >= best, (p["id"], p["status"])


def test_every_mention_is_a_fact_or_a_target(real_dataset):
    for x in real_dataset.mentions:
        assert x["statement"] in ("fact", "target")
        if x["statement"] == "target":
            assert rank(x["status"]) <= rank("preparation"), x
            assert x["target_year"] or not x["target_status"], x
        else:
            assert x["target_status"] is None and x["target_year"] is None


def test_history_is_in_date_order(real_dataset):
    plans = real_dataset.plans_by_id()
    ms = [x for x in real_dataset.mentions if x["project_id"] == "dongguan-street-renewal"]
    years = [x["status_year"] for x in in_date_order(ms, plans)]
    assert years == sorted(years) and years[0] == 2015


def test_a_catalog_statement_reads_the_words_that_way():
    plan = {"date": None, "year": 2016, "parts": [{"section": "", "part": "review", "year": 2015}]}
    # 力争 makes a target by rule; a catalog override (with its note) can say the sentence reports a fact
    row = read_mention({"section": "x", "status_words": "力争开工", "quote": None, "year": None,
                        "_overrides": {"statement": "fact", "status": None, "target_status": None}}, plan)
    assert (row["statement"], row["status"], row["target_status"], row["status_year"]) == ("fact", "under_construction", None, 2015)
