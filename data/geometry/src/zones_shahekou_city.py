"""Generate data/geometry/zones_shahekou_city.geojson (hand-digitised zone polygons, WGS84).

Covers
  * 沙河口区 layout shk14-two-zones-five-areas-bay-line (shahekou-14th-fyp): the two core zones and
    the five 片区 (shk14-bay-line is drawn elsewhere as a corridor and is NOT in this file);
  * 大连市 2018 work report layout dl18-key-areas: coarse polygons of the areas that have a real
    extent. The whole-city / non-area designations are left out (see OMITTED at the bottom).

How to read the coordinates
  Every vertex is written [lon, lat] in WGS84 with a comment naming what it is anchored on.
  Anchors are of four kinds:
    CP   a control point of shared/reference/control_points.geojson (surveyed OSM stop, WGS84);
    BLD  a building position from public file `buildings.js` (find_string id 23963713762), WGS84;
    POI  a POI from the public house-price dump (id 10789009259), stored there in Baidu BD-09 and
         converted here with bd09_to_wgs84() below (BD-09 -> GCJ-02 -> WGS84); those files store
         only 3-4 decimals, i.e. +-50 m before conversion;
    MEM  my own memory of Dalian's street grid / geography (no map was copied).
  Polygons are then CLIPPED: Shahekou zones to the 沙河口区 outline, city areas to the outline
  named in their entry and always to the 大连市 outline (keeps them on land), using
  shared/reference/dalian_districts.geojson (Amap outline converted to WGS84, coast +-100 m).
  So a vertex drawn "in the sea" or "beyond the district line" is deliberate: the clip makes the
  coast / district line the real edge there.

Run:  python zones_shahekou_city.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]                      # the repository root
sys.path.insert(0, str(REPO))
from geo import crs                          # noqa: E402  (BD-09 / GCJ-02 conversions)
from geo.overrides import apply_overrides, override_path  # noqa: E402

REF = REPO / "data" / "reference"  # the repository's copy of the reference outlines
OUT = HERE.parent / "zones_shahekou_city.geojson"


def bd09_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Baidu BD-09 -> GCJ-02 -> WGS84 (geo.crs, the one place for the conversion)."""
    return crs.bd09_to_wgs84(lon, lat)


# ---- anchors --------------------------------------------------------------------------------
# Control points (exact, from control_points.geojson)
CP = {
    "春柳": (121.577367, 38.935176),
    "锦辉商城": (121.582398, 38.910484),
    "解放广场": (121.582294, 38.905868),
    "功成街": (121.579939, 38.898565),
    "和平广场": (121.58011, 38.89372),
    "会展中心": (121.579992, 38.889671),
    "星海广场": (121.579635, 38.885934),
    "化物所": (121.575282, 38.883265),
    "兴工街": (121.58569, 38.916601),
    "中长街": (121.587, 38.923214),
    "梭鱼湾": (121.614533, 38.952881),
    "二七广场": (121.658058, 38.919315),
    "寺儿沟": (121.66515, 38.918343),
    "春海街": (121.671212, 38.917803),
    "华乐广场": (121.677184, 38.91404),
    "海事大学": (121.529959, 38.865559),
    "七贤岭": (121.513008, 38.846339),
    "河口": (121.50962, 38.843117),
    "小平岛前": (121.505346, 38.842111),
    "万达广场": (121.527017, 38.861904),
}
# POIs of the BD-09 dump (id 10789009259), converted to WGS84 here
POI_BD09 = {
    "逸彩城购物中心(马栏广场,黄河路1105号)": (121.563, 38.9258),
    "沙河口区马栏小学": (121.563, 38.9313),
    "李家街小学": (121.575, 38.9443),
    "李家街派出所": (121.579, 38.9427),
    "大连市沙河口区人民政府李家街道": (121.564, 38.9494),
    "春柳街道办": (121.581, 38.9446),
    "春柳街派出所": (121.585, 38.951),
    "大连沙河口南沙社区卫生服务中心": (121.577, 38.9078),
    "南沙社区卫生服务中心幸福社区卫生站": (121.583, 38.9063),
    "幸福派出所": (121.584, 38.9134),
    "中山公园应急避难所": (121.606, 38.9189),
    "大连中山公园购物广场": (121.605, 38.9192),
    "大连市沙河口区人大常委会中山公园街道工作委员会": (121.605, 38.9206),
    "锦辉购物广场(黄河路店)": (121.595, 38.917),
    "福佳新天地广场": (121.594, 38.9231),
    "大连机车医院": (121.595, 38.9243),
    "凯德和平广场": (121.594, 38.9029),
}
POI = {k: bd09_to_wgs84(*v) for k, v in POI_BD09.items()}
# Buildings (buildings.js, WGS84)
BLD = {
    "深蓝中心": (121.582301, 38.892963),
    "新星海中心": (121.589121, 38.894745),
    "星海长岛": (121.589985, 38.890516),
    "期货大厦(大商所)": (121.585394, 38.890220),
    "大连世界博览广场": (121.587036, 38.884505),
    "君悦": (121.579435, 38.877283),
    "城堡酒店": (121.590746, 38.877792),
    "国际会议中心": (121.667896, 38.928630),
    "绿地中心": (121.666727, 38.926505),
    "恒大东港": (121.660195, 38.926310),
    "磐海": (121.664626, 38.929686),
    "恒力大厦": (121.683561, 38.922628),
    "梭鱼湾足球场": (121.619360, 38.951571),
}

