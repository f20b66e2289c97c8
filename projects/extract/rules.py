"""The rule tables of ``zonemap extract``: the domain's vocabulary, as data.

Every rule here is generic — a suffix, a verb, a list pattern the plan documents use — never a
project name from the catalog: the hold-out test (a document extracted against a catalog that
has never seen it) keeps the rules honest. The status *meaning* of words is not decided here:
:mod:`projects.status` is the one place for that (see :mod:`projects.extract.statuses`).
"""

from __future__ import annotations

import re

# --- Text cleaning ------------------------------------------------------------------------------
# Conversion noise removed before anything else is read (the quote is still cut from the original).
NOISE_PATTERNS: list[re.Pattern] = [
    re.compile(r"\[(?:bookmark|image|footnote|comment|annotation)\s*:[^\]\n]*\]", re.I),  # Word → text
    re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>\n]*)?>"),  # HTML tags: <strong>, <a href=…>
    re.compile(r"\*\*|__"),  # Markdown emphasis
    re.compile(r"^[ \t]*#{1,6}[ \t]*", re.M),  # Markdown heading marks
]
# Lines of a web page's frame (footer, contacts), removed whole.
BOILERPLATE_LINE = re.compile(
    r"^[^\n]*(?:footpage|网站地图|举报电话|举报邮箱|版权所有|ICP备|主办[:：]|联系方式[:：]|地址[:：]|技术支持[:：])[^\n]*$",
    re.M | re.I,
)

# --- Headings -----------------------------------------------------------------------------------
# (kind, pattern) — a heading nests under the kinds seen before it, the way numbered outlines do.
_CN = "一二三四五六七八九十百零〇"
HEADING_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("chapter", re.compile(rf"^第[{_CN}\d]+[章篇]")),
    ("part", re.compile(rf"^第[{_CN}\d]+[节部]")),
    ("box", re.compile(r"^专栏\s*\d+")),
    ("annex", re.compile(r"^附件\s*\d*")),
    ("cn", re.compile(rf"^[{_CN}]+[、．.]")),
    ("cnparen", re.compile(rf"^[（(][{_CN}]+[）)]")),
    ("num", re.compile(r"^\d{1,2}[、．.](?!\d)")),
    ("numparen", re.compile(r"^[（(]\d{1,2}[）)]")),
]

