"""zonemap extract's layouts, zones, plan entry, ids and cleaning, on the five real documents."""

from __future__ import annotations

import pytest

from projects.extract.draft import english, guess_plan, propose_parts, slugify
from projects.extract.places import find_layouts, strip_numbering, zone_in_heading, zone_subject
from projects.extract.text import clean, read_document

FILES = {
    "xigang-13th": "000_d559e79bf937d935.txt", "shahekou-14th": "001_1d0a5113fd5c9ab2.txt",
    "xigang-2016": "002_fc2554f0bbfd893b.txt", "dalian-2018": "003_73368d6ee1ea3c0d.txt",
    "xigang-services": "004_7a2cbc4e42475636.txt",
}


@pytest.fixture(scope="module")
def docs(seeds):
    return {key: read_document(seeds / name) for key, name in FILES.items()}


def zones_of(doc) -> dict[str, list[str]]:
    return {layout.name: [z.name for z in layout.zones] for layout in find_layouts(doc)}


def test_a_part_defined_before_its_layout_is_named_finds_it(docs):
    layouts = zones_of(docs["xigang-13th"])
    six = ["长春路及八一路经济发展轴", "站北商贸商务文化区", "香炉礁国际商贸物流区", "新开路金融商业区",
           "一二九街国际商务区", "奥林匹克现代商业区", "傅家庄休闲旅游商务区"]
    assert layouts["一轴六区"] == six  # named only in the appended explanation, after its parts
    assert layouts["一轴八区"] == []  # shares "一轴", not the six zones
    assert layouts["三大商圈"] == ["香炉礁商圈", "站北商圈", "奥林匹克商圈"]
    assert {"奥林匹克高端商贸区", "南部现代休闲旅游度假区"} <= set(layouts["一湾两域五区"])


def test_zones_under_the_headings_of_a_layouts_parts(docs):
    layouts = zones_of(docs["shahekou-14th"])
    assert layouts["两区五片一湾线"] == ["星海湾金融商务区", "西安路商务商贸区", "马栏片区", "南沙片区", "李家片区",
                                   "春柳片区", "中山公园片区", "黑石礁-星海湾-马栏河湾线"]
    services = zones_of(docs["xigang-services"])
    assert services["承载街道"] == ["八一路街道", "人民广场街道", "白云街道", "日新街道", "香炉礁街道"]
    assert services["一轴、两湾、三街、四片区"][0] == "长春路核心轴线"  # "以长春路为核心轴线"


def test_a_list_of_areas_is_a_layout_for_the_reviewer_to_name(docs):
    layouts = zones_of(docs["dalian-2018"])
    (name, zones), = [(n, z) for n, z in layouts.items() if "长兴岛" in z]
    assert {"金普新区", "高新区", "花园口", "旅顺开发区", "梭鱼湾", "新机场商务区"} <= set(zones)


def test_zone_subjects_and_headings():
    assert zone_subject("马栏片区要加大业态调整升级的力度") == ("马栏片区", True)
    assert zone_subject("一二九街国际商务区列入大连市商务总部经济核心区") == ("一二九街国际商务区", False)
    assert zone_subject("百年港湾滨海商业区、巨幕影院进入试营业阶段") is None  # a list of things
    assert zone_in_heading("一、联动发展长春路及八一路经济发展轴") == "长春路及八一路经济发展轴"
    assert zone_in_heading("全力建设六个功能区") is None and zone_in_heading("二、重点建设六区") is None
    assert strip_numbering("一二九街国际商务区") == "一二九街国际商务区"  # 一二九 is a name, not a number
    assert strip_numbering("第五章  建设结构优化的现代服务业集聚区") == "建设结构优化的现代服务业集聚区"


def test_plan_entries_and_their_parts(docs):
    city = guess_plan(docs["dalian-2018"], "x")
    assert (city["title_zh"], city["district"], city["year"], city["kind"]) == ("2018年大连市政府工作报告", "大连市", 2018, "work_report")
    assert [(p["part"], p["year"]) for p in propose_parts(docs["dalian-2018"], city)] == [
        ("review", 2017), ("review", 2017), ("plan", 2022), ("plan", 2018)]
    fyp = guess_plan(docs["xigang-13th"], "x")
    assert (fyp["title_zh"], fyp["date"]) == ("大连市西岗区国民经济和社会发展第十三个五年规划纲要", "2016-06-01")
    parts = {p["section"]: (p["part"], p["year"]) for p in propose_parts(docs["xigang-13th"], fyp)}
    assert parts["第一章 科学发展品质城区建设成果丰硕"] == ("review", 2015)
    assert parts["专栏4 “双十”工程"] == ("plan", 2020)
    services = guess_plan(docs["xigang-services"], "x")
    assert (services["title_zh"], services["period"], services["date"]) == ("西岗区服务业发展“十四五”规划", "2021-2025", None)


def test_ids_read_place_names_and_english_placeholders_translate_kinds():
    assert slugify("黑咀子码头及周边地块改造项目").startswith("hei-zui-zi-ma-tou")
    assert slugify("长白街") == "chang-bai-jie" and slugify("银行") == "yin-hang"  # a phrase keeps its reading
    assert english("黑咀子码头") == "Heizuizi Wharf"
    assert english("马栏片区") == "Malan Area" and english("八一路街道") == "Bayilu Subdistrict"


def test_a_page_break_inside_a_paragraph_is_joined():
    para = "推进集团化发展，建成“鸿雁联盟”行业人才智汇小站；积极发展创业孵化载体，建成市级以上孵化器6家；大"
    text, offsets = clean(para + "\n\n连创谷汇双创产业中心列入“辽宁省双创示范基地”。\n二、发展思路\n")
    assert "大连创谷汇双创产业中心" in text and text.endswith("。\n二、发展思路\n")
    raw = para + "\n\n连创谷汇双创产业中心列入“辽宁省双创示范基地”。\n二、发展思路\n"
    assert all(raw[o] == ch for o, ch in zip(offsets, text))