# The places each feature must contain (checked in build(); the brief's control places)
MUST_CONTAIN = {
    "shk14-xinghaiwan": ["CP:星海广场", "CP:会展中心", "BLD:期货大厦(大商所)"],
    "shk14-xi-an-road": ["CP:锦辉商城", "CP:解放广场", "POI:福佳新天地广场"],
    "shk14-malan": ["POI:逸彩城购物中心(马栏广场,黄河路1105号)"],
    "shk14-nansha": ["POI:大连沙河口南沙社区卫生服务中心"],
    "shk14-lijia": ["POI:李家街小学", "POI:李家街派出所"],
    "shk14-chunliu": ["CP:春柳"],
    "shk14-zhongshan-park": ["POI:中山公园应急避难所"],
    "dl18-donggang": ["BLD:国际会议中心", "BLD:绿地中心"],
    "dl18-suoyuwan": ["CP:梭鱼湾", "BLD:梭鱼湾足球场"],
}

# ---- features -------------------------------------------------------------------------------
# Each: id, name_zh, clip (reference outline names; '大连市' is always added), rings (list of
# exterior rings, each a list of [lon, lat]), placement, accuracy_m, confidence.
FEATURES: list[dict] = []

# ============================ 沙河口区: 两区 ==================================================
FEATURES.append(dict(
    id="shk14-xinghaiwan", name_zh="星海湾金融商务区", clip=["沙河口区"],
    rings=[[
        [121.5740, 38.8735],  # SW: coast south-west of 星海广场 (clip makes the coastline the edge)
        [121.5935, 38.8735],  # SE: coast below 城堡酒店 hill (BLD 121.5907,38.8778)
        [121.5935, 38.8850],  # E: 200 m east of 大连世界博览广场 (BLD 121.5870,38.8845), foot of 白云山
        [121.5930, 38.8960],  # NE: 350 m east of 新星海中心 (BLD 121.5891,38.8947)
        [121.5840, 38.8975],  # N: ~300 m north of 深蓝中心 (BLD 121.5823,38.8930), south of 功成街 (CP)
        [121.5765, 38.8965],  # NW: west of the 和平广场 stop (CP 121.5801,38.8937)
        [121.5745, 38.8880],  # W: 中山路 west of 会展中心, just east-north-east of 化物所 (CP 121.5753,38.8833)
        [121.5728, 38.8800],  # W: west edge of 星海广场's south half (MEM)
    ]],
    placement=("from memory of the 星海湾 business district, anchored at control points 星海广场, 会展中心, "
               "和平广场 and 功成街 and at buildings.js (WGS84) positions of 深蓝中心, 期货大厦 (大商所), "
               "新星海中心, 星海长岛, 世界博览广场, 君悦 and 城堡酒店; north edge just south of 功成街, "
               "south edge = 沙河口区 coastline (clip)"),
    accuracy_m=300, confidence="medium",
))

