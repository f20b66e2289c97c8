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
    "中央复兴里 (长江路与长春路交汇处)": BD(38.9245, 121.625),   # not used: 870 m off 长春路 as fitted (see CHANGCHUN)
    "亿达天琴山 (长春路南段)": BD(38.9047, 121.626),
    "保利熙悦 (长春路新风街北行200米)": BD(38.9077, 121.63),       # not used: 390 m off 长春路 as fitted (see CHANGCHUN)
    "八一路派出所/社区卫生服务中心": (121.6325, 38.8855),          # converted by an earlier helper; named after 八一路街道, 180 m off 八一路
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


def GCJ(lng: float, lat: float) -> tuple[float, float]:
    """A GCJ-02 coordinate (Tencent/WeChat map) -> WGS84 (lon, lat), via geo.crs."""
    lon, la = crs.gcj02_to_wgs84(lng, lat)
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


def fitted_line(names, table=None):
    """Total-least-squares line through anchors, in EPSG:32651: (centre, unit direction).

    The direction points south (or east, for an east-west line) so that distances along it read
    north to south."""
    table = A3 if table is None else table
    xy = np.array([crs.to_metric(Point(*table[n])).coords[0] for n in names])
    centre = xy.mean(axis=0)
    direction = np.linalg.svd(xy - centre)[2][0]
    if direction[1] > 0 or (direction[1] == 0 and direction[0] < 0):
        direction = -direction
    return centre, direction


def _to_lonlat(xy) -> tuple[float, float]:
    g = crs.from_metric(Point(*xy))  # UTM 51N metres → WGS84
    return (round(g.x, 6), round(g.y, 6))


def foot(line, name, table=None):
    """The foot of anchor `name` on a fitted line, back in WGS84 (lon, lat)."""
    table = A3 if table is None else table
    centre, direction = line
    xy = np.array(crs.to_metric(Point(*table[name])).coords[0])
    return _to_lonlat(centre + ((xy - centre) @ direction) * direction)


def offset(line, lonlat) -> float:
    """Signed distance (m) of a WGS84 point from a fitted line (positive = left of its direction)."""
    centre, direction = line
    xy = np.array(crs.to_metric(Point(*lonlat)).coords[0])
    return float((xy - centre) @ np.array([-direction[1], direction[0]]))


def through(a, b):
    """The line through two WGS84 points (e.g. two tram stops on one street), as (centre, unit direction)."""
    pa, pb = (np.array(crs.to_metric(Point(*q)).coords[0]) for q in (a, b))
    return pa, (pb - pa) / np.linalg.norm(pb - pa)


def crossing(line, other) -> tuple[float, float]:
    """Where two lines (as from fitted_line or through) meet, in WGS84."""
    (c1, d1), (c2, d2) = line, other
    t = np.linalg.solve(np.array([d1, -d2]).T, c2 - c1)
    return _to_lonlat(c1 + t[0] * d1)


def metres(a, b) -> float:
    """Distance (m) between two WGS84 points, in the metric CRS."""
    return crs.to_metric(Point(*a)).distance(crs.to_metric(Point(*b)))


def along(line, lonlat, metres) -> tuple[float, float]:
    """The point `metres` along a fitted line (negative = northwards) from the foot of a WGS84 point."""
    centre, direction = line
    xy = np.array(crs.to_metric(Point(*lonlat)).coords[0])
    return _to_lonlat(centre + ((xy - centre) @ direction + metres) * direction)


HUANGHE_EAST = fitted_line(["PET 美联众合动物医院 (黄河路520号, 中山公园南门斜对面)", "BD 新东方(黄河路教学区)",
                            "BD 大连市房屋租赁登记管理中心(黄河路)", "LJ 越秀大厦", "LJ 长江杰座 (黄河路越秀大厦对面)"])

