// The legend of one map: statuses, then each shown layout with its own zone colours (names, not
// ids), the zones it cannot draw with the reason, and the choropleth's classes when shading.

import {esc, nm, t, vocab} from "./i18n.js";

export function legendHtml(app, {layoutIds, zoneLayers, faded, heading}) {
  const cfg = app.config, data = app.data;
  const parts = [];
  if (heading) parts.push(`<div class="zm-legend-heading">${esc(heading)}</div>`);
  parts.push(`<div class="zm-legend-title">${esc(t("status"))}</div>`);
  for (const [s, v] of Object.entries(cfg.vocab.status)) {
    parts.push(`<div class="zm-legend-row"><span class="zm-dot" style="background:${v.colour}"></span>${esc(vocab(cfg, "status", s))}</div>`);
  }
  if (faded) parts.push(`<div class="zm-legend-row"><span class="zm-dot zm-dot-faded"></span>${esc(t("not_yet"))}</div>`);
  for (const id of layoutIds) {
    const layout = cfg.layouts.find((l) => l.id === id);
    if (!layout) continue;
    const plan = cfg.plans.find((p) => p.id === layout.plan);
    parts.push(`<div class="zm-legend-title" data-layout="${esc(id)}">${esc(nm(layout))}<br><small>${esc(nm(plan))}</small></div>`);
    const zones = data.zones.filter((z) => z.properties.layout === id);
    if (!zoneLayers.cls) {
      for (const z of zones.filter((z) => z.geometry)) {
        parts.push(`<div class="zm-legend-row"><span class="zm-swatch" style="background:${zoneLayers.colours.get(z.id)}"></span>${esc(nm(z.properties))}</div>`);
      }
    }
    if (!zones.some((z) => z.geometry)) parts.push(`<div class="zm-legend-note zm-no-zones">${esc(t("no_drawn_zones"))}</div>`);
    if (!zones.length) parts.push(`<div class="zm-legend-note">${esc(t("no_members"))}</div>`);
    for (const z of zones.filter((z) => !z.geometry)) {
      parts.push(`<div class="zm-legend-row zm-unmapped"><span class="zm-swatch zm-swatch-none"></span>${esc(nm(z.properties))}`
        + ` <small>(${esc(t("unmapped"))}: ${esc(z.properties.unmapped_reason || "—")})</small></div>`);
    }
  }
  if (zoneLayers.cls) {
    const metric = zoneLayers.metric;
    const what = metric === "density" ? t("per_km2") : metric === "all" ? t("metric_all") : vocab(cfg, "status", metric);
    parts.push(`<div class="zm-legend-title">${esc(t("choropleth"))}: ${esc(what)}</div>`);
    for (const c of zoneLayers.cls) {
      // Counts are whole numbers: the class (from, to] holds from + 1 … to ("1", "2 – 3").
      const range = c.zero ? "0" : metric === "density" ? `${c.from.toFixed(1)} – ${c.to.toFixed(1)}`
        : c.from + 1 === c.to ? String(c.to) : `${c.from + 1} – ${c.to}`;
      parts.push(`<div class="zm-legend-row zm-class"><span class="zm-swatch" style="background:${c.colour};opacity:1"></span>${esc(range)}</div>`);
    }
  }
  parts.push(`<div class="zm-legend-note">${esc(t("data_note"))}</div>`);
  return `<button type="button" class="zm-legend-toggle zm-noprint" aria-expanded="false">${esc(t("legend"))}</button>`
    + `<div class="zm-legend-body">${parts.join("")}</div>`;
}

/** Fill a legend element and wire its phone toggle (collapsed by default on narrow screens). */
export function renderLegend(el, html) {
  // Open at first on wide screens, collapsed to its button on phones; then as the person left it.
  if (!el.dataset.rendered) {
    el.dataset.rendered = "1";
    el.classList.toggle("zm-open", !window.matchMedia("(max-width: 700px)").matches);
  }
  el.innerHTML = html;
  el.hidden = false;
  const button = el.querySelector(".zm-legend-toggle");
  button.setAttribute("aria-expanded", String(el.classList.contains("zm-open")));
  button.addEventListener("click", () => {
    el.classList.toggle("zm-open");
    button.setAttribute("aria-expanded", String(el.classList.contains("zm-open")));
  });
}