FEATURES.append(dict(
    id="shk14-xi-an-road", name_zh="西安路商务商贸区", clip=["沙河口区"],
    rings=[[
        [121.5765, 38.9000],  # SW: 中山路/五四路 corner west of 西安路 south end (MEM), 200 m N of 功成街 (CP)
        [121.5890, 38.9000],  # SE: east of 西安路 south end; leaves 凯德和平广场 (POI) to the south
        [121.5895, 38.9080],  # E: 如意街 side, ~600 m east of 解放广场 (CP 121.5823,38.9059) (MEM)
        [121.5890, 38.9170],  # E: just west of 兴工街 station (CP 121.5857,38.9166) + 300 m
        [121.5905, 38.9250],  # NE: north extension over the 机车厂 plot, east of 中长街 (CP 121.5870,38.9232)
        [121.5790, 38.9260],  # NW: 机车厂 plot north-west corner (MEM), 1.3 km N of 锦辉商城 (CP)
        [121.5760, 38.9170],  # W: 黄河路 west of 福佳新天地 / 罗斯福 (POI), ~600 m W of 西安路
        [121.5755, 38.9060],  # W: west of 解放广场 (CP), 700 m
    ]],
    placement=("from memory of the 西安路 street grid, anchored at control points 锦辉商城, 解放广场, 兴工街, "
               "中长街 and 功成街 and at BD-09→WGS84 POIs 福佳新天地广场, 锦辉购物广场, 大连机车医院; "
               "core 西安路 between 中山路/五四路 (S) and the 机车厂 plot (N, the plan's 北拓 target); "
               "clipped to 沙河口区"),
    accuracy_m=300, confidence="medium",
))

# ============================ 沙河口区: 五片 ==================================================
FEATURES.append(dict(
    id="shk14-zhongshan-park", name_zh="中山公园片区", clip=["沙河口区"],
    rings=[[
        [121.5895, 38.9030],  # SW: east of 西安路 zone's south-east corner (shared edge)
        [121.6000, 38.9030],  # SE: beyond the 西岗区 line (clip makes the district line the edge)
        [121.6050, 38.9120],  # E: beyond 西岗区 line near 中山公园 east gate (MEM)
        [121.6050, 38.9230],  # NE: beyond 西岗区 line, 长江路 (MEM)
        [121.5905, 38.9250],  # NW: = 西安路 zone NE corner (east of 中长街 CP)
        [121.5890, 38.9170],  # W: = 西安路 zone east edge
        [121.5895, 38.9080],  # W: = 西安路 zone east edge
    ]],
    placement=("between the 西安路 zone's east edge and the 西岗区 outline (clip), anchored at BD-09→WGS84 "
               "POIs 中山公园应急避难所, 大连中山公园购物广场 and the 中山公园街道 office; edges from memory"),
    accuracy_m=400, confidence="low",
))

FEATURES.append(dict(
    id="shk14-nansha", name_zh="南沙片区", clip=["沙河口区"],
    rings=[[
        [121.5570, 38.8950],  # SW: 中山路 north side west of 南沙 (MEM)
        [121.5755, 38.8960],  # SE: next to 星海湾 zone's NW corner, 中山路/五一路 area (MEM)
        [121.5765, 38.9000],  # E: = 西安路 zone SW corner
        [121.5755, 38.9060],  # E: = 西安路 zone west edge
        [121.5756, 38.9095],  # NE: on the 西安路 zone west edge, 黄河路 south side, east of 幸福派出所 (POI ~121.573,38.907)
        [121.5580, 38.9090],  # NW: 黄河路 south side near 西南路 (MEM)
    ]],
    placement=("around BD-09→WGS84 POIs 南沙社区卫生服务中心 and 幸福社区卫生站 / 幸福派出所 (the 南沙 "
               "neighbourhood west of 西安路, between 黄河路 and 中山路); edges from memory; does not tile "
               "with the other areas"),
    accuracy_m=500, confidence="low",
))