# --- Project names ------------------------------------------------------------------------------
# Suffix → project kind (data/README.md "Project kinds"), longest suffix first when matched.
# Strength 2: the suffix alone names a site (…大厦, …地块改造); 1: it needs a specific qualifier or
# list context (…中心, …基地 are also used for programmes and roles).
PROJECT_SUFFIXES: list[tuple[str, str, int]] = [
    # plots and renewal
    ("地块改造项目", "plot_redevelopment", 2), ("地块改造工程", "plot_redevelopment", 2),
    ("地块改造", "plot_redevelopment", 2), ("周边改造", "plot_redevelopment", 2), ("区域改造", "plot_redevelopment", 2),
    ("地块开发建设", "plot_redevelopment", 2), ("地块", "plot_redevelopment", 1),
    ("旧城区改造项目", "old_town_renewal", 2), ("旧城区改造工程", "old_town_renewal", 2), ("旧城区改造", "old_town_renewal", 2),
    ("旧区改造", "old_town_renewal", 2), ("街区改造", "old_town_renewal", 2), ("历史街区", "old_town_renewal", 2),
    ("历史文化街区", "old_town_renewal", 2), ("风貌街区", "old_town_renewal", 2), ("特色街区", "old_town_renewal", 2),
    ("商业配套", "complex", 2), ("提升改造工程", "other", 2), ("升级改造工程", "other", 2), ("改扩建工程", "hospital", 2),
    ("提升改造", "other", 1), ("升级改造", "other", 1), ("改造项目", "other", 2), ("改造工程", "other", 2),
    ("建设工程", "other", 2), ("延伸工程", "road", 2), ("改建工程", "road", 2), ("拓宽改造", "road", 2),
    ("项目", "other", 2), ("工程", "other", 1),
    # buildings and complexes
    ("大厦", "building", 2), ("大楼", "building", 2), ("楼宇", "building", 1), ("写字楼", "building", 2),
    ("综合服务楼", "building", 2), ("服务楼", "building", 2), ("公寓", "housing", 2), ("酒店式公寓", "housing", 2),
    ("保障房", "housing", 2), ("公馆", "housing", 2), ("家园", "housing", 1),
    ("综合体", "complex", 2), ("广场", "square", 2), ("商城", "market", 2), ("商品城", "market", 2), ("汽车城", "market", 2),
    ("购物中心", "complex", 2), ("商业区", "complex", 1), ("商业街", "complex", 2), ("美食广场", "complex", 2),
    ("市场", "market", 1), ("旧货市场", "market", 2), ("农贸市场", "market", 2), ("批发市场", "market", 2), ("集贸市场", "market", 2), ("交易中心", "market", 2), ("交易所", "other", 2),
    ("店", "building", 1), ("会员店", "building", 2), ("影院", "culture_venue", 2),
    ("大酒店", "hotel", 2), ("酒店", "hotel", 2), ("宾馆", "hotel", 2), ("疗养院", "hotel", 2),
    # parks, streets, tourism
    ("公园", "park", 2), ("游园", "park", 2), ("动物园", "tourism", 2), ("植物园", "park", 2), ("表演场", "tourism", 2),
    ("风情街", "tourism", 2), ("文化街", "tourism", 2), ("一条街", "tourism", 2), ("步行街", "tourism", 2),
    ("度假区", "tourism", 1), ("景区", "tourism", 2), ("海底世界", "tourism", 2), ("沙滩", "tourism", 1), ("海滨", "tourism", 1),
    # culture, education, health, care
    ("博物馆", "museum", 2), ("美术馆", "culture_venue", 2), ("音乐馆", "culture_venue", 2), ("图书馆", "culture_venue", 2),
    ("文化馆", "culture_venue", 2), ("档案馆", "culture_venue", 2), ("书库", "culture_venue", 2), ("展示中心", "culture_venue", 2),
    ("艺术中心", "culture_venue", 2), ("文化中心", "culture_venue", 1), ("大舞台", "culture_venue", 2), ("会展中心", "culture_venue", 2),
    ("会议中心", "culture_venue", 2), ("博览广场", "culture_venue", 2), ("传承基地", "culture_venue", 2), ("展示基地", "culture_venue", 2),
    ("活动基地", "culture_venue", 2), ("传习所", "culture_venue", 2),
    ("体育馆", "sports_venue", 2), ("体育中心", "sports_venue", 2), ("健身中心", "sports_venue", 2), ("运动公园", "sports_venue", 2),
    ("大学", "school", 2), ("学院", "school", 2), ("中学", "school", 2), ("小学", "school", 2), ("幼儿园", "school", 2),
    ("学校", "school", 2), ("实训基地", "school", 2), ("教育基地", "school", 2), ("培训中心", "school", 2),
    ("医院", "hospital", 2), ("保健院", "hospital", 2), ("卫生服务中心", "hospital", 1), ("控制中心", "hospital", 2),
    ("康复中心", "hospital", 2), ("养老服务中心", "elderly_care", 1), ("老年人综合服务中心", "elderly_care", 2), ("颐养苑", "elderly_care", 2),
    # science and industry
    ("研究所", "innovation_park", 2), ("研究院", "innovation_park", 2), ("实验室", "innovation_park", 2), ("创新中心", "innovation_park", 2),
    ("科创中心", "innovation_park", 2), ("双创产业中心", "innovation_park", 2), ("数据中心", "innovation_park", 2), ("孵化基地", "innovation_park", 2),
    ("孵化园", "innovation_park", 2), ("创业园", "innovation_park", 2), ("创业谷", "innovation_park", 2), ("创业工场", "innovation_park", 2),
    ("众创空间", "innovation_park", 2), ("空间", "innovation_park", 1), ("分中心", "innovation_park", 2), ("科创产业园", "innovation_park", 2),
    ("硅谷", "innovation_park", 2), ("慧谷", "innovation_park", 2), ("装置", "innovation_park", 2), ("创新平台", "innovation_park", 1),
    ("产业园区", "industrial_park", 2), ("产业园", "industrial_park", 2), ("物流园区", "industrial_park", 2), ("园区", "industrial_park", 1),
    ("产业基地", "industrial_park", 2), ("基地", "industrial_park", 1), ("工厂", "industrial_park", 2), ("老厂房", "industrial_park", 2),
    ("中国区总部", "building", 2), ("厂总部", "building", 2), ("物流运输中心", "industrial_park", 2), ("物流中心", "industrial_park", 2),
    ("储能调峰电站", "utility", 2), ("电站", "utility", 2), ("机房", "utility", 2), ("管廊", "utility", 2), ("管网", "utility", 2),
    ("水库", "utility", 2), ("停车场", "utility", 2), ("立体停车场", "utility", 2), ("中心", "other", 1), ("服务中心", "other", 1),
    ("指挥中心", "utility", 2), ("服务园", "other", 2), ("园", "other", 1),
    # transport
    ("地下人行通道", "tunnel", 2), ("人行通道", "tunnel", 2), ("地下通道", "tunnel", 2), ("连接通道", "tunnel", 2), ("通道", "tunnel", 1),
    ("隧道", "tunnel", 2), ("号线", "metro", 2), ("延伸线", "road", 2), ("城际铁路", "rail", 2), ("铁路", "rail", 1),
    ("交通枢纽", "rail", 2), ("枢纽", "rail", 1), ("大道", "road", 2), ("快速路", "road", 2), ("立交桥", "bridge", 2), ("大桥", "bridge", 2),
    ("机场", "airport", 2), ("码头", "port", 1), ("港区", "port", 1),
]
# A name may close with a phase in brackets: 悦泰·福里（一、二期）, 电站(一期).
PHASE = re.compile(r"(?:[（(][一二三四五六七八九十\d、，,]+期[）)]|[一二三四五六七八九十\d]+期)$")