# ---- 长春路 (issue 7 §6 follow-up, engineer `axis`; see ../SOURCES.md "长春路") -------------------------
# Every record found that places something on 长春路 (by house number, by a crossing, or by a name taken from
# the street), each converted from its own datum through geo.crs. Sources: the house-analysis dump (BD), Lianjia
# (LJ), a public map of the 山海 group's shops (stored file id 10895643365, an Amap page, GCJ-02: its 奥林店 in
# 奥林匹克广场 lies 59 m from the dump's POI of the square when read as GCJ-02, 908 m when read as BD-09), a
# public copy of a Maoyan cinema list (stored file id 24200864184, GCJ-02: its 恒隆广场 cinema lies 116 m from
# buildings.js 恒隆广场 read as GCJ-02, 873 m read as BD-09), and zh.wikipedia.
CHANGCHUN = {
    # north of 中山路
    "BD 大连市西岗区长春路小学": BD(38.9272, 121.613),                               # school named after the street
    "LJ 长春花园": LJ(121.61440213982, 38.925840463421),                           # compound named after the street
    "LJ 中央复兴里 (长江路与长春路交汇处)": LJ(121.616415, 38.923377),                 # address from the dump's loupan table
    "GCJ 鑫辉煌珠宝 (信诚街3号, 长江路与长春路交叉路口东方国际大厦)": GCJ(121.608551, 38.918266),
    "GCJ 大连山海 (长春路50号)": GCJ(121.609824, 38.916066),
    "BD 大连时尚百盛 (长春路百盛, on 中山路)": BD(38.9168, 121.616),                   # '长春路百盛': two texts, see SOURCES
    "GCJ 万达影城华府店 (中山路281号, 近长春路)": GCJ(121.60831, 38.91072),
    # south of 中山路
    "LJ 34中长春路": LJ(121.621938, 38.910145),                                    # compound named after the street
    "BD 亿达天琴山 (长春路南段)": BD(38.9047, 121.626),                               # Lianjia's 亿达天琴山 lies 8 m away
    "LJ 长春路（石道街商圈）": LJ(121.630196, 38.902927),                            # compound named after the street
    "BD 大连市检察机关便民工作站(长春路)": BD(38.894, 121.639),                        # not fitted: checks the south line
    # checks, not fitted
    "WIKI 大连西站 (小岗子, demolished 2003)": (121.60374, 38.92217),
    "LJ 铁路西站": LJ(121.614443, 38.92751),
    "LJ 八一路（八一路商圈）": LJ(121.644053, 38.889192),
    # the records used before, which the others contradict (dump loupan, single housing records)
    "BD 中央复兴里 (dump loupan, 西岗长江路与长春路交汇处)": BD(38.9245, 121.625),
    "BD 保利熙悦 (dump loupan, 长春路新风街北行200米)": BD(38.9077, 121.63),
}
CHANGCHUN_NORTH_FIT = ["BD 大连市西岗区长春路小学", "LJ 长春花园", "LJ 中央复兴里 (长江路与长春路交汇处)",
                       "GCJ 鑫辉煌珠宝 (信诚街3号, 长江路与长春路交叉路口东方国际大厦)", "GCJ 大连山海 (长春路50号)",
                       "BD 大连时尚百盛 (长春路百盛, on 中山路)", "GCJ 万达影城华府店 (中山路281号, 近长春路)"]
