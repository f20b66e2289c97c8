"""Hand-digitised street centrelines and corridor centrelines (helper g1).

Writes, in WGS84 lon/lat (RFC 7946):
  ../streets_hand.geojson     MultiLineString per street (property `street`)
  ../zone_lines_hand.geojson  MultiLineString per corridor zone (`zone`, `corridor_m`)

Anchors used (all WGS84):
  * OSM control points, shared/reference/control_points.geojson (beside the repository) ("CP <name>").
  * BD-09 POIs from a public house-analysis MySQL dump (stored file id 10789009259; 3-decimal
    baidu_lng/baidu_lat, ~±50 m) converted BD-09 -> GCJ-02 -> WGS84 by bd09_to_wgs84() below
    ("BD <name> (address)").
  * WGS84 building points from a public buildings.js (stored file id 23963713762) ("BJS <name>").
  * Memory of the Dalian street grid ("memory"): these vertices carry the stated uncertainty.
  * Added by helper streets-2 (see A2): a Wikipedia coordinate ("WIKI <name>") and GCJ-02 points from a public
    WeChat mini-program dump (stored file id 44025940489) converted GCJ-02 -> WGS84 by GCJ() ("GCJ <name>").
  * Added by engineer `locations` (issue 7 §6, see A3 and ../SOURCES.md): Lianjia housing-compound positions
    (GitHub keke-ing/DalianHouseDataAnalysis, MIT, data/clustering_two.csv, BD-09) converted by LJ() ("LJ <name>"),
    and a public Dalian pet-shop list (stored file id 59533559721, BD-09, datum checked) converted by PET()
    ("PET <name>"). Where a line is fitted through several anchors, a vertex is the foot of an anchor on that line
    ("foot of <anchor> on the fitted line").
Run:  .venv/bin/python data/geometry/src/streets_and_axis.py   (from the repository root)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from shapely.geometry import MultiLineString, Point, mapping, shape

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(REPO))
from geo import crs  # noqa: E402
from geo.overrides import apply_overrides, override_path  # noqa: E402


def bd09_to_wgs84(lng: float, lat: float) -> tuple[float, float]:
    """BD-09 -> GCJ-02 -> WGS84 (geo.crs, the one place for the conversion)."""
    return crs.bd09_to_wgs84(lng, lat)


def BD(lat: float, lng: float) -> tuple[float, float]:
    """A BD-09 POI as stored in the dump (lat, lng order) -> WGS84 (lon, lat)."""
    lon, la = bd09_to_wgs84(lng, lat)
    return (round(lon, 6), round(la, 6))


# ---- anchors -------------------------------------------------------------------------------
CP = {  # OSM control points (exact)
    "兴工街": (121.585737, 38.916563), "振工街": (121.590557, 38.916582), "五一广场": (121.596069, 38.917127),
    "大同街": (121.601511, 38.917654), "北京街": (121.607882, 38.918301), "市场街": (121.613534, 38.919401),
    "东关街": (121.617552, 38.918988), "大连火车站": (121.629927, 38.92006), "胜利桥": (121.634119, 38.924908),
    "民生街": (121.639016, 38.9255), "民主广场": (121.642914, 38.92528),
    "锦辉商城": (121.582398, 38.910484), "解放广场": (121.582294, 38.905868), "功成街": (121.579935, 38.898274),
    "和平广场": (121.58011, 38.89372), "会展中心": (121.579992, 38.889671), "星海广场": (121.579659, 38.88598),
    "化物所": (121.575282, 38.883265), "星海公园": (121.561602, 38.878459), "大医二院": (121.566889, 38.88114),
    "黑石礁": (121.554761, 38.875486),
}
A = {  # converted BD-09 POIs (see BD()) and buildings.js points
    "中央复兴里 (长江路与长春路交汇处)": BD(38.9245, 121.625),
    "亿达天琴山 (长春路南段)": BD(38.9047, 121.626),
    "保利熙悦 (长春路新风街北行200米)": BD(38.9077, 121.63),
    "八一路派出所/社区卫生服务中心": (121.6325, 38.8855),          # converted by an earlier helper (project_points_xigang-2016)
    "天源秀景 (威华街南 石道街附近)": BD(38.8944, 121.632),
    "长江杰座 (黄河路越秀大厦对面)": BD(38.9275, 121.613),
    "汇智云顶 (胜利路与茂田巷交汇处)": BD(38.9133, 121.629),
    "悦泰湾里 (胜利路与太原街交汇处)": BD(38.9055, 121.606),
    "星海融汇 (胜利路168)": BD(38.9037, 121.603),
    "城市旋律 (高尔基路)": BD(38.9021, 121.597),
    "建设信息中心(高尔基路)": (121.6156, 38.9094),                # converted by an earlier helper
    "融创壹号院 (疏港路)": BD(38.9378, 121.637),
    "润德广场 (新开路金广大厦旁)": BD(38.9222, 121.622),
    "北京公园 (新开路610号)": BD(38.9222, 121.625),
    "BJS 西岗万达大厦 (新开路北端)": (121.612418, 38.918994),
    "BJS 外经贸大厦 (新开路)": (121.611429, 38.914917),
    "BJS 九邦大厦 (新开路)": (121.612896, 38.915331),
    "大连理工石油化工学院(中山路)": BD(38.9178, 121.633),
    "儿童医院 (中山路154号)": BD(38.9181, 121.6355),
    "医大一院 (中山路)": (121.6064, 38.9093),                      # converted by an earlier helper
    "BJS 奥林匹克/恒隆广场": (121.604341, 38.906194),
    "BJS 裕景 (友好街与中山路交汇处)": (121.623884, 38.917585),
    "BJS 友好广场水晶球": (121.634638, 38.919427),
    "BJS 中山广场 人民文化俱乐部": (121.639253, 38.921767),
    "BJS 大商 (青泥洼桥)": (121.629141, 38.916018),
    "莫斯科购物广场 (团结街)": (121.6305, 38.9272),               # converted by an earlier helper
    "华业玫瑰东方 (马栏河东侧 西安路西侧)": BD(38.9122, 121.594),
    "星海湾壹号 (星海广场西南 百年城雕旁)": BD(38.8855, 121.59),
    "惠君庭 (付家庄华泰街66号)": BD(38.8765, 121.633),
    "船舶康复医院 (付家庄 滨海西路)": BD(38.8726, 121.625),
}

# ---- anchors added by engineer `locations` (issue 7 §6) ----------------------------------------
def LJ(lng: float, lat: float) -> tuple[float, float]:
    """A Lianjia compound (resblockPosition, BD-09, lng,lat as in the CSV) -> WGS84 (lon, lat), via geo.crs."""
    lon, la = crs.bd09_to_wgs84(lng, lat)
    return (round(lon, 6), round(la, 6))


def PET(lng: float, lat: float) -> tuple[float, float]:
    """A record of the public pet-shop list (BD-09 longitude, latitude) -> WGS84 (lon, lat), via geo.crs."""
    lon, la = crs.bd09_to_wgs84(lng, lat)
    return (round(lon, 6), round(la, 6))


A3 = {
    # 黄河路, east part: three POIs with 黄河路 in their name or address, from two sources, and the Lianjia
    # compound 越秀大厦 named in 长江杰座's address (黄河路越秀大厦对面).
    "BD 新东方(黄河路教学区)": BD(38.9171, 121.608),
    "BD 大连市房屋租赁登记管理中心(黄河路)": BD(38.9197, 121.618),
    "PET 美联众合动物医院 (黄河路520号, 中山公园南门斜对面)": PET(121.606141, 38.916942),
    "LJ 越秀大厦": LJ(121.624589, 38.921619),
    "LJ 长江杰座 (黄河路越秀大厦对面)": LJ(121.626214, 38.921614),
    # 黄河路, west part
    "BD 逸彩城购物中心 (黄河路1105号, 马栏广场)": BD(38.9258, 121.563),
    "LJ 黄河路（辽师商圈）": LJ(121.578981, 38.91901),
    "LJ 黄河路（西安路商圈）": LJ(121.584758, 38.917262),
    # 畅通街
    "LJ 畅通花园": LJ(121.637547, 38.917206),
}


def fitted_line(names):
    """Total-least-squares line through anchors, in EPSG:32651: (centre, unit direction)."""
    xy = np.array([crs.to_metric(Point(*A3[n])).coords[0] for n in names])
    centre = xy.mean(axis=0)
    direction = np.linalg.svd(xy - centre)[2][0]
    return centre, direction


def foot(line, name):
    """The foot of anchor `name` on a fitted line, back in WGS84 (lon, lat)."""
    centre, direction = line
    xy = np.array(crs.to_metric(Point(*A3[name])).coords[0])
    f = centre + ((xy - centre) @ direction) * direction
    g = crs.to_wgs84(Point(*f))
    return (round(g.x, 6), round(g.y, 6))


HUANGHE_EAST = fitted_line(["PET 美联众合动物医院 (黄河路520号, 中山公园南门斜对面)", "BD 新东方(黄河路教学区)",
                            "BD 大连市房屋租赁登记管理中心(黄河路)", "LJ 越秀大厦", "LJ 长江杰座 (黄河路越秀大厦对面)"])

# ---- features ------------------------------------------------------------------------------
# Each entry: id, name_zh, parts (list of vertex lists; each vertex (lon, lat, "anchor/comment")),
# placement, accuracy_m, confidence.
STREETS = []

def S(sid, name, parts, placement, acc, conf):
    STREETS.append(dict(id=sid, name_zh=name, parts=parts, placement=placement, accuracy_m=acc, confidence=conf))

S("changjiang-road", "长江路", [[
    (121.5857, 38.9166, "CP 兴工街 (tram 201 runs on 长江路)"),
    (121.5906, 38.9166, "CP 振工街"),
    (121.5961, 38.9171, "CP 五一广场"),
    (121.6015, 38.9177, "CP 大同街"),
    (121.6079, 38.9183, "CP 北京街"),
    (121.6135, 38.9192, "CP 市场街 / 中央复兴里 (长江路与长春路交汇处)"),
    (121.6176, 38.9190, "CP 东关街"),
    (121.6240, 38.9195, "between CP 东关街 and CP 大连火车站 (tram line)"),
    (121.6299, 38.9201, "CP 大连火车站 (tram stop on 长江路)"),
    (121.6341, 38.9249, "CP 胜利桥"),
    (121.6390, 38.9255, "CP 民生街"),
    (121.6429, 38.9253, "CP 民主广场"),
]], "traced through the surveyed tram-201 stops (OSM control points 兴工街 … 大连火车站 … 民主广场), which run on 长江路; "
   "the 长江路/长春路 junction confirmed by BD-09 POI 中央复兴里 (converted)", 80, "high")

S("zhongshan-road", "中山路", [[
    (121.5548, 38.8755, "CP 黑石礁 (tram 202 on 中山路 west of 星海广场)"),
    (121.5616, 38.8785, "CP 星海公园"),
    (121.5669, 38.8811, "CP 大医二院"),
    (121.5753, 38.8833, "CP 化物所 (中山路457号 campus)"),
    (121.5797, 38.8860, "CP 星海广场"),
    (121.5800, 38.8897, "CP 会展中心"),
    (121.5801, 38.8937, "CP 和平广场 (中山路/高尔基路)"),
    (121.5799, 38.8983, "CP 功成街"),
    (121.5823, 38.9059, "CP 解放广场 (中山路/西安路)"),
    (121.5950, 38.9078, "memory: straight ENE between 解放广场 and 奥林匹克广场"),
    (121.6040, 38.9095, "N edge of 奥林匹克广场 (BJS/BD anchors)"),
    (121.6064, 38.9097, "BD 医大一院 (中山路)"),
    (121.6150, 38.9106, "S side of 人民广场 / BJS 城市规划馆"),
    (121.6215, 38.9116, "BD 大连理工石油化工学院(中山路) / 儿童医院 (中山路154号)"),
    (121.6280, 38.9155, "memory: 青泥洼桥 (BJS 大商, 久光)"),
    (121.6346, 38.9194, "BJS 友好广场"),
    (121.6385, 38.9210, "BJS 中山广场 (east end of 中山路)"),
]], "traced through surveyed tram-202/metro stops 黑石礁 … 星海广场 … 功成街 … 解放广场 (OSM control points; tram 202 runs on "
   "中山路 there), then east through converted BD-09 POIs with 中山路 addresses (医大一院, 理工石油化工学院, 儿童医院) and "
   "buildings.js points at 青泥洼桥, 友好广场 and 中山广场; the bend at 青泥洼桥 is from memory", 150, "medium")

_HE = {n: foot(HUANGHE_EAST, n) for n in A3}
S("huanghe-road", "黄河路", [[
    (*A3["BD 逸彩城购物中心 (黄河路1105号, 马栏广场)"], "BD 逸彩城购物中心 (黄河路1105号, 马栏广场): west end drawn here; GCJ 工商银行益嘉广场支行 (黄河路916,918号, WeChat dump) lies ~100 m W"),
    (*A3["LJ 黄河路（辽师商圈）"], "LJ compound 黄河路（辽师商圈）, by the 辽师/交通大学 (黄河路794号) campuses, whose converted BD-09 POIs lie just south"),
    (*A3["LJ 黄河路（西安路商圈）"], "LJ compound 黄河路（西安路商圈）"),
    (121.5824, 38.9105, "CP 锦辉商城 (tram 202 on 西安路; BD 锦辉购物广场(黄河路店) lies ~100 m E)"),
    (*_HE["PET 美联众合动物医院 (黄河路520号, 中山公园南门斜对面)"], "foot of PET 美联众合动物医院 (黄河路520号) on the fitted east line"),
    (*_HE["BD 新东方(黄河路教学区)"], "foot of BD 新东方(黄河路教学区) on the fitted east line"),
    (*_HE["BD 大连市房屋租赁登记管理中心(黄河路)"], "foot of BD 大连市房屋租赁登记管理中心(黄河路) on the fitted east line"),
    (*_HE["LJ 越秀大厦"], "foot of LJ 越秀大厦 on the fitted east line (越秀大厦 stands ~20 m N of it)"),
    (*_HE["LJ 长江杰座 (黄河路越秀大厦对面)"], "foot of LJ 长江杰座 (黄河路越秀大厦对面, ~20 m S of it): east end drawn here, course beyond not known"),
]], "west part: from 马栏广场 (BD 逸彩城, 黄河路1105号) ESE through the Lianjia compounds named 黄河路 (辽师商圈, 西安路商圈) "
   "to 西安路 (control point 锦辉商城); east part: the straight line fitted through five anchors that lie within 25 m of "
   "it: POIs with 黄河路 in their name or address from two sources (house dump: 新东方(黄河路教学区), 房屋租赁登记管理中心"
   "(黄河路); pet-shop list: 美联众合动物医院 黄河路520号) and the Lianjia compounds 越秀大厦 and 长江杰座 (address "
   "黄河路越秀大厦对面, the two lie on either side of the line). 黄河路 thus runs ENE about 400 m south of and parallel to "
   "长江路 and ends (as drawn) at 长江杰座; it does not cross 长江路 at 五一广场 as drawn before from memory. The POI "
   "黄河路社区卫生服务中心 (named after the community) lies ~500 m N of the west part and is not used", 150, "medium")

S("changchun-road", "长春路", [[
    (121.6134, 38.9192, "BD 中央复兴里 (长江路与长春路交汇处) = north end on 长江路 (DISPUTED: LJ 中央复兴里 lies 754 m W)"),
    (121.6140, 38.9150, "memory: SSE"),
    (121.6147, 38.9106, "crossing 中山路 east of 人民广场"),
    (121.6152, 38.9060, "memory"),
    (121.6163, 38.9013, "BD 保利熙悦 (长春路新风街北行200米) lies ~180 m E"),
    (121.6173, 38.8993, "BD 亿达天琴山 (长春路南段) lies ~250 m W"),
    (121.6185, 38.8975, "south end at 新风街 / start of 八一路 (memory)"),
]], "between converted BD-09 POIs with 长春路 addresses: 中央复兴里 (长江路与长春路交汇处) in the north and 保利熙悦/亿达天琴山 "
   "(长春路南段) in the south; course in between from memory (runs roughly N–S, parallel to and east of 新开路). The north "
   "anchor rests on one disputed housing record: Lianjia puts 中央复兴里 754 m W (121.6049, 38.9169), next to the dump's "
   "长春路小学 POI, the Lianjia compound 长春花园 and the old 大连西站 (which the 13th plan lists on the 长春路 axis); "
   "if that is right the north half of 长春路 runs NNW to 长江路 near 大同街 and lies up to ~800 m W of this line. "
   "The south half (亿达天琴山, confirmed by Lianjia within 8 m) is sound", 800, "low")

S("bayi-road", "八一路", [[
    (121.6185, 38.8975, "south end of 长春路 (memory)"),
    (121.6200, 38.8930, "memory: S, passing the 威华街 blocks"),
    (121.6240, 38.8893, "威华公寓 plot, which the 13th plan lists on the axis: BD 天源秀景 (威华街南) ~250 m SW"),
    (121.6325, 38.8855, "BD 八一路派出所 / 社区卫生服务中心 (converted)"),
    (121.6350, 38.8825, "memory: end toward 石道街"),
]], "from memory: runs S then SE from the south end of 长春路; anchored at the converted BD-09 POI 八一路派出所 (on 八一路), "
   "the 长春路南段 POIs, and kept near the 威华街 blocks (BD 天源秀景) because the 13th plan lists the 威华公寓 plot on the "
   "长春路-八一路 axis", 250, "low")

S("xinkai-road", "新开路", [[
    (121.6124, 38.9192, "BJS 西岗万达大厦 / 润德公馆 (新开路 north end on 长江路)"),
    (121.6122, 38.9170, "BJS 锦绣/金福星/泰华 (west side) "),
    (121.6121, 38.9152, "BJS 外经贸/珠江 (west side) and 九邦/鑫隆 (east side); BD 润德广场 (buildings.js 润德广场 102 m W)"),
    (121.6118, 38.9130, "memory: south end at 人民广场 / 中山路"),
    (121.6117, 38.9104, "中山路"),
]], "between the building rows of buildings.js (WGS84) along 新开路 (西岗万达, 锦绣, 泰华, 外经贸, 珠江 on the west side; 九邦, "
   "鑫隆 on the east side) and the converted BD-09 POI 润德广场 (新开路金广大厦旁); the dump's 北京公园 (新开路610号) record "
   "is not used (Lianjia and a pet-shop list put 北京公园 north of 长江路, 500 m away); runs N–S from 长江路 "
   "to 中山路", 120, "medium")

S("datong-street", "大同街", [[
    (121.6012, 38.9205, "memory: short stretch north of 长江路"),
    (121.6015, 38.9177, "CP 大同街 (tram stop on 长江路)"),
    (121.6018, 38.9135, "memory: N–S"),
    (121.6022, 38.9095, "memory: south end at 中山路 (大同街地下人行通道 near 奥林匹克广场)"),
]], "at the tram-201 control point 大同街 on 长江路; runs N–S from just north of 长江路, across 黄河路 (~38.912 here), to "
   "中山路, from memory", 200, "medium")

S("dongguan-street", "东关街", [[
    (121.6172, 38.9172, "memory: just south of 长江路"),
    (121.6176, 38.9190, "CP 东关街 (tram stop on 长江路)"),
    (121.6180, 38.9210, "memory: 东关街 historic quarter north of 长江路"),
    (121.6184, 38.9232, "memory: north end toward the railway"),
]], "at the tram-201 control point 东关街; runs N from 长江路 through the 东关街 historic quarter (from memory)", 200, "medium")

S("yiersijiu-street", "一二九街", [[
    (121.6195, 38.9185, "memory: north end at 长江路 east of 东关街"),
    (121.6205, 38.9150, "memory"),
    (121.6215, 38.9116, "BD 大连理工石油化工学院/化物所 old compound on 中山路 at 一二九街"),
    (121.6220, 38.9090, "memory: south of 中山路"),
]], "from memory: N–S street between 长江路 and 中山路 east of 东关街, anchored at the converted BD-09 POI of the 理工大学"
   "化工学院 / old 化物所 compound (the 一二九街 area)", 300, "low")

S("shengli-road", "胜利路", [[
    (121.5801, 38.8937, "CP 和平广场 (memory: 胜利路 starts at 和平广场)"),
    (121.5916, 38.8969, "BD 星海融汇 (胜利路168)"),
    (121.5946, 38.8990, "BD 悦泰湾里 (胜利路与太原街交汇处)"),
    (121.6050, 38.9030, "memory: straight ENE"),
    (121.6174, 38.9069, "BD 汇智云顶 (胜利路与茂田巷交汇处)"),
    (121.6215, 38.9085, "memory: east end toward 一二九街"),
]], "through three converted BD-09 POIs with 胜利路 addresses (星海融汇 胜利路168, 悦泰湾里 胜利路/太原街, 汇智云顶 胜利路/"
   "茂田巷); ends from memory", 200, "medium")

S("gaoerji-road", "高尔基路", [[
    (121.5801, 38.8937, "CP 和平广场 (中山路/高尔基路, memory)"),
    (121.5856, 38.8953, "BD 城市旋律 (高尔基路)"),
    (121.5990, 38.9010, "memory: ENE, just north of 胜利路"),
    (121.6080, 38.9060, "memory"),
    (121.6156, 38.9094, "BD 建设信息中心(高尔基路) (converted, earlier helper)"),
]], "between converted BD-09 POIs 城市旋律 (高尔基路) and 建设信息中心 (高尔基路), from 和平广场 (control point) ENE; the "
   "course between them from memory, and it lies close to 胜利路 (one of the two may be off)", 300, "low")

S("fengming-street", "凤鸣街", [[
    (121.6100, 38.9085, "memory: N end near 中山路 / 高尔基路 east part"),
    (121.6105, 38.9040, "memory"),
    (121.6110, 38.9000, "memory"),
]], "placed only to about ±1 km: the plans pair it with 高尔基路 (高尔基路—凤鸣街) and put it in 人民广场街道 (services "
   "14th); 高尔基路's east end is fixed by two records that agree within 40 m (dump POI 建设信息中心(高尔基路), Lianjia "
   "compound 34中高尔基路, ~121.6157, 38.9098), so 凤鸣街 meets the east part of 高尔基路 within about a kilometre of it. "
   "No record names 凤鸣街 itself; the short N–S stub crossing 高尔基路 south of 人民广场 is from memory", 1000, "low")

S("weihua-street", "威华街", [[
    (121.6165, 38.8900, "memory"),
    (121.6205, 38.8895, "BD 天源秀景 (威华街南 石道街附近) lies just south"),
    (121.6245, 38.8895, "memory"),
]], "at the converted BD-09 POI 天源秀景 ('威华街南'): street placed just north of it, E–W orientation from memory", 350, "low")

S("tuanjie-street", "团结街", [[
    (121.6335, 38.9262, "north end of 胜利桥 (CP 胜利桥)"),
    (121.6305, 38.9272, "莫斯科购物广场 (团结街) converted BD-09"),
    (121.6280, 38.9288, "memory: NW end"),
]], "from 胜利桥 (control point) NW along the 俄罗斯风情街 past the converted BD-09 POI 莫斯科购物广场 (团结街)", 150, "medium")

S("shengliqiao-north-street", "胜利桥北街", [[
    (121.6345, 38.9262, "memory: north end of 胜利桥"),
    (121.6343, 38.9290, "memory: north toward the harbour"),
]], "from memory only: a street running north from 胜利桥 (control point) through the 胜利桥北 quarter", 350, "low")

S("shugang-road", "疏港路", [[
    (121.5960, 38.9340, "memory: 香炉礁 end (the 香炉礁 interchange area)"),
    (121.6080, 38.9345, "memory: along the harbour front"),
    (121.6180, 38.9330, "memory"),
    (121.6254, 38.9313, "BD 融创壹号院 (address 疏港路)"),
    (121.6320, 38.9290, "memory: east end at 胜利桥北"),
]], "from memory: harbour-front road of 西岗 from 香炉礁 east to 胜利桥北, anchored at the converted BD-09 POI 融创壹号院 "
   "(疏港路)", 300, "low")

S("binhai-south-road", "滨海南路", [[
    (121.6050, 38.8712, "memory: from the 森林动物园 south gate (CP 森林动物园南门) area"),
    (121.6085, 38.8680, "memory: above the 付家庄 bay shore"),
    (121.6135, 38.8665, "BD 船舶康复医院 (付家庄 滨海西路)"),
    (121.6215, 38.8692, "memory: up from the 付家庄 beach (BD 惠君庭, 华泰街, lies ~100 m NE)"),
    (121.6270, 38.8745, "memory: east toward 中山区"),
]], "the 滨海路 south-shore section at 付家庄 (西岗区), from memory of the shore road above the 付家庄 bay (shore from the "
   "district outline), near the converted BD-09 POIs 船舶康复医院 (滨海西路) and 惠君庭", 300, "low")

S("xi-an-road", "西安路", [[
    (121.5855, 38.9190, "memory: north end north of 长江路"),
    (121.5852, 38.9166, "CP 兴工街 (west end of tram 202 / 长江路)"),
    (121.5826, 38.9105, "CP 锦辉商城 (tram 202 on 西安路)"),
    (121.5823, 38.9059, "CP 解放广场 (西安路/中山路)"),
]], "traced through the tram-202 control points 兴工街, 锦辉商城 and 解放广场 (tram 202 runs on 西安路); north end from memory",
   120, "medium")

# ---- streets added by helper streets-2 ------------------------------------------------------
def GCJ(lng: float, lat: float) -> tuple[float, float]:
    """A GCJ-02 coordinate (Tencent/WeChat map) -> WGS84 (lon, lat), via geo.crs."""
    lon, la = crs.gcj02_to_wgs84(lng, lat)
    return (round(lon, 6), round(la, 6))


A2 = {
    # Wikipedia (zh) article 大连图书馆: 白云山主馆, address 辽宁省大连市西岗区长白街7号 (the address is repeated in
    # several public library lists), coordinates 38.899874 N 121.613789 E. Treated as WGS84, but a Chinese-map
    # origin (GCJ-02, true spot ~390 m W) cannot be ruled out -> the accuracy below covers both.
    "WIKI 大连图书馆白云山主馆 (长白街7号)": (121.613789, 38.899874),
    # Public WeChat mini-program SQL dump (stored file id 44025940489): 中国工商银行(大连沙河口支行营业部),
    # address 辽宁省大连市沙河口区成仁街1号, GCJ-02 (121.589523, 38.912663). The dump's datum was checked against
    # its own record for 福佳新天地广场 (西安路99号): GCJ->WGS lands ~100 m from the BD-09 POI of the same mall in
    # file 10789009259, whereas reading it as BD-09 would put it ~900 m off.
    "GCJ 工商银行沙河口支行营业部 (成仁街1号)": GCJ(121.589523, 38.912663),
    # House dump (file 10789009259), loupan 半岛泉水欣座, address '振兴路以南光明路以西', BD-09 (39.0371, 121.693);
    # a ~5 ha estate, so 光明路 runs along its east side.
    "BD 半岛泉水欣座 (振兴路以南光明路以西)": BD(39.0371, 121.693),
}

_L = A2["WIKI 大连图书馆白云山主馆 (长白街7号)"]
S("changbai-street", "长白街", [[
    (121.6128, 38.8999, "~95 m W of the library: orientation NOT known, stub drawn E-W only to mark the place"),
    (_L[0], _L[1], "WIKI 大连图书馆白云山主馆 (长白街7号), Wikipedia coordinate"),
    (121.6150, 38.8997, "~100 m E of the library, toward 长春路南段 (BD 亿达天琴山 '长春路南段' lies ~150 m S)"),
]], "position only: a ~200 m stub centred on the Dalian Library main building, whose address is 西岗区长白街7号 "
   "(Wikipedia coordinate 38.899874 N 121.613789 E, read as WGS84); it lies beside the 长春路南段 POIs (BD 亿达天琴山), "
   "matching the plan listing 长白街 on the 长春路-八一路 axis. The street's course and direction are not known; the "
   "coordinate may be GCJ-02-derived (then ~390 m W)", 450, "low")

_C = A2["GCJ 工商银行沙河口支行营业部 (成仁街1号)"]
S("chengren-street", "成仁街", [[
    (121.5833, 38.9118, "西安路 centreline as drawn above (between CP 锦辉商城 and CP 兴工街)"),
    (_C[0], _C[1], "GCJ 工商银行沙河口支行营业部 (成仁街1号), converted GCJ-02 -> WGS84"),
    (121.5860, 38.9121, "~120 m further E: direction assumed (No. 1 taken as the 西安路 end), course not known"),
]], "position only: at the converted GCJ-02 point of 工商银行沙河口支行营业部 (沙河口区成仁街1号, public WeChat "
   "mini-program dump; datum checked against the same dump's 福佳新天地 record), ~120 m east of 西安路 near 黄河路 in the "
   "西安路 商圈, as the plan's '后街' wording suggests; drawn as a short stub from 西安路 through No. 1, the direction "
   "and length of the street are assumed", 250, "low")

_G = A2["BD 半岛泉水欣座 (振兴路以南光明路以西)"]
S("guangming-road", "光明路", [[
    (121.6839, 39.0325, "~300 m N on the same line (course assumed)"),
    (121.6838, 39.0298, "~190 m E of BD 半岛泉水欣座 ('振兴路以南光明路以西': the estate lies W of 光明路)"),
    (121.6837, 39.0270, "~300 m S on the same line, course assumed (振兴路 crossing nearby: BD 福佳新城/华润大连湾国际社区 on 振兴路 ~39.03 N)"),
]], "position only, and only of the existing 光明路 in 甘井子区 (泉水/大连湾 area), not of the 光明路延伸工程 that the "
   "2018 report links to the 大连湾海底隧道: a ~600 m N-S stub just east of the converted BD-09 house POI 半岛泉水欣座, "
   "whose address is '振兴路以南光明路以西', at the 振兴路 crossing (other 振兴路 POIs: 福佳新城, 华润大连湾国际社区); the "
   "road's full course and the extension are not drawn. The anchor is one disputed housing record: Lianjia puts "
   "半岛泉水欣座 4.7 km WSW, at 泉水 (BD-09 121.643123, 39.019029), so the stub may be that far off; the dump's "
   "position agrees with its own address and with the dump's other 振兴路 records", 5000, "low")

_CT = A3["LJ 畅通花园"]
S("changtong-street", "畅通街", [[
    (round(_CT[0] - 0.0012, 6), _CT[1], "~100 m W of LJ 畅通花园: direction NOT known, E–W stub only marks the place"),
    (*_CT, "LJ compound 畅通花园 (assumed to be named after and to lie on 畅通街)"),
    (round(_CT[0] + 0.0012, 6), _CT[1], "~100 m E of LJ 畅通花园"),
]], "position only, about ±500 m: a ~200 m stub centred on the Lianjia compound 畅通花园 (BD-09 converted), assumed named "
   "after the street; it lies just south of 中山路 by the 儿童医院 and 汇景天地, at the east edge of the 一二九街 area where "
   "the 13th plan puts 畅通街周边区域改造. The street's course and direction are not known", 500, "low")

OMITTED = {
    "yantai-street": "烟台街: a protected historic street of 西岗 (plan: with 胜利桥北街, 团结街), no anchor found",
    "shifeng-street": "石峰街: position unknown, no anchor found",
    "lianping-street": "连平街: position unknown, no anchor found",
    "gongsan-lane": "工三巷: position unknown, no anchor found",
    "xi-an-street": "西安街 (西岗区): position unknown, no anchor found",
    "ruyi-street": "如意街: only that it is a back street of the 西安路 商圈; no anchor found",
}

ZONE_LINES = [
    dict(id="xg13-axis", name_zh="长春路及八一路经济发展轴", corridor_m=250),
    dict(id="xg14-axis", name_zh="长春路核心轴线", corridor_m=250),
]
AXIS = [[
    (121.6120, 38.9410, "north end ~600 m inside the 西岗 harbour shore (钻石海湾 side); kept >250 m inside the outline"),
    (121.6125, 38.9340, "疏港路 (memory)"),
    (121.6130, 38.9250, "站北 (memory: northward continuation of 长春路)"),
    (121.6134, 38.9192, "BD 中央复兴里 (长江路与长春路交汇处)"),
    (121.6140, 38.9150, "长春路"),
    (121.6147, 38.9106, "长春路 x 中山路"),
    (121.6152, 38.9060, "长春路"),
    (121.6163, 38.9013, "长春路 (BD 保利熙悦)"),
    (121.6173, 38.8993, "长春路 (BD 亿达天琴山)"),
    (121.6185, 38.8975, "长春路 south end / 八一路 (BD 亿达天琴山)"),
    (121.6200, 38.8930, "八一路"),
    (121.6240, 38.8893, "八一路 (威华街 blocks)"),
    (121.6325, 38.8855, "BD 八一路派出所 (八一路)"),
    (121.6270, 38.8810, "memory: down toward 付家庄, kept >400 m inside the 中山区 boundary"),
    (121.6215, 38.8755, "memory: toward BD 惠君庭 (付家庄 华泰街)"),
    (121.6165, 38.8700, "south end above the 付家庄 shore road 滨海路, kept >250 m inside the coast"),
]]
AXIS_PLACEMENT = ("centreline = 长春路 + 八一路 as drawn in streets_hand.geojson (converted BD-09 POIs 中央复兴里, 保利熙悦, "
    "亿达天琴山, 八一路派出所), extended north from 长江路 along the northward continuation of 长春路 through 站北 to "
    "the harbour shore (钻石海湾 side) and south from 八一路 down to 付家庄 and the shore road 滨海路 (惠君庭 华泰街 POI); "
    "both extensions schematic, ends kept inside the 西岗区 outline; corridor 250 m either side = the blocks fronting the axis. "
    "North of 中山路 the line rests on one disputed housing record (中央复兴里; see 长春路): 长春路 may run up to ~800 m "
    "further W there, which would also bring the old 大连西站 (铁路西站地块) onto the axis as the 13th plan says")

BAY = [[
    (121.5555, 38.8700, "黑石礁 shore (district outline coast), ~250 m inland"),
    (121.5580, 38.8766, "behind the 黑石礁 headland (outline), ~300 m inland"),
    (121.5625, 38.8780, "CP 星海公园 shore"),
    (121.5700, 38.8790, "星海湾 north shore (memory)"),
    (121.5765, 38.8800, "星海湾 north shore south of CP 化物所; BD 星海湾壹号 (百年城雕) lies ~200 m E"),
    (121.5772, 38.8850, "马栏河 mouth, running N between 化物所 and 星海广场 (memory)"),
    (121.5770, 38.8900, "马栏河 W of CP 会展中心 (memory)"),
    (121.5775, 38.8950, "马栏河 W of CP 和平广场 (memory)"),
    (121.5785, 38.9010, "马栏河 W of CP 功成街; BD 华业玫瑰东方 ('马栏河东侧 … 西安路西侧') ~400 m NE"),
]]
BAY_PLACEMENT = ("along the 沙河口区 shore from 黑石礁 (district outline) by 星海公园 (control point) and the north shore of "
    "星海湾 (memory), then up the 马栏河 (memory, checked only against the BD-09 POI 华业玫瑰东方 described as east of "
    "马栏河 and west of 西安路); corridor 200 m either side = the shore/river-bank strip")

# ---- output --------------------------------------------------------------------------------
def geom(parts):
    return MultiLineString([[(round(x, 6), round(y, 6)) for x, y, _ in p] for p in parts])


def feature(props, g):
    assert g.is_valid, props
    return {"type": "Feature", "properties": props, "geometry": mapping(g)}


def to_json(g):
    d = mapping(g)
    return {"type": d["type"], "coordinates": [[list(c) for c in line] for line in d["coordinates"]]}


def write(path, feats, layer, id_property):
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": f["properties"], "geometry": to_json(shape(f["geometry"]))} for f in feats]}
    # reviewed corrections made in a GIS (zonemap import) replace the generated feature: ../overrides/
    fc["features"] = apply_overrides(fc["features"], override_path(path.parent, layer), id_property)
    path.write_text(json.dumps(fc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main():
    out = HERE.parent
    feats = [feature({"street": s["id"], "name_zh": s["name_zh"], "placement": s["placement"],
                      "accuracy_m": s["accuracy_m"], "confidence": s["confidence"]}, geom(s["parts"])) for s in STREETS]
    write(out / "streets_hand.geojson", feats, "streets", "street")
    zl = []
    for z in ZONE_LINES:
        zl.append(feature({"zone": z["id"], "name_zh": z["name_zh"], "corridor_m": z["corridor_m"],
                           "placement": AXIS_PLACEMENT, "accuracy_m": 800, "confidence": "low"}, geom(AXIS)))
    zl.append(feature({"zone": "shk14-bay-line", "name_zh": "黑石礁-星海湾-马栏河湾线", "corridor_m": 200,
                       "placement": BAY_PLACEMENT, "accuracy_m": 400, "confidence": "low"}, geom(BAY)))
    write(out / "zone_lines_hand.geojson", zl, "corridors", "zone")
    print(len(feats), "streets;", len(zl), "zone lines; omitted:", ", ".join(OMITTED))


if __name__ == "__main__":
    main()