FEATURES.append(dict(
    id="shk14-malan", name_zh="马栏片区", clip=["沙河口区"],
    rings=[[
        [121.5400, 38.9090],  # SW: beyond the west district line (clip = 马栏河 valley boundary)
        [121.5580, 38.9090],  # SE: = 南沙 NW corner, 黄河路 south side (MEM)
        [121.5640, 38.9160],  # E: 黄河路 / 西南路 area, ~1 km E of 马栏广场 (MEM)
        [121.5660, 38.9290],  # NE: south of 李家 (shared edge), east of 马栏小学 (POI ~121.552,38.925)
        [121.5400, 38.9290],  # NW: beyond the west district line (clip)
    ]],
    placement=("around 马栏广场, placed by the BD-09→WGS84 POI 逸彩城购物中心 (黄河路1105号 马栏广场) and "
               "沙河口区马栏小学; west edge = 沙河口区 outline (clip), other edges from memory"),
    accuracy_m=400, confidence="low",
))

FEATURES.append(dict(
    id="shk14-lijia", name_zh="李家片区", clip=["沙河口区"],
    rings=[[
        [121.5350, 38.9290],  # SW: beyond west district line (clip)
        [121.5705, 38.9290],  # SE: boundary with 春柳, ~700 m W of 春柳 station (CP 121.5774,38.9352)
        [121.5700, 38.9500],  # NE: beyond the north district line (clip)
        [121.5350, 38.9500],  # NW: beyond the district corner (clip)
    ]],
    placement=("north-west corner of 沙河口区: around BD-09→WGS84 POIs 李家街小学, 李家街派出所 and the 李家街道 "
               "office; north and west edges = 沙河口区 outline (clip); east edge (towards 春柳) drawn "
               "half-way between 李家街派出所 and 春柳 station; south edge from memory"),
    accuracy_m=400, confidence="low",
))

FEATURES.append(dict(
    id="shk14-chunliu", name_zh="春柳片区", clip=["沙河口区"],
    rings=[[
        [121.5705, 38.9290],  # SW: = 李家 SE corner
        [121.5800, 38.9290],  # SE: beyond the 西岗区 line near 香工街 (clip)
        [121.5900, 38.9500],  # NE: beyond the district's north-east corner (clip)
        [121.5700, 38.9500],  # NW: = 李家 NE corner (north of the district line, clip)
    ]],
    placement=("north-east corner of 沙河口区 around control point 春柳 station, BD-09→WGS84 POIs 春柳街道办, "
               "春柳街派出所; east and north edges = 沙河口区 outline (西岗区/甘井子区 lines, clip); "
               "west edge shared with 李家"),
    accuracy_m=400, confidence="low",
))

# ============================ 大连市 2018: 重点区域 (coarse) ==================================
FEATURES.append(dict(
    id="dl18-jinpu-new-area", name_zh="金普新区", clip=[], from_outline="金州区",
    rings=[],
    placement=("the 金州区 outline (adcode 210213) of the reference layer, taken whole as a stand-in: "
               "金普新区 is the former 金州区 plus the 普湾 towns; the reference outline already runs north "
               "to ~39.54°N and so includes the transferred 普湾 area. The managed area and the "
               "administrative outline differ in places, so edges may be off by kilometres"),
    accuracy_m=3000, confidence="medium",
))

FEATURES.append(dict(
    id="dl18-high-tech-zone", name_zh="高新区", clip=["甘井子区"],
    rings=[[
        [121.5360, 38.9080],  # NE: west of 沙河口区's west line north of 大连理工/软件园 (MEM)
        [121.5000, 38.9080],  # N: hills north of 凌水 / 旅顺南路 (MEM)
        [121.4600, 38.8950],  # N: 黄泥川 north (MEM)
        [121.4150, 38.8700],  # NW: towards the 旅顺口区 line (MEM)
        [121.4000, 38.8300],  # W: sea south of 龙王塘 (clip to 甘井子区 removes sea and 旅顺口区)
        [121.5200, 38.8200],  # S: sea
        [121.5500, 38.8600],  # SE: sea off 凌水湾 (clip)
        [121.5360, 38.8700],  # E: 沙河口区 line (clip keeps 甘井子区 only)
    ]],
    placement=("coarse: the south-western coast of 甘井子区 from the 沙河口区 line (黑石礁) west past control "
               "points 海事大学, 万达广场, 七贤岭, 河口, 小平岛前 to 黄泥川 and the 旅顺口区 line; inland edge "
               "from memory of the hills behind 凌水/七贤岭; clipped to 甘井子区 (so 龙王塘, in 旅顺口区 but "
               "managed by the zone, is left out)"),
    accuracy_m=2000, confidence="low",
))