# Words that open a clause before a name: verbs of action and their adverbs. They are stripped
# from the front of a name candidate (their status meaning comes from projects.status).
LEAD_WORDS: list[str] = [
    "重点", "全力", "全面", "积极", "大力", "加快", "加紧", "加大", "继续", "持续", "进一步", "努力", "着力", "认真",
    "抓好", "做好", "做大做强", "做大", "做强", "强化", "加强", "高标准", "高质量", "科学", "创造性", "有序", "稳步", "率先",
    "推进", "推动", "实施", "启动", "建设", "建成", "新建", "续建", "开工", "完成", "打造", "构建", "规划", "谋划",
    "引进", "引导", "发挥", "依托", "围绕", "利用", "整合", "提升", "升级", "改造", "优化", "完善", "培育", "规范",
    "保护性开发", "保护", "开发", "布局", "支持", "鼓励", "促进", "深化", "拓展", "夯实", "组建", "成立", "重建", "确保",
    "力争", "争取", "形成", "以", "对", "在", "将", "把", "与", "和", "及", "并", "由", "经", "向", "为", "是", "有",
    "其中", "包括", "如", "通过", "采取", "一批", "一个", "等", "和", "其", "该", "我区", "全区", "全市", "我市",
    "一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是", "九是", "十是", "深入", "初步", "整体", "加速", "新增",
    "增加", "扩大", "健全", "建立", "开展", "突出", "坚持", "跟踪", "引入", "增强", "对标", "配合", "共建", "加快建设",
    "升级改造", "提升改造", "彻底", "取缔", "充分", "充分发挥", "申报", "积极申报", "排查", "了",
]
# Words after a name that end it (the status phrase or the rest of the clause begins).
TRAIL_WORDS: list[str] = [
    "等", "的", "建设", "进程", "全线", "进度", "前期工作", "招商", "功能", "配套", "为", "成为", "被", "已", "正",
    "正在", "相继", "先后", "全面", "顺利", "正式", "基本", "即将", "年内", "早日", "尽早", "尽快", "力争", "已经",
    "进入", "列入", "获批", "达到", "实现", "入驻", "落户", "落地", "开门", "取得", "迈进", "投入", "完成", "建成", "开工",
]
# Modal words, adverbs and time words that belong to the status words after a name: they say
# whether it is an aim or a fact (力争尽早开工建设, 年内建成投产, 已建成, 相继投产达效).
STATUS_MODIFIERS: list[str] = [
    "力争", "争取", "确保", "尽早", "尽快", "早日", "年内", "年底前", "底前", "上半年", "下半年", "计划", "拟", "将",
    "已经", "已", "正在", "相继", "先后", "全面", "全线", "基本", "即将", "顺利", "正式", "逐步", "陆续", "均已", "均",
    "加快", "全力", "积极", "稳步", "有序", "如期", "按期", "提前", "率先", "整体", "部分", "主体", "基础工程", "并",
]
# The category nouns after 等 that make every item of an enumeration a project:
# "A、B等一批项目", "A、B等10个项目", "A、B等商业综合体", "A、B等孵化载体".
ENUM_CATEGORY = re.compile(
    r"等(?:一批|\d+[个家座处项所]|[一二三四五六七八九十]+[个家座处项所])?"
    r"(?:[^，。；、为的]{0,8}?)(项目|工程|楼宇|大厦|园区|产业园区|基地|孵化载体|知名平台|公共平台|景区|街区|场馆|综合体|特色市场|科研院所|高校|停车场|公园|老厂房|厂房)"
)
# The words between 等 and a category noun that are no part of it ("等一批特色街区" → 特色街区).
CATEGORY_LEAD = re.compile(r"^等(?:一批|\d+[个家座处项所]|[一二三四五六七八九十]+[个家座处项所])?(?:周边|其他|多个|各类|一些)?")
# Categories whose noun each short item takes as its own ("旅顺太阳沟、西岗东关街等历史文化街区" →
# 旅顺太阳沟历史文化街区): the items are places, the noun says which site of the place.
SHARED_CATEGORIES = ("街区", "老厂房", "厂房")
# A line number's prefix: "地铁1号、2号线" is 地铁1号线 and 地铁2号线.
LINE_PREFIXES = ("地铁", "轨道交通", "轻轨", "快轨", "城轨", "有轨电车")
# The category nouns after 等 that say the items are *not* sites: "A、B等新业态", "A、B等创建活动",
# "A、B等各类资源", "A、B等单位". Items without a specific name in such a list are no projects.
NOT_PROJECT_CATEGORY = re.compile(
    r"等(?:[^，。；、]{0,8}?)(?:业态|活动|资源|单位|形式|领域|行业|企业|机构|要素|元素|服务|产品|模式|群体|人群|赛事|项目训练|创新载体|载体)"
)
# "发挥A、B、C的作用": what the items do, not what is built.
ROLE_AFTER = re.compile(r"(?:的)?(?:作用|功能|优势|带动作用|示范作用|龙头作用|辐射作用|牵动作用)")
# An enumeration of zones, not sites: "马栏、南沙、李家、春柳和中山公园五个片区".
ZONE_LIST = re.compile(r"^[^，。；]{0,12}?(?:[一二三四五六七八九十两\d]+个|等)?(?:片区|街道|商圈|功能区|商务区|核心区)")
# A list header that gives the status of the items after it: "完工达效项目（22项）：A、B…".
LIST_HEADER = re.compile(r"^(?:\d+[、.])?(?P<words>[^，。；：:、]{2,10}?)(?:项目|工程)[（(]\d+[项个][）)]$")
# Physical things: a programme's name (…工程, …项目) that contains one names a site
# ("教育基础设施提升工程", "人民广场周边行道树景观亮化工程", "站北商圈业态升级工程"); one without
# ("文化惠民共享工程", "品牌社区建设工程", "学前教育普惠工程") names a programme.
SITE_WORDS: list[str] = [
    "设施", "地块", "停车场", "公园", "游园", "广场", "水库", "码头", "医院", "学校", "幼儿园", "中心", "园区", "产业园",
    "大厦", "大楼", "楼宇", "街区", "管网", "管廊", "道路", "大桥", "隧道", "通道", "岸线", "场馆", "体育馆", "图书馆",
    "博物馆", "文化馆", "商务区", "物流区", "商业区", "商圈", "空间", "基地", "厂房", "市场", "电站", "铁路", "机场",
    "港区", "景区", "建筑群", "设计园", "小区", "楼院", "住宅", "房子", "房屋", "街巷", "小巷", "绿地", "山体", "岸线",
]
# Names that are not projects: programmes, systems, abstract goals (the end of the name decides).
NOT_PROJECT_ENDINGS: list[str] = [
    "体系", "机制", "制度", "政策", "工作", "能力", "水平", "环境", "格局", "模式", "理念", "战略", "行动", "计划", "规划",
    "服务业", "产业", "经济", "业态", "功能", "优势", "作用", "活动", "质量", "效益", "目标", "任务", "意识", "精神",
    "专项规划", "课题", "指标", "队伍", "人才", "企业", "机构", "组织", "协会", "品牌", "标准", "示范区", "试验区", "新区",
    "服务", "治理", "管理", "创新", "升级", "改革", "监管", "评估", "发展空间", "新空间", "为中心",
]
# Verbs that give a title or a rank, not a site: "X被评为Y示范基地", "X跃居全球最大Y交易所".
TITLE_VERBS: list[str] = ["被评为", "评为", "获评", "入选", "跃居", "成为", "列为", "被列为", "荣获", "命名为", "被命名为", "授予",
                          "获批", "列入", "被列入", "位列"]
