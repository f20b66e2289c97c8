"""The one status vocabulary: the stage the words name, and fact or target (projects/status.py).

The sentences are real: each is quoted from one of the five documents (shared/seeds), with the
part of the document it stands in (``review``: what happened; ``plan``: the tasks).
"""

import pytest

from projects.status import Statement, Status, classify, normalise_status, rank, stage_of

C, U, P, L, N = Status.completed, Status.under_construction, Status.preparation, Status.planned, Status.unknown
FACT, TARGET = Statement.fact, Statement.target


@pytest.mark.parametrize("words, expected", [
    ("开工建设", U),
    ("建成", C),
    ("建成投入使用", C),
    ("完工达效", C),
    ("投入使用", C),
    ("开门纳客", C),
    ("即将竣工通车", U),  # about to finish is not finished
    ("主体结构封顶", U),
    ("主体完工", U),  # the main works, not the project
    ("完成所有手续审批", P),  # what is complete is the approvals
    ("完成房屋征收前期各项准备工作", P),
    ("实施建设", U),  # 专栏1 实施建设项目
    ("加快推进", U),
    ("全面启动…建设", U),
    ("启动", P),
    ("前期推进", P),
    ("推进", P),
    ("规划建设", L),
    ("新建", L),
    ("重点实施", L),
    ("", N),
    (None, N),
    ("依托", N),
])
def test_stage_of_the_words(words, expected):
    assert normalise_status(words) == expected
    assert stage_of(words)[0] == expected


# (document, part, words as written, quote, statement, attested status, target status)
REAL_SENTENCES = [
    # 西岗区 work report 2016: the review of 2015 reports facts …
    ("002", "review", "开门纳客", "大连恒隆广场项目开门纳客", FACT, C, None),
    ("002", "review", "主体结构封顶", "中瑞艺术文化交流中心及商业配套工程、大连市儿童医院改扩建工程主体结构封顶", FACT, U, None),
    ("002", "review", "完成所有手续审批", "黑咀子码头及周边地块改造项目完成所有手续审批", FACT, P, None),
    ("002", "review", "房屋征收工作正式启动", "东关街旧城区改造项目房屋征收工作正式启动", FACT, P, None),
    ("002", "review", "正式竣工", "大连百佳健康服务产业大厦正式竣工", FACT, C, None),
    ("002", "review", "相继投产达效", "沃尔玛山姆会员店、香炉礁物流运输中心、大连恒隆广场、百年港湾·奥特莱斯等一批项目相继投产达效", FACT, C, None),
    # … its tasks for 2016 are targets, however finished their words sound
    ("002", "plan", "力争尽早开工建设", "全力推进东关街旧城区改造项目,力争尽早开工建设", TARGET, L, U),
    ("002", "plan", "争取部分地块开工建设", "完成高尔基路—凤鸣街地块改造项目房屋征收工作,争取部分地块开工建设", TARGET, L, U),
    ("002", "plan", "力争上半年全面完工", "推动中瑞艺术文化交流中心及商业配套项目建设,力争上半年全面完工", TARGET, L, C),
    ("002", "plan", "早日开业运营", "力争大连百佳健康服务产业大厦早日开业运营", TARGET, L, C),
    ("002", "plan", "开工建设", "推动黑咀子码头及周边地块改造项目开工建设", TARGET, L, U),
    ("002", "plan", "主体完工", "确保大连市儿童医院改扩建工程主体完工", TARGET, L, U),
    ("002", "plan", "尽快收储", "推动威华公寓地 块改造项目尽快收储", TARGET, P, P),  # pre-works as the aim
    ("002", "plan", "前期工作", "积极推进兴业建材市场改造项目前期工作", TARGET, P, P),
    ("002", "plan", "全面营业", "推动百年港湾滨海商业区、奥特莱斯名品购物中心、巨幕影院全面营业", TARGET, L, C),
    # Dalian work report 2018: 2017 in review, 2018 tasks
    ("003", "review", "投入使用", "五是以“大连光源”为代表的一批科技创新公共平台投入使用", FACT, C, None),
    ("003", "review", "建成", "英特尔非易失性存储器、芯冠科技外延片等一批项目建成", FACT, C, None),
    ("003", "review", "开工建设", "地铁5号线、大连湾海底隧道及光明路延伸工程、大连北站综合交通枢纽开工建设", FACT, U, None),
    ("003", "review", "加快推进", "恒力炼化一体化项目加快推进", FACT, U, None),  # in a review: works under way
    ("003", "review", "即将竣工通车", "渤海大道即将竣工通车", FACT, U, None),  # 即将 is not 将
    ("003", "review", "基础工程全线贯通", "金普城际铁路基础工程全线贯通", FACT, U, None),
    ("003", "plan", "年内建成投产", "确保光洋智能制造、恒力炼化一体化等项目年内建成投产", TARGET, L, C),
    ("003", "plan", "推进", "推进新机场、地铁4号5号线、大连湾海底隧道、金普城际铁路、旅顺中部通道、大连北站综合交通枢纽等工程", TARGET, L, P),
    # 西岗区 13th FYP: 专栏1 is where projects stood at the end of 2015; 专栏4/5 and the chapters are tasks
    ("000", "review", "完工达效", "大连恒隆广场、沃尔玛山姆会员店、迈世汽车城", FACT, C, None),
    ("000", "review", "实施建设", "百年港湾·奥特莱斯、香水湾、润德公馆", FACT, U, None),
    ("000", "review", "前期推进", "原旧货市场地块改造、一二九街周边地块改造", FACT, P, None),
    ("000", "review", "开工建设", "黑咀子码头及周边地块改造项目开工建设", FACT, U, None),
    ("000", "plan", "建成达效", "香炉礁国际商贸物流区：百年港湾·奥特莱斯项目建成达效", TARGET, L, C),
    ("000", "plan", "重点实施", "重点实施原旧货市场地块改造、原衡器厂地块改造和香水湾项目", TARGET, L, L),
    ("000", "plan", "推进…前期项目", "推进新海航运码头及周边地块、小渔村地块改造等前期项目", TARGET, P, P),
    ("000", "plan", "启动", "启动水产研究所周边地块改造，建设集文化、旅游、休闲、健康于一体的高端旅游综合体", TARGET, P, P),
    # 西岗区 services 14th plan: its 发展基础 looks back at 2016–2020
    ("004", "review", "正在施工建设", "融创壹号院、保利熙悦、大同街地下人行通道等10个项目正在施工建设", FACT, U, None),
    ("004", "review", "前期项目加快推进", "市政南北地块等8个前期项目加快推进", FACT, P, None),
    ("004", "plan", "已开工建设", "东关街历史文化街区保护利用项目已开工建设", FACT, U, None),  # 已 = a fact, even among tasks
    ("004", "plan", "全面启动…建设", "全面启动凤鸣街休闲文化街建设", TARGET, L, U),
    ("004", "plan", "推动…项目建设", "推动盒马鲜生西岗店、大连颐养苑养老服务中心、威华街", TARGET, L, U),
    # 沙河口区 14th FYP
    ("001", "review", "相继投入使用", "绿城深蓝中心、新星星海等一批商务楼宇相继投入使用", FACT, C, None),
    ("001", "review", "竣工", "大连液流储能调峰电站(一期)等一批科技创新项目竣工", FACT, C, None),
    ("001", "plan", "积极推进二期建设", "充分发挥大连液流电池储能调峰电站一期的示范作用,积极推进二期建设", TARGET, L, U),
    ("001", "plan", "推动…投产使用", "推动保华金融中心、星海长岛等一批高档楼宇的投产使用", TARGET, L, C),
    ("001", "plan", None, "依托大连星海会展中心和大连世界博览广场优质的场馆资源", TARGET, N, None),
]