CHANGCHUN_SOUTH_FIT = ["LJ 34中长春路", "BD 亿达天琴山 (长春路南段)", "LJ 长春路（石道街商圈）"]
CC_N = fitted_line(CHANGCHUN_NORTH_FIT, CHANGCHUN)   # runs NNW-SSE (bearing ~174°) from the old 西站 to 中山路
CC_S = fitted_line(CHANGCHUN_SOUTH_FIT, CHANGCHUN)   # runs NW-SE (bearing ~141°) from 中山路 to 八一路
CHANGJIANG_TRAM = through(CP["大同街"], CP["北京街"])   # 长江路 between the two tram stops
ZHONGSHAN_AT_OLYMPIC = through((121.6040, 38.9095), (121.6064, 38.9097))   # 中山路 as drawn below, 奥林匹克广场-医大一院
_CC = {n: foot(CC_N if n in CHANGCHUN_NORTH_FIT else CC_S, n, CHANGCHUN) for n in CHANGCHUN_NORTH_FIT + CHANGCHUN_SOUTH_FIT}
_CC_SOUTH_END = foot(CC_S, "BD 大连市检察机关便民工作站(长春路)", CHANGCHUN)
_CC_X_CHANGJIANG = crossing(CC_N, CHANGJIANG_TRAM)
_CC_X_ZHONGSHAN = crossing(CC_N, ZHONGSHAN_AT_OLYMPIC)
_CC_BEND = crossing(CC_N, CC_S)


def _off(line, name):
    return abs(offset(line, CHANGCHUN[name]))


CHANGCHUN_VERTICES = [
    (*_CC["BD 大连市西岗区长春路小学"],
     f"foot of BD 长春路小学 on the north line: north end drawn here (the old 大连西站 site lies "
     f"{_off(CC_N, 'WIKI 大连西站 (小岗子, demolished 2003)'):.0f} m (WIKI) and {_off(CC_N, 'LJ 铁路西站'):.0f} m (LJ 铁路西站) "
     f"off the line, 100-200 m further N)"),
    (*_CC["LJ 长春花园"], "foot of LJ 长春花园 on the north line"),
    (*_CC_X_CHANGJIANG,
     f"crossing of the north line with 长江路 (tram line between CP 大同街 and CP 北京街); GCJ 长江路与长春路交叉路口 lies "
     f"{metres(_CC_X_CHANGJIANG, CHANGCHUN['GCJ 鑫辉煌珠宝 (信诚街3号, 长江路与长春路交叉路口东方国际大厦)']):.0f} m, "
     f"LJ 中央复兴里 (长江路与长春路交汇处) {metres(_CC_X_CHANGJIANG, CHANGCHUN['LJ 中央复兴里 (长江路与长春路交汇处)']):.0f} m "
     f"from it"),
    (*_CC["GCJ 大连山海 (长春路50号)"], "foot of GCJ 长春路50号 on the north line"),
    (*_CC_X_ZHONGSHAN,
     f"crossing of the north line with 中山路 as drawn: BD 大连时尚百盛 (长春路百盛) and GCJ 万达影城华府店 (中山路281号, "
     f"近长春路) lie {_off(CC_N, 'BD 大连时尚百盛 (长春路百盛, on 中山路)'):.0f} m and "
     f"{_off(CC_N, 'GCJ 万达影城华府店 (中山路281号, 近长春路)'):.0f} m off the line"),
    (*_CC_BEND, f"where the north and south lines meet ({metres(_CC_BEND, _CC_X_ZHONGSHAN):.0f} m S of 中山路 as drawn, "
                f"by 奥林匹克广场)"),
    (*_CC["LJ 34中长春路"], "foot of LJ 34中长春路 on the south line"),
    (*_CC["BD 亿达天琴山 (长春路南段)"], "foot of BD 亿达天琴山 (长春路南段; LJ 亿达天琴山 8 m away) on the south line"),
    (*_CC["LJ 长春路（石道街商圈）"], "foot of LJ 长春路（石道街商圈） on the south line"),
    (*_CC_SOUTH_END,
     f"foot of BD 大连市检察机关便民工作站(长春路) on the south line ({_off(CC_S, 'BD 大连市检察机关便民工作站(长春路)'):.0f} m "
     f"off it, {metres(_CC_SOUTH_END, _CC['LJ 长春路（石道街商圈）']):.0f} m beyond the last fitted record): south end "
     f"drawn here, where 八一路 begins"),
]

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
    (121.6135, 38.9192, "CP 市场街"),
    (121.6176, 38.9190, "CP 东关街"),
    (121.6240, 38.9195, "between CP 东关街 and CP 大连火车站 (tram line)"),
    (121.6299, 38.9201, "CP 大连火车站 (tram stop on 长江路)"),
    (121.6341, 38.9249, "CP 胜利桥"),
    (121.6390, 38.9255, "CP 民生街"),
    (121.6429, 38.9253, "CP 民主广场"),
]], "traced through the surveyed tram-201 stops (OSM control points 兴工街 … 大连火车站 … 民主广场), which run on 长江路; "
   "长春路 crosses it between the 大同街 and 北京街 stops (see 长春路)", 80, "high")

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

