// Colours: each layout has a palette of its own (first colours all differ, so two layouts shown
// together never start with the same red), and the classes of the choropleth.

const PALETTES = [
  ["#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628", "#f781bf", "#999999"],             // Set1
  ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"],             // Dark2
  ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"], // Tableau 10
  ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#000000"],             // Okabe–Ito
  ["#7f3c8d", "#11a579", "#3969ac", "#f2b701", "#e73f74", "#80ba5a", "#e68310", "#008695", "#cf1c90", "#f97b72"], // CARTO Bold
  ["#52bca3", "#99c945", "#cc61b0", "#24796c", "#daa51b", "#2f8ac4", "#764e9f", "#ed645a", "#e58606", "#5d69b1"], // CARTO Vivid
  ["#0f8554", "#73af48", "#edad08", "#e17c05", "#cc503e", "#94346e", "#6f4070", "#5f4690", "#1d6996", "#38a6a5"], // CARTO Prism
  ["#88ccee", "#cc6677", "#ddcc77", "#117733", "#332288", "#aa4499", "#44aa99", "#999933", "#882255", "#661100"], // CARTO Safe
];

/** The palette index of each layout: its own by catalog order; when two shown layouts would share
 * one (more layouts than palettes), the later takes the next free palette. */
export function paletteIndex(layoutIds, shown) {
  const own = new Map(layoutIds.map((id, i) => [id, i % PALETTES.length]));
  const used = new Set(), out = new Map();
  for (const id of shown) {
    let i = own.get(id) ?? 0;
    for (let k = 0; k < PALETTES.length && used.has(i); k++) i = (i + 1) % PALETTES.length;
    used.add(i);
    out.set(id, i);
  }
  return out;
}

/** Palette i, continued with the next palettes' colours it lacks (a layout may have more zones
 * than a palette has colours: no colour repeats within a layout). */
export function palette(i) {
  const out = [...PALETTES[i % PALETTES.length]];
  for (let k = 1; k < PALETTES.length && out.length < 24; k++) {
    for (const c of PALETTES[(i + k) % PALETTES.length]) if (!out.includes(c)) out.push(c);
  }
  return out;
}

// Sequential classes (ColorBrewer YlOrRd 5) for the choropleth.
export const CLASS_COLOURS = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"];

/** Classes for the choropleth: a class of its own for zero, then up to five equal steps of a
 * "nice" width over (0, max] (counts are small and many are zero: quantiles would give empty or
 * repeated classes). Each class is (from, to]. */
export function classes(values, integer = true) {
  const zero = {from: 0, to: 0, colour: "#f4f4f4", zero: true};
  const max = Math.max(0, ...values);
  if (max === 0) return [zero];
  const raw = max / CLASS_COLOURS.length;
  const mag = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw - 1e-12);
  if (integer) step = Math.max(1, Math.ceil(step));
  const out = [zero];
  for (let i = 0; i * step < max; i++) out.push({from: i * step, to: (i + 1) * step, colour: CLASS_COLOURS[Math.min(i, CLASS_COLOURS.length - 1)]});
  return out;
}

export function classOf(value, cls) {
  if (!value) return cls[0];
  return cls.find((c) => !c.zero && value > c.from && value <= c.to) || cls[cls.length - 1];
}