FEATURES.append(dict(
    id="dl18-lingshuiwan", name_zh="凌水湾总部基地", clip=["甘井子区"],
    rings=[[
        [121.5160, 38.8560],  # W: coast east of 七贤岭 (CP 121.5130,38.8463) (MEM)
        [121.5220, 38.8650],  # NW: 中山路 / 万达广场 (CP 121.5270,38.8619) north side
        [121.5360, 38.8690],  # NE: 沙河口区 line west of 学苑广场 (clip)
        [121.5500, 38.8560],  # SE: sea (clip)
        [121.5250, 38.8450],  # S: sea (clip)
    ]],
    placement=("coarse: the 凌水湾 shore of 高新区 between control points 七贤岭 and 海事大学/万达广场, "
               "seaward part removed by clipping to 甘井子区; the base sits on reclaimed land that the "
               "reference coastline may not fully include"),
    accuracy_m=1000, confidence="low",
))

FEATURES.append(dict(
    id="dl18-donggang", name_zh="东港商务区", clip=["中山区"],
    rings=[[
        [121.6540, 38.9230],  # SW: 港湾广场 north-east, west of 恒大东港 (BLD 121.6602,38.9263)
        [121.6580, 38.9330],  # NW: sea / 港池 (clip)
        [121.6750, 38.9360],  # N: sea (clip)
        [121.6950, 38.9290],  # NE: sea (clip)
        [121.6960, 38.9190],  # E: 东海公园 side (MEM)
        [121.6850, 38.9190],  # S: north of 华乐广场 (CP 121.6772,38.9140), east of 恒力大厦 (BLD)
        [121.6700, 38.9205],  # S: north of 春海街 (CP 121.6712,38.9178)
        [121.6600, 38.9215],  # S: north of 寺儿沟 (CP 121.6652,38.9183) / 二七广场 (CP)
    ]],
    placement=("the reclaimed east-harbour land of 中山区 north of tram 201 (control points 二七广场, 寺儿沟, "
               "春海街, 华乐广场 mark its southern side) around buildings.js positions of 国际会议中心, "
               "绿地中心, 恒大东港, 磐海, 恒力大厦; sea side = 中山区 coastline (clip)"),
    accuracy_m=400, confidence="medium",
))

FEATURES.append(dict(
    id="dl18-suoyuwan", name_zh="梭鱼湾商务区", clip=["甘井子区"],
    rings=[[
        [121.6000, 38.9440],  # SW: 西岗/沙河口 line (clip keeps 甘井子区 only)
        [121.6450, 38.9440],  # SE: beyond the 甘井子区 line (clip)
        [121.6450, 38.9640],  # NE: 大连湾 (sea, clip)
        [121.6000, 38.9640],  # NW: 东北快速路/梭鱼湾 west (MEM)
    ]],
    placement=("coarse box around control point 梭鱼湾 and the 梭鱼湾足球场 (buildings.js), on the 大连湾 "
               "shore of 甘井子区 north of 西岗区; sea and other districts removed by clipping"),
    accuracy_m=800, confidence="low",
))