S("changchun-road", "长春路", [CHANGCHUN_VERTICES],
  "fitted to every record found that places something on 长春路, from five sources in three datums, each converted "
  "through geo.crs (see ../SOURCES.md, section 长春路): north of 中山路 a straight line through seven records - a house "
  "number (GCJ 大连山海, 长春路50号), two crossing records (GCJ 长江路与长春路交叉路口东方国际大厦; LJ 中央复兴里, address "
  "长江路与长春路交汇处), the school and compound named after the street (BD 长春路小学, LJ 长春花园) and the two corners at "
  "中山路 (BD 大连时尚百盛 = '长春路百盛'; GCJ 万达影城华府店, 中山路281号 近长春路), all within 125 m of it (rms 85 m); "
  "it runs NNW-SSE ~210 m E of and parallel to the 西岗/沙河口 line, crosses 长江路 between the 大同街 and 北京街 tram "
  "stops and reaches the old 大连西站 (WIKI, LJ 铁路西站) in the north. South of 中山路 a straight line through three "
  "records (LJ 34中长春路, BD 亿达天琴山 长春路南段 - LJ within 8 m -, LJ 长春路（石道街商圈）), within 95 m of it, runs "
  "SE; extended, it passes 7 m from the POI 大连市检察机关便民工作站(长春路) 1.3 km further on, where 长春路 is drawn to end "
  "and 八一路 to begin, and meets the north line 130 m S of 中山路 by 奥林匹克广场. Drawn before at lon ~121.614 north of "
  "中山路 on one housing record (the dump's 中央复兴里), which lies 870 m E of this line and is contradicted by all of "
  "these; the dump's 保利熙悦 record (长春路新风街北行200米) lies 390 m off it and is not used", 150, "medium")

_BAYI_END = foot(CC_S, "LJ 八一路（八一路商圈）", CHANGCHUN)
S("bayi-road", "八一路", [[
    (*_CC_SOUTH_END, "south end of 长春路 (foot of BD 大连市检察机关便民工作站(长春路) on the 长春路 south line)"),
    (*_BAYI_END, f"foot of LJ 八一路（八一路商圈） on the 长春路 south line, extended ({_off(CC_S, 'LJ 八一路（八一路商圈）'):.0f} "
                 f"m off it): drawn to here, course beyond not known"),
]], "the straight continuation of the 长春路 south line from the south end of 长春路 to the Lianjia compound named after the "
   "street, 八一路（八一路商圈）, which lies within 25 m of that line; the POIs 八一路派出所 and 八一路社区卫生服务中心 (house dump, "
   "BD-09 38.8922,121.644) lie ~180 m NE of it. Where the street goes beyond the compound is not known (drawn before from "
   "memory as a 2.3 km road bending S then E from 新风街; its first half is the 长春路 south section drawn here)", 250, "low")

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
    (121.6150, 38.8997, f"~100 m E of the library, across 长春路 (which passes {abs(offset(CC_S, _L)):.0f} m from the library)"),
]], "position only: a ~200 m stub centred on the Dalian Library main building, whose address is 西岗区长白街7号 "
   "(Wikipedia coordinate 38.899874 N 121.613789 E, read as WGS84); 长春路 as fitted passes "
   f"{abs(offset(CC_S, _L)):.0f} m from it, beside the "
   "长春路南段 POIs (BD 亿达天琴山), matching the plan listing 长白街 on the 长春路-八一路 axis. The street's course and direction are not known; the "
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

