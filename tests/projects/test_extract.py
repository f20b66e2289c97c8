"""zonemap extract's rules, on real sentences of the plan documents; decoding, cleaning, quotes,
catalog matching and the review field the loader applies."""

from __future__ import annotations

import pytest

from geo.errors import DataProblem
from projects.dataset import normalise_text
from projects.extract.errors import ExtractError
from projects.extract.fields import reviewed
from projects.extract.match import NameIndex, name_key
from projects.extract.names import find_projects
from projects.extract.places import find_streets
from projects.extract.statuses import read_status
from projects.extract.text import clean, decode, read_document
from projects.status import normalise_status


def names(sentence: str) -> dict[str, str | None]:
    return {c.name: c.status_words for c in find_projects(sentence)}


# --- names, on sentences from the five documents ----------------------------------------------------

def test_list_header_gives_every_item_its_status():
    s = "完工达效项目（22项）：大连恒隆广场、沃尔玛山姆会员店、迈世汽车城、长江杰座、沈铁·铭悦、悦泰·福里（一、二期）。"
    found = names(s)
    assert list(found) == ["大连恒隆广场", "沃尔玛山姆会员店", "迈世汽车城", "长江杰座", "沈铁·铭悦", "悦泰·福里（一、二期）"]
    assert set(found.values()) == {"完工达效"}


def test_name_with_suffix_and_the_predicate_after_it():
    assert names("黑咀子码头及周边地块改造项目开工建设，“钻石海湾”西岗段的商务功能逐步完善。") == {"黑咀子码头及周边地块改造项目": "开工建设"}


def test_verb_in_front_is_the_status_when_nothing_follows():
    # 建设 after the name says what the verb is about: the words join with "…" (data/README.md)
    assert names("推进大同街地下人行通道建设,") == {"大同街地下人行通道": "推进…建设"}
    assert names("重点实施大同街地下人行通道") == {"大同街地下人行通道": "重点实施"}
    assert names("推进一二九街周边地块改造、畅通街周边区域改造等前期项目") == {
        "一二九街周边地块改造": "推进…前期项目", "畅通街周边区域改造": "推进…前期项目"}


def test_enumeration_closed_by_a_category_makes_every_item_a_project():
    found = names("推进英特尔、融科储能、新源动力、松下电池等项目实现规模扩张和技术突破。")
    assert list(found) == ["英特尔", "融科储能", "新源动力", "松下电池"]
    assert set(found.values()) == {"推进"}


def test_programmes_and_abstract_nouns_are_not_projects():
    assert names("实施文化惠民工程。") == {}
    assert names("1、食品药品安全应急工程；") == {}
    assert names("深入实施智慧西岗“12311”工程。") == {}
    assert names("推进建设重点经济项目48个，其中亿元以上大项目42个，总投资350亿元。") == {}


def test_zones_are_not_projects():
    s = "马栏片区要加大业态调整升级的力度,提升马栏广场周边商贸服务业发展水平"
    assert "马栏片区" not in names(s)
    assert names("“六区”是指站北商贸商务文化区、香炉礁国际商贸物流区、新开路金融商业区。") == {}


def test_short_names_share_the_head_noun_of_the_last_item():
    found = names("推动社区服务模式家庭化，建成黄河、北岗、拥警、香川“365社区家园”。")
    assert set(found) == {"黄河365社区家园", "北岗365社区家园", "拥警365社区家园", "香川365社区家园"}
    assert set(found.values()) == {"建成"}


def test_two_sites_joined_by_he_each_keep_their_name():
    assert set(names("强化大连现代博物馆和大连自然博物馆社会服务功能。")) == {"大连现代博物馆", "大连自然博物馆"}


def test_a_predicate_inside_does_not_glue_two_names():
    # "跃居" separates the exchange from what it became.
    assert "大连商品交易所跃居全球最大农产品交易所" not in names("大连商品交易所跃居全球最大农产品交易所")


def test_streets_in_project_names():
    assert find_streets("高尔基路-凤鸣街地块改造") == ["高尔基路", "凤鸣街"]
    assert find_streets("大连湾海底隧道及光明路延伸工程") == ["光明路"]
    assert find_streets("俄罗斯风情街") == [] and find_streets("金普城际铁路") == []
    # Shahekou's "开展背街小巷提升改造工程": back streets and alleys, no street's name.
    assert find_streets("开展背街小巷提升改造工程") == [] and find_streets("成仁街、如意街") == ["成仁街", "如意街"]