# Words inside a name that make it a description, a statistic or a category, not a site's name.
NOT_IN_NAME = re.compile(r"关于|对于|人均|以上|以下|所有|每一|分别|或|最大|最高|最佳|之一|各类|各级")
# The places of the whole city and beyond: a weak suffix (…中心, …基地) after them names a role
# ("大连东北亚国际航运中心", "区域性金融中心"), not a site.
WIDE_PLACES: set[str] = {"大连", "大连市", "东北亚", "中国", "全国", "辽宁", "辽宁省", "东北", "国际", "全球", "世界",
                         "亚洲", "国家", "省", "市", "东北地区", "环渤海", "东部"}
# Dalian's districts and counties: a name that is one of them is a place, not a project (普兰店).
ADMIN_PLACES: list[str] = ["中山区", "西岗区", "沙河口区", "甘井子区", "旅顺口区", "旅顺", "金州区", "金州", "普兰店区", "普兰店",
                           "瓦房店市", "瓦房店", "庄河市", "庄河", "长海县", "长海", "金普新区", "高新区", "长兴岛", "花园口"]

# Qualifiers too generic to name a site on their own (…中心, …基地 need something specific before them).
GENERIC_WORDS: set[str] = {
    "社区", "服务", "综合", "公共", "政务", "城市", "城区", "区域", "重点", "现代", "国际", "国家", "省级", "市级", "区级",
    "产业", "创新", "创业", "科技", "文化", "旅游", "健康", "养老", "医疗", "卫生", "教育", "体育", "商业", "商务",
    "金融", "物流", "电子商务", "信息", "数据", "智慧", "安全", "应急", "管理", "指挥", "活动", "交流", "展示", "培训",
    "示范", "特色", "高端", "新型", "大型", "一批", "各类", "多个", "若干", "基础", "设施", "配套", "一站式", "全市", "全区",
    "市民", "居民", "居家", "老年人", "儿童", "妇女", "青少年", "就业", "社会", "保障", "人才", "企业", "孵化", "双创",
    "普惠性", "普惠", "公办", "民办", "平安", "专业", "品牌", "精品", "主题", "研发", "机构", "存量", "集团", "知名", "优质",
    "高品质", "星级", "周边", "标志性", "跨区域", "合作", "大", "重大", "各类", "签约", "已签约", "新时代", "文明", "实践",
    "数字", "智能化", "一流", "小型", "中小", "中小企业", "外贸", "网络", "公益", "示范性", "综合性", "基层", "老旧",
    "中心", "城市中心", "核心", "全国", "全省", "东北", "东北亚", "区域性", "国际化", "现代化", "高端化", "专业化",
    "新", "老", "小", "大型", "高", "惠民", "民心", "便民", "利民", "工业", "农村", "城乡", "海洋", "绿色", "生态", "低碳", "节能", "环保", "投资", "经济",
    "重点经济", "服务业", "新兴", "传统", "地区", "全球", "世界", "一批", "相关", "各级", "各个", "所有", "每一所",
    "航运", "贸易", "结算", "营销", "研发", "出口", "创投", "众创", "区域内", "有条件", "条件", "部分", "消费", "生活",
}