FEATURES.append(dict(
    id="dl18-new-airport-business-district", name_zh="新机场商务区", clip=["甘井子区"],
    # The reference 甘井子区 outline already contains the reclaimed 金州湾 airport island
    # (bounds ~121.55–121.66°E, 39.065–39.155°N), joined to the shore at ~121.63°E 39.07°N.
    # The business district is drawn on the shore facing it; the box stops at 39.064°N so the
    # island itself (the airport, not the business district) stays out.
    rings=[[
        [121.5600, 39.0200],  # SW: 革镇堡 hinterland (MEM)
        [121.6700, 39.0200],  # SE: 大连湾街道 west (MEM)
        [121.6700, 39.0640],  # NE: shore east of the island's landfall (clip)
        [121.5600, 39.0640],  # NW: 金州湾 (sea, clip)
    ]],
    placement=("very coarse: the 甘井子区 shore of 金州湾 facing the airport island that the reference "
               "甘井子区 outline draws (landfall ~121.63°E 39.07°N), from memory, the island itself left "
               "out; clipped to 甘井子区 land"),
    accuracy_m=4000, confidence="low",
))

FEATURES.append(dict(
    id="dl18-free-trade-zone", name_zh="自由贸易试验区大连片区", clip=["金州区"],
    rings=[[
        [121.8300, 38.9900],  # SW: sea south of 大孤山半岛 (clip)
        [121.9900, 38.9900],  # SE: sea (clip)
        [122.0400, 39.1600],  # NE: 保税区 north-east (MEM)
        [121.9000, 39.1600],  # NW: 开发区 north (MEM)
        [121.8300, 39.0800],  # W: 开发区 / 大孤山 west (MEM)
    ]],
    placement=("very coarse envelope, from memory, of the scattered sub-areas (大连保税区, 出口加工区, 大窑湾"
               "保税港区, 保税物流园区) in the east of 金普新区 around 大孤山半岛 / 大窑湾; the real area is "
               "~60 km² in several pieces, this envelope is much larger"),
    accuracy_m=6000, confidence="low",
))

FEATURES.append(dict(
    id="dl18-changxingdao", name_zh="长兴岛", clip=["瓦房店市"],
    # The reference 瓦房店市 outline is generalised here and draws 长兴岛 joined to the mainland
    # (no channel). The polygon below therefore cuts the island off along the 长兴岛 channel as
    # remembered: from where the outline's north coast turns north (~121.43, 39.62) south-east to
    # 复州湾 (~121.56, 39.53).
    rings=[[
        [121.1500, 39.4800],  # SW: sea west of the island (clip); south edge cuts off the land
                              #     south of ~39.48 (西中岛 / mainland pieces in the outline)
        [121.5500, 39.4800],  # SE: 复州湾 (sea, clip)
        [121.5600, 39.5300],  # E: channel mouth on 复州湾 (MEM)
        [121.4350, 39.6250],  # NE: where the outline's north coast of the island meets the mainland (MEM)
        [121.4000, 39.7000],  # N: sea (clip)
        [121.1500, 39.7000],  # NW: sea (clip)
    ]],
    placement=("the western part of the 瓦房店市 outline, which draws 长兴岛 joined to the mainland: "
               "cut off along the 长兴岛 channel as remembered (from ~121.43°E 39.62°N south-east to "
               "复州湾 ~121.56°E 39.53°N) and south of 39.48°N; the outline's coast here is generalised, "
               "and the 长兴岛 economic zone also reaches onto the mainland, which is left out"),
    accuracy_m=3000, confidence="low",
))

FEATURES.append(dict(
    id="dl18-huayuankou", name_zh="花园口经济区", clip=["庄河市"],
    rings=[[
        [122.4800, 39.4300],  # SW: sea (clip)
        [122.7000, 39.4300],  # SE: sea (clip)
        [122.7000, 39.5600],  # NE: inland, 明阳 (MEM)
        [122.4800, 39.5600],  # NW: 普兰店区 line (clip)
    ]],
    placement=("very coarse: the south-west coast of 庄河市 by the 普兰店区 line, from memory of 花园口's "
               "position (no anchor); clipped to the 庄河市 outline"),
    accuracy_m=6000, confidence="low",
))

