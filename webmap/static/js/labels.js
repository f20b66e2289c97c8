// Bearings without a basemap: district outlines with their names (city zooms), streets with
// their names written along the line (street zooms, Leaflet.TextPath).

import {esc, getLang, nm} from "./i18n.js";

/** A district's name: 西岗区, or in English its pinyin as a name (Xigang). */
function districtName(p) {
  if (getLang() !== "en" || !p.pinyin) return p.name_zh;
  return p.pinyin.split("_")[0].replace(/^./, (c) => c.toUpperCase());
}

export const DISTRICT_LABEL_ZOOMS = [9, 14];
const LABEL_GAP_PX = 2;

/** Hide the labels that would overprint one already shown, in the order given (most wanted
 * first): two names written over each other read as neither. Hover still names a zone. */
export function declutter(tips) {
  // All writes, then all reads, then all writes: one layout, not one per label.
  const els = tips.map((tip) => tip.getElement?.()).filter((el) => el && el.isConnected);
  for (const el of els) el.style.visibility = "";
  const rects = els.map((el) => el.getBoundingClientRect());
  const placed = [], hide = [];
  const g = LABEL_GAP_PX;
  els.forEach((el, i) => {
    const r = rects[i];
    if (!r.width) return;
    if (placed.some((q) => r.left < q.right + g && r.right + g > q.left && r.top < q.bottom + g && r.bottom + g > q.top)) hide.push(el);
    else placed.push(r);
  });
  for (const el of hide) el.style.visibility = "hidden";
}

/** A street's name along its line, centred by SVG itself (startOffset 50 %, text-anchor middle):
 * it then follows the line as the map zooms, where Leaflet.TextPath's own centring rewrote and
 * measured every name at every redraw (a forced layout per street, each zoom and move). */
function writeName(layer, text) {
  layer.setText(null);
  if (!text) return;
  layer.setText(text, {repeat: false, offset: -5, attributes: {class: "zm-street-label", "text-anchor": "middle"}});
  layer._textNode?.firstChild?.setAttribute("startOffset", "50%");
}

/** Leaflet.TextPath's redraw hook for our streets: write the name only when its node is gone. */
function redrawWhenGone() {
  if (this._text && !this._textNode?.isConnected) writeName(this, this._text);
}
export const STREET_LABEL_ZOOM = 15;

export class Bearings {
  constructor(app, map, {streets = true} = {}) {
    this.app = app;
    this.map = map;
    this.districts = L.geoJSON(app.data.districts, {
      interactive: false,
      style: (f) => ({color: "#666", weight: f.properties.name_zh === "西岗区" ? 2 : 1, fillColor: "#f2efe9",
                      fillOpacity: f.properties.level === "district" ? 0.6 : 0, className: "zm-district"}),
    }).addTo(map);
    this.districtLabels = L.layerGroup(app.data.districts.filter((f) => f.properties.level === "district").map((f) => {
      const tip = L.tooltip({permanent: true, direction: "center", className: "zm-label zm-label-district", interactive: false})
        .setLatLng(f.properties.label_at).setContent(esc(districtName(f.properties)));
      tip.district = f.properties;
      return tip;
    }));
    this.streets = L.geoJSON(streets ? app.data.streets.filter((s) => s.geometry) : [], {
      style: {color: "#333", weight: 3, opacity: 0.75, className: "zm-street"},
      onEachFeature: (f, layer) => {
        layer.feature = f;
        layer.bindTooltip(esc(nm(f.properties)), {sticky: true});
        layer._textRedraw = redrawWhenGone;
      },
    }).addTo(map);
    this.streetNames = false;
    map.on("zoomend", () => this.update());
    this.update();
  }

  update() {
    const z = this.map.getZoom();
    const districtOn = z >= DISTRICT_LABEL_ZOOMS[0] && z <= DISTRICT_LABEL_ZOOMS[1];
    if (districtOn !== this.map.hasLayer(this.districtLabels)) {
      if (districtOn) this.districtLabels.addTo(this.map); else this.districtLabels.remove();
    }
    const streetOn = z >= STREET_LABEL_ZOOM;
    if (streetOn !== this.streetNames) {
      this.streetNames = streetOn;
      this.streets.eachLayer((layer) => {
        if (!layer.setText) return;
        writeName(layer, streetOn ? nm(layer.feature.properties) : null);
      });
    }
  }

  /** The district labels shown now. */
  districtTips() {
    return this.map.hasLayer(this.districtLabels) ? this.districtLabels.getLayers() : [];
  }

  /** Rename after a language switch. */
  relabel() {
    this.districtLabels.eachLayer((tip) => tip.setContent(esc(districtName(tip.district))));
    this.streetNames = !this.streetNames;
    this.update();
  }

  highlightStreet(id) {
    let found = null;
    this.streets.eachLayer((layer) => {
      const on = layer.feature?.id === id;
      layer.setStyle({color: on ? "#d00" : "#333", weight: on ? 6 : 3});
      if (on) found = layer;
    });
    return found;
  }
}