# Place words jieba does not always tag as places (大连/d in "大连现代博物馆"); the catalog's
# streets, zones and districts are added at run time (segment.add_places).
PLACE_WORDS: list[str] = ["大连", "大连市", "辽宁", "辽宁省", "东北", "旅顺", "金普", "长兴岛", "甘井子", "沙河口", "西岗", "中山", "高新区",
                          *ADMIN_PLACES]

# --- Zones, layouts and streets -------------------------------------------------------------------
# How a zone name ends, and the zone kind it suggests (data/README.md "Zone kinds").
ZONE_SUFFIXES: list[tuple[str, str]] = [
    ("经济发展轴", "axis"), ("发展轴", "axis"), ("核心轴线", "axis"), ("轴线", "axis"), ("轴", "axis"),
    ("湾线", "bay_line"), ("海湾", "bay"), ("商圈", "business_circle"), ("片区", "area"), ("街道", "subdistrict"),
    ("商务区", "functional_zone"), ("商业区", "functional_zone"), ("物流区", "functional_zone"), ("文化区", "functional_zone"),
    ("商贸区", "functional_zone"), ("功能区", "functional_zone"), ("集聚区", "functional_zone"), ("度假区", "functional_zone"),
    ("保护街", "street_zone"), ("文化街", "street_zone"), ("新区", "city_area"), ("开发区", "city_area"), ("高新区", "city_area"),
    ("试验区", "city_area"), ("实验区", "city_area"), ("示范区", "city_area"), ("先导区", "city_area"), ("核心区", "core_zone"),
    ("西岗段", "bay"),
]
# The spatial nouns of a layout's parts ("两区" of 两区五片一湾线, "三街" of 一轴、两湾、三街、四片区).
LAYOUT_PART_NOUNS = "轴|湾线|湾|带|核|心|翼|区|片区|片|圈|域|街|廊|环|岸|线|组团|中心"
# A layout named by the document itself for a list of areas it does not name ("金普新区、高新区、
# 长兴岛、花园口、旅顺开发区等…"): the reviewer renames it.
AREA_LIST_LAYOUT = "重点区域"
# "一轴六区", "两区五片一湾线", "一核两翼": numerals alternating with spatial nouns.
_NUM = "一二三四五六七八九十两"
LAYOUT_NAME = re.compile(rf"[“\"]((?:[{_NUM}\d]+(?:{LAYOUT_PART_NOUNS})[、，,]?){{2,6}})[”\"]")
# "“六区”是指A、B、C" / "“三街”是A、B" — the members of one part of a layout.
LAYOUT_PART = re.compile(rf"[“\"]([{_NUM}\d]+(?:轴|湾|带|核|区|片区|片|圈|域|街|廊))[”\"]是(?:指)?(?:以)?(?P<members>[^。；]+)")
# "X区：重点发展…" — a zone defined by what it should develop.
ZONE_DEFINITION = re.compile(r"^(?:——)?(?P<name>[^，。；：:、“”]{3,16}?)[：:。](?P<role>(?:重点|突出|主要|大力|着力)?(?:发展|打造|建设|聚焦|推进)[^。]*)")
# A street: a name ending in 路/街/道/巷/大街/大道 (not 街道, the subdistrict).
STREET = re.compile(r"(?=((?![及和与的之在对为沿])[\u4e00-\u9fff][\u4e00-\u9fff\d]{0,3}?(?:大街|大道|路|街|巷))(?![道区]))")
# Not streets: whole words (exact) and endings (…铁路 is a railway, …风情街 a project).
STREET_STOP = {"一路", "沿路", "思路", "出路", "之路", "门路", "大路", "小路", "新路", "街路", "路街", "老街"}
STREET_PHRASES = ("背街小巷", "大街小巷", "街巷", "街路")  # generic: streets and alleys, no name
STREET_NOT_ENDINGS = ("道路", "马路", "线路", "铁路", "公路", "网路", "电路", "后街", "商业街", "步行街", "风情街", "文化街",
                      "一条街", "美食街", "特色街", "好吃街")