@pytest.mark.parametrize("doc, part, words, quote, statement, status, target", REAL_SENTENCES,
                         ids=[f"{r[0]}-{r[1]}-{r[2]}" for r in REAL_SENTENCES])
def test_real_sentences(doc, part, words, quote, statement, status, target):
    from zmtest import seeds_dir

    text = next(seeds_dir().glob(f"{doc}_*.txt")).read_text(encoding="utf-8")
    assert "".join(quote.split()) in "".join(text.split()), "the quote must be the document's own words"
    c = classify(words, quote, part)
    assert (c.statement, c.status, c.target_status) == (statement, status, target), c.reason


def test_a_target_never_attests_more_than_preparation():
    for _, part, words, quote, *_ in REAL_SENTENCES:
        c = classify(words, quote, part)
        if c.statement is TARGET:
            assert rank(c.status) <= rank(P), (words, c)


@pytest.mark.parametrize("words, quote, statement", [
    # Without the part, the words decide; where they are ambiguous, the quote before them does.
    ("开工建设", "黑咀子码头及周边地块改造项目开工建设", FACT),
    ("开工建设", "推动黑咀子码头及周边地块改造项目开工建设", TARGET),
    ("力争尽早开工建设", "全力推进东关街旧城区改造项目,力争尽早开工建设", TARGET),
    ("建成", "建成石峰街健身游园", FACT),
    ("加快推进", None, TARGET),
    ("已开工建设", "东关街历史文化街区保护利用项目已开工建设", FACT),
    ("即将竣工通车", "渤海大道即将竣工通车", FACT),
])
def test_without_the_part(words, quote, statement):
    assert classify(words, quote, None).statement is statement


def test_the_part_is_checked():
    with pytest.raises(ValueError):
        classify("建成", None, "past")