# Half-width of the axis corridor. The plans give none ("沿线区域"); it stands for the blocks fronting the street.
# It is 180 m because 长春路 runs ~190-220 m east of the 西岗/沙河口 district line between the old 大连西站 and 中山路
# (the outline is independent of the records 长春路 is fitted to): a wider corridor would take in 沙河口区 land.
AXIS_CORRIDOR_M = 180
# The north extension: the plans say only that the axis reaches the harbour (“向北通达钻石海湾岸线”); it is drawn as the
# straight continuation of the fitted 长春路 north line, ending this far north of the street's north end.
AXIS_NORTH_EXTENSION_M = 2600

ZONE_LINES = [
    dict(id="xg13-axis", name_zh="长春路及八一路经济发展轴", corridor_m=AXIS_CORRIDOR_M),
    dict(id="xg14-axis", name_zh="长春路核心轴线", corridor_m=AXIS_CORRIDOR_M),
]
_WEST_STATION = CHANGCHUN["WIKI 大连西站 (小岗子, demolished 2003)"]
AXIS = [[
    (*along(CC_N, CHANGCHUN_VERTICES[0][:2], -AXIS_NORTH_EXTENSION_M),
     "schematic north end: the fitted 长春路 north line continued N through 香炉礁 towards the harbour (钻石海湾), ending "
     "inside the 西岗区 outline by more than the corridor half-width"),
    (*foot(CC_N, "WIKI 大连西站 (小岗子, demolished 2003)", CHANGCHUN),
     f"passes the old 大连西站 site (铁路西站地块, WIKI), {abs(offset(CC_N, _WEST_STATION)):.0f} m off the line"),
    *[(x, y, f"长春路: {note}") for x, y, note in CHANGCHUN_VERTICES],
    (*_BAYI_END, "八一路: foot of LJ 八一路（八一路商圈）"),
    (121.6270, 38.8810, "memory: down toward 付家庄, kept >400 m inside the 中山区 boundary"),
    (121.6215, 38.8755, "memory: toward BD 惠君庭 (付家庄 华泰街)"),
    (121.6165, 38.8700, "south end above the 付家庄 shore road 滨海路, kept >250 m inside the coast"),
]]
AXIS_PLACEMENT = ("centreline = 长春路 + 八一路 as drawn in streets_hand.geojson (长春路 fitted to ten records from five "
    "sources, ±150 m; see its placement and ../SOURCES.md), extended north along the fitted 长春路 line past the old "
    "大连西站 (铁路西站地块, which the 13th plan lists on this axis) through 香炉礁 towards the harbour (钻石海湾), and "
    "south from 八一路 down to 付家庄 and the shore road 滨海路 (惠君庭 华泰街 POI), as the plans describe the axis "
    "(“向北通达钻石海湾岸线，向南连接滨海南路岸线”); both extensions schematic, ends kept inside the 西岗区 outline; "
    f"corridor {AXIS_CORRIDOR_M} m either side = the blocks fronting the axis (no wider: 长春路 runs ~200 m from the "
    "沙河口 line). Drawn before at lon ~121.614 north of 中山路, on one housing record that the others contradict")

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
                           "placement": AXIS_PLACEMENT, "accuracy_m": 300, "confidence": "medium"}, geom(AXIS)))
    zl.append(feature({"zone": "shk14-bay-line", "name_zh": "黑石礁-星海湾-马栏河湾线", "corridor_m": 200,
                       "placement": BAY_PLACEMENT, "accuracy_m": 400, "confidence": "low"}, geom(BAY)))
    write(out / "zone_lines_hand.geojson", zl, "corridors", "zone")
    print(len(feats), "streets;", len(zl), "zone lines; omitted:", ", ".join(OMITTED))


if __name__ == "__main__":
    main()