FEATURES.append(dict(
    id="dl18-lushun-development-zone", name_zh="旅顺经济开发区", clip=["旅顺口区"],
    rings=[[
        [121.2700, 38.8300],  # SW: 水师营 south (MEM)
        [121.3600, 38.8300],  # SE: (MEM)
        [121.3600, 38.8900],  # NE: 三涧堡 north (MEM)
        [121.2700, 38.8900],  # NW: (MEM)
    ]],
    placement=("very coarse box, from memory, over the 水师营/三涧堡 area north-east of 旅顺 town along "
               "旅顺北路; no anchor; clipped to 旅顺口区"),
    accuracy_m=6000, confidence="low",
))

OMITTED = {
    "dl18-open-pilot-areas": "开放先导区 is a label for a group of areas (东港, 梭鱼湾, 凌水湾, 新机场商务区 …) "
                             "drawn separately, not an area of its own",
    "dl18-innovation-demonstration-zone": "国家自主创新示范区 covers the whole city (大连国家自主创新示范区), "
                                          "a policy designation with no own outline",
    "dl18-cross-border-ecommerce-pilot-zone": "跨境电商综合试验区 is a city-wide policy pilot, not an area",
    "dl18-open-economy-pilot-zone": "开放型经济新体制综合试点试验区 is a city-wide policy pilot, not an area",
    "dl18-cruise-tourism-pilot-zone": "中国邮轮旅游发展实验区 is a city-wide designation (cruise terminal is a "
                                      "point, not this zone's outline)",
}


# ---- build ----------------------------------------------------------------------------------
def load_outlines() -> dict:
    d = json.loads((REF / "dalian_districts.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["name_zh"]: shape(f["geometry"]) for f in d["features"]}


def anchor(ref: str):
    kind, name = ref.split(":", 1)
    return {"CP": CP, "POI": POI, "BLD": BLD}[kind][name]


def round_geom(g, nd=6):
    def rr(ring):
        return [(round(x, nd), round(y, nd)) for x, y in ring.coords]
    polys = []
    for p in (g.geoms if hasattr(g, "geoms") else [g]):
        p = Polygon(rr(p.exterior), [rr(i) for i in p.interiors])
        if not p.is_valid:
            p = p.buffer(0)
        polys.extend(p.geoms if hasattr(p, "geoms") else [p])
    return MultiPolygon([orient(p, 1.0) for p in polys if not p.is_empty])


def build_one(f: dict, outlines: dict):
    city = outlines["大连市"]
    if f.get("from_outline"):
        g = outlines[f["from_outline"]]
    else:
        g = unary_union([Polygon(r) for r in f["rings"]])
    if f["clip"]:
        g = g.intersection(unary_union([outlines[n] for n in f["clip"]]))
    g = g.intersection(city)
    g = g.buffer(0)
    # drop slivers (< 2000 m²-ish) left by clipping
    parts = [p for p in (g.geoms if hasattr(g, "geoms") else [g])
             if p.geom_type == "Polygon" and p.area > 2e-7]
    return round_geom(MultiPolygon(parts))


def build():
    outlines = load_outlines()
    feats = []
    for f in FEATURES:
        try:
            geom = build_one(f, outlines)
        except Exception as e:  # keep going: write what we have
            print("FAILED", f["id"], e)
            continue
        for ref in MUST_CONTAIN.get(f["id"], []):
            inside = geom.contains(Point(anchor(ref)))
            print(f"  {f['id']}: contains {ref}: {inside}")
        key = "zone"
        feats.append({
            "type": "Feature",
            "properties": {key: f["id"], "name_zh": f["name_zh"], "placement": f["placement"],
                           "accuracy_m": int(f["accuracy_m"]), "confidence": f["confidence"]},
            "geometry": mapping(geom),
        })
        print(f"{f['id']}: valid={geom.is_valid} parts={len(geom.geoms)}")
    # reviewed corrections made in a GIS (zonemap import) replace the generated feature: ../overrides/
    fc = {"type": "FeatureCollection", "features": apply_overrides(feats, override_path(OUT.parent, "zones"), "zone")}
    txt = json.dumps(fc, ensure_ascii=False, indent=1)
    OUT.write_text(txt + "\n", encoding="utf-8")
    print("wrote", OUT, len(feats), "features")
    return fc, outlines


if __name__ == "__main__":
    build()