def test_status_comes_from_the_one_status_module():
    # projects.status.classify decides: the status a sentence attests, fact or target, the aim
    from projects.status import classify

    for words in ("开工建设", "完工达效", "前期推进", "加快推进", "力争尽早开工建设", None):
        c, r = classify(words), read_status(words)
        assert (r.status, r.statement, r.target_status) == (
            c.status.value, c.statement.value, c.target_status.value if c.target_status else None)
    assert read_status("力争尽早开工建设").statement == "target"
    assert normalise_status("力争尽早开工建设").value == read_status("力争尽早开工建设").target_status


# --- decoding and cleaning ------------------------------------------------------------------------------

def test_gbk_and_bom_are_converted_with_a_note():
    text = "大连恒隆广场项目开门纳客。"
    t, enc, notes = decode(text.encode("gbk"), "x.txt")
    assert (t, enc) == (text, "gbk") and "GBK" in notes[0]
    t, enc, notes = decode(b"\xef\xbb\xbf" + text.encode("utf-8"), "x.txt")
    assert t == text and "byte-order mark" in notes[0]


@pytest.mark.parametrize("data, expected", [
    (b"", "empty"), (b"  \n\n", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (bytes(range(256)) * 4, "binary"), (b"Only English text here.", "no Chinese text"),
])
def test_bad_input_is_named(data, expected):
    with pytest.raises(ExtractError, match=expected):
        decode(data, "bad.txt")


def test_cleaning_removes_noise_and_keeps_offsets():
    raw = "[bookmark: _Toc1]二、区域功能优化提升\n黑咀子码头 项目<strong>开工</strong>建设。"
    text, offsets = clean(raw)
    assert text == "二、区域功能优化提升\n黑咀子码头项目开工建设。"
    assert all(raw[o] == ch for o, ch in zip(offsets, text))


def test_sections_and_quotes_of_a_real_document(seeds):
    doc = read_document(seeds / "000_d559e79bf937d935.txt")
    s = next(s for s in doc.sentences if s.text.startswith("完工达效项目（22项）"))
    assert s.section == "专栏1 重点经济项目建设情况 完工达效项目（22项）"
    # Every quote the document can give is verbatim and within the loader's limit.
    q = doc.quote(s.start, s.end, keep=(s.start + 12, s.start + 18))
    assert q is not None and len(q) <= 80 and normalise_text(q) in doc.normalised and "大连恒隆广场" in q
    work = read_document(seeds / "002_fc2554f0bbfd893b.txt")
    s = next(s for s in work.sentences if "交付使用条" in s.text)
    q = work.quote(s.start, s.end - 1)
    assert "条 件" in q  # cut from the original, page-break space and all


# --- matching -------------------------------------------------------------------------------------------

def test_matching_by_name_alias_and_fuzzily_but_never_across_numbers():
    index = NameIndex(("大连市", "大连", "西岗区", "西岗"))
    index.add("hanglung", "大连恒隆广场")
    index.add("dongguan", "东关街旧城区改造项目")
    index.add("dongguan", "东关街区域", "alias")
    index.add("yuetai-12", "悦泰·福里（一、二期）")
    assert index.match("恒隆广场").by == "name"  # the city prefix is dropped
    assert index.match("东关街旧城区改造").id == "dongguan"  # 项目 dropped
    assert index.match("东关街区域").by == "alias"
    fuzzy = index.match("东关街旧城区改造工程项目")
    assert fuzzy is not None and fuzzy.id == "dongguan"
    assert index.match("悦泰·福里（三期）") is None
    assert name_key("原旧货市场地块改造") == "旧货市场地块改造"
    # Below the threshold, the closest entry is only shown to the reviewer of the new project.
    index.add("olympic", "奥林匹克广场升级改造")
    assert index.match("奥林匹克广场") is None
    near = index.near("奥林匹克广场")
    assert near.id == "olympic" and near.by == "near" and 60 <= near.score < 86
    assert index.near("恒隆广场") is None  # a match, not a near miss
    assert index.near("香炉礁物流园区") is None  # nothing close


# --- the review field, as the loader reads it -----------------------------------------------------------

def test_reviewed_refuses_pending_skips_rejected_and_strips_draft_fields():
    problems: list[DataProblem] = []
    records = [
        {"id": "a", "name_zh": "甲", "review": "pending", "confidence": 0.8},
        {"id": "b", "name_zh": "乙", "review": "rejected"},
        {"id": "c", "name_zh": "丙", "review": "accepted", "confidence": 0.5,
         "mentions": [{"quote": "丙", "confidence": 0.5, "proposed": {"status": "planned"}}]},
        {"project": "d", "quote": "丁", "match": {"by": "alias"}},
        {"id": "e", "name_zh": "戊"},  # hand-written: no draft fields
    ]
    out = reviewed("projects", "catalog/draft-x.yaml", records, problems)
    assert [r.get("id") for r in out] == ["c", "e"]
    assert out[0] == {"id": "c", "name_zh": "丙", "mentions": [{"quote": "丙"}]}
    assert [(p.file, p.item, p.field) for p in problems] == [
        ("catalog/draft-x.yaml", "a", "review"), ("catalog/draft-x.yaml", "mention of d", "review")]
    assert "zonemap review" in problems[0].message


# --- round two: names on sentences of all five documents ------------------------------------------------

def test_a_programme_is_a_project_only_when_it_names_a_physical_thing():
    assert "教育基础设施提升工程" in names("1、教育基础设施提升工程；")
    assert "人民广场周边行道树景观亮化工程" in names("实施人民广场周边行道树景观亮化工程")
    assert "“暖房子”工程" in names("4、“暖房子”工程；")
    assert names("2、品牌社区建设工程；") == {}  # a campaign
    assert names("实施文明创建工程") == {} and names("完成“全程式”项目推进机制创新") == {}


def test_titles_and_roles_are_not_sites():
    assert names("大连商品交易所跃居全球最大农产品交易所") == {"大连商品交易所": None}
    assert names("沙河口区被评为全国智慧健康养老示范基地") == {}
    assert "俄罗斯风情街" in names("俄罗斯风情街获批省级示范步行街")
    assert names("突出大连东北亚国际航运中心、国际物流中心、区域性金融中心的带动作用") == {}
    assert names("鼓励楼宇运营商对老旧楼宇进行升级改造和业态调整") == {}


def test_a_list_says_whether_its_items_are_sites():
    assert names("发展商业综合体、便民连锁店、跨境电商海外直购等新业态") == {}
    assert {"麦德龙", "宜家"} <= set(names("加强山姆会员店、麦德龙、宜家等企业转型升级"))
    found = names("国际会议中心、体育中心、南部滨海大道等一批重大工程投入使用")
    assert found == {"国际会议中心": "投入使用", "体育中心": "投入使用", "南部滨海大道": "投入使用"}


def test_places_take_the_category_noun_of_their_list():
    found = names("抓好旅顺太阳沟、西岗东关街等历史文化街区和冰山、机车等老厂房的保护和合理利用")
    assert found == {"旅顺太阳沟历史文化街区": "保护", "西岗东关街历史文化街区": "保护", "冰山老厂房": "保护", "机车老厂房": "保护"}
    # 创造性开发 names no stage the rules know: it is still the words a reviewer reads
    assert names("创造性开发成仁街、如意街等一批特色街区") == {"成仁街特色街区": "创造性开发", "如意街特色街区": "创造性开发"}


def test_shared_numbers_brands_and_district_prefixes():
    assert names("地铁1号、2号线建成并投入运营") == {"地铁1号线": "建成并投入运营", "地铁2号线": "建成并投入运营"}
    assert {"地铁4号线", "地铁5号线"} <= set(names("推进新机场、地铁4号5号线、大连湾海底隧道等工程"))
    found = names("建成了365社会组织服务园、365外来人员综合服务中心以及365黄河、拥警、北岗、香川社区家园。")
    assert {"365社会组织服务园", "365外来人员综合服务中心", "365拥警社区家园", "365香川社区家园"} <= set(found)
    assert set(names("提升区图书馆、文化馆的现代化、数字化、信息化水平")) == {"区图书馆", "区文化馆"}


def test_quoted_built_and_counted_names():
    assert names("打造“非遗传习所”") == {"非遗传习所": "打造"}
    assert names("省级精细化工共性技术创新平台投入使用") == {"省级精细化工共性技术创新平台": "投入使用"}
    assert "区级老年人综合服务中心" in names("建成社区养老服务中心23所、区级老年人综合服务中心1所")
    assert names("建成社区养老服务中心23所") == {}  # a count of many names a kind, not a site


def test_status_words_are_the_predicate_of_the_name():
    assert names("总投资49亿元、全长222公里的大伙房水库输水入连工程至2017年11月20日全面竣工") == {"大伙房水库输水入连工程": "全面竣工"}
    assert names("推进恒力炼化一体化项目年内建成投产") == {"恒力炼化一体化项目": "年内建成投产"}
    # A nominalised predicate ("的投产使用") is governed by the verb in front.
    assert set(names("推动保华金融中心、星海长岛等一批高档楼宇的投产使用").values()) == {"推动"}
    assert names("以大连恒隆广场为主体") == {"大连恒隆广场": None}  # 以X为主体 is no status
    assert names("采取社会投资方式完成站北立体停车场、胜利路停车场等5处停车场建设") == {
        "站北立体停车场": "完成…建设", "胜利路停车场": "完成…建设"}
    assert names("积极推进兴业建材市场改造项目前期工作") == {"兴业建材市场改造项目": "积极推进…前期工作"}


def test_matching_respects_the_district():
    index = NameIndex(("大连市", "大连", "西岗区", "西岗", "沙河口区", "沙河口", "区", "市"))
    index.add("shk-library", "区图书馆", "alias", "沙河口区")
    index.add("xg-library", "西岗区图书馆", "name", "西岗区")
    index.add("shk-archives", "区档案馆", "alias", "沙河口区")
    index.add("fujiazhuang-park", "傅家庄公园", "name", "西岗区")
    assert index.match("区图书馆", "西岗区", local=True).id == "xg-library"
    assert index.match("区图书馆", "中山区", local=True) is None  # another district's library
    assert index.match("西岗区档案馆项目", "西岗区") is None  # it names its district
    assert index.match("小傅家庄公园", "西岗区") is None  # another park


# --- what the reviewer sees -----------------------------------------------------------------------------

def test_the_reviewer_sees_sentence_section_status_and_why_and_the_match(tmp_path):
    from zmtest import MINI_DIR

    from projects.extract.draft import extract
    from projects.extract.review import describe, entries

    doc = tmp_path / "plan.txt"
    doc.write_text("西岗区2017年重点项目推进计划\n一、重点项目\n"
                   "今年要围绕城市更新和民生改善两条主线，统筹推进全区各类重点项目，其中甲地块改造项目竣工投入使用，"
                   "黑咀子码头及周边地块改造项目开工建设，确保年内取得实质性进展并形成新的增长点。\n", encoding="utf-8")
    result = extract(doc, "plan-2017", MINI_DIR / "catalog")
    shown = {e.section: describe(e) for e in entries(result.draft)}
    new = shown["projects"]  # 黑咀子码头及周边地块改造项目: a new project
    assert "黑咀子码头及周边地块改造项目" in new and "confidence" in new and "English (none yet)" in new
    assert "一、重点项目" in new and "'开工建设' → planned, target, aiming at under_construction" in new
    assert "why: a plan's task" in new and "found by:" in new
    # The whole sentence, the quote marked in it (the quote alone is cut to 80 characters).
    [sentence] = [line for line in new.splitlines() if "sentence:" in line]
    assert sentence.strip().startswith("sentence: 今年要围绕城市更新") and "【" in sentence and "增长点。" in sentence
    quote = result.draft["projects"][0]["mentions"][0]["quote"]
    assert f"【{quote}】" in sentence and len(quote) <= 80
    match = shown["mentions"]  # 甲地块改造项目: the mini catalog's plot-a
    assert "mention of catalog project plot-a" in match and "matched by name '甲地块改造项目', score 100" in match
    assert "confidence" in match
