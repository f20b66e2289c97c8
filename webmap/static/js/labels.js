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
  const placed = [];
  for (const tip of tips) {
    const el = tip.getElement?.();
    if (!el || !el.isConnected) continue;
    el.style.visibility = "";
    const r = el.getBoundingClientRect();
    if (!r.width) continue;
    const g = LABEL_GAP_PX;
    if (placed.some((q) => r.left < q.right + g && r.right + g > q.left && r.top < q.bottom + g && r.bottom + g > q.top)) {
      el.style.visibility = "hidden";
    } else placed.push(r);
  }
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
      onEachFeature: (f, layer) => { layer.feature = f; layer.bindTooltip(esc(nm(f.properties)), {sticky: true}); },
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
        layer.setText(streetOn ? `   ${nm(layer.feature.properties)}   ` : null,
                      {repeat: false, center: true, offset: -5, attributes: {class: "zm-street-label"}});
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