# --- Ids and English placeholders -----------------------------------------------------------------
# Readings a character has in place names where pypinyin, without a phrase to go by, gives another
# (its default reading): 黑咀子 hei-zui-zi, not hei-ju-zi; 长白街 chang-bai-jie, not zhang-bai-jie.
PLACE_READINGS: dict[str, str] = {"咀": "zui", "长": "chang", "堡": "pu", "夹": "jia", "厦": "sha", "乐": "le"}

# English words for the placeholders of required English names (zones, layouts, streets): the
# kinds of place and the common words of their names; everything else is pinyin, one word per run
# of untranslated words ("黑咀子码头" → "Heizuizi Wharf"). A reviewer writes the real name.
ENGLISH_WORDS: dict[str, str] = {
    "大连": "Dalian", "大连市": "Dalian", "西岗": "Xigang", "西岗区": "Xigang District", "沙河口": "Shahekou",
    "沙河口区": "Shahekou District", "中山区": "Zhongshan District", "甘井子区": "Ganjingzi District",
    "经济发展轴": "Economic Axis", "发展轴": "Axis", "核心轴线": "Core Axis", "轴线": "Axis", "轴": "Axis",
    "湾线": "Bay Line", "海湾": "Bay", "商圈": "Business Circle", "片区": "Area", "街道": "Subdistrict",
    "商务区": "Business District", "商业区": "Commercial District", "商贸区": "Trade District", "物流区": "Logistics District",
    "文化区": "Cultural District", "功能区": "Functional Zone", "集聚区": "Cluster", "度假区": "Resort",
    "新区": "New Area", "开发区": "Development Zone", "高新区": "High-tech Zone", "试验区": "Pilot Zone",
    "实验区": "Pilot Zone", "示范区": "Demonstration Zone", "先导区": "Pilot Area", "核心区": "Core Zone",
    "国际": "International", "现代": "Modern", "金融": "Finance", "商务": "Business", "商贸": "Trade", "物流": "Logistics",
    "文化": "Culture", "旅游": "Tourism", "休闲": "Leisure", "科技": "Technology", "创新": "Innovation", "历史": "Historic",
    "历史文化": "Historic and Cultural", "保护": "Conservation", "特色": "Feature", "时尚": "Fashion", "中央": "Central",
    "活力": "Vitality", "生态": "Ecological", "宜居": "Liveable", "滨海": "Seaside", "南部": "Southern", "北部": "Northern",
    "东部": "Eastern", "西部": "Western", "健康": "Health", "服务": "Services", "产业": "Industry", "高端": "High-end",
    "路": "Road", "街": "Street", "大街": "Street", "大道": "Avenue", "巷": "Lane", "文化街": "Culture Street",
    "重点区域": "Key Areas", "承载街道": "Host Subdistricts", "码头": "Wharf", "广场": "Plaza", "公园": "Park",
}

ENGLISH_KINDS_AT_END = {w for w in ENGLISH_WORDS if w.endswith(("区", "湾", "线", "轴", "圈", "道")) and w not in ("大道",)}

# --- Other mention fields --------------------------------------------------------------------------
INVESTMENT = re.compile(r"(?:总投资|计划投资|投资总额|投资)(?:约|达|超过|逾)?\s*\d+(?:\.\d+)?\s*(?:万|亿)元")
YEAR = re.compile(r"((?:19|20)\d{2})年")
# A heading that speaks of a period rather than a year ("“十二五”时期", "过去五年").
PERIOD = re.compile(r"[“\"]?十[一二三四五六七八九]五[”\"]?|过去(?:的)?五年|五年来")
