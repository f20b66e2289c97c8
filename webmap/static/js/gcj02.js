// GCJ-02, the shifted datum of Chinese web maps (高德/Amap, Tencent), and a Leaflet CRS that draws
// WGS84 data on GCJ-02 tiles. Same public formulas as geo/crs.py (Krasovsky 1940 ellipsoid); the
// browser tests compare the two numerically. The data stay WGS84: only the drawing is shifted.

const A = 6378245.0;
const EE = 0.00669342162296594323;

function delta(lon, lat) {
  const x = lon - 105.0, y = lat - 35.0, PI = Math.PI;
  let dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
    + (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0
    + (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0
    + (160.0 * Math.sin(y / 12.0 * PI) + 320 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
  let dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
    + (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0
    + (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0
    + (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
  const rad = lat / 180.0 * PI;
  const magic = 1 - EE * Math.sin(rad) ** 2;
  const sq = Math.sqrt(magic);
  dlat = (dlat * 180.0) / ((A * (1 - EE)) / (magic * sq) * PI);
  dlon = (dlon * 180.0) / (A / sq * Math.cos(rad) * PI);
  return [dlon, dlat];
}

/** WGS84 → GCJ-02, [lon, lat] in degrees. */
export function wgs84ToGcj02(lon, lat) {
  const [dlon, dlat] = delta(lon, lat);
  return [lon + dlon, lat + dlat];
}

/** GCJ-02 → WGS84 by iteration (the exact inverse, well under a metre). */
export function gcj02ToWgs84(lon, lat) {
  let wlon = lon, wlat = lat;
  for (let i = 0; i < 30; i++) {
    const [glon, glat] = wgs84ToGcj02(wlon, wlat);
    const dx = glon - lon, dy = glat - lat;
    wlon -= dx; wlat -= dy;
    if (Math.abs(dx) < 1e-10 && Math.abs(dy) < 1e-10) break;
  }
  return [wlon, wlat];
}

/** Web Mercator over GCJ-02: a WGS84 LatLng is shifted to GCJ-02 before it is projected, so that
 * overlays land where GCJ-02 tiles draw the same place. */
export function gcj02Crs(L) {
  const merc = L.Projection.SphericalMercator;
  const projection = {
    bounds: merc.bounds,
    project(latlng) {
      const [lon, lat] = wgs84ToGcj02(latlng.lng, latlng.lat);
      return merc.project(L.latLng(lat, lon));
    },
    unproject(point) {
      const ll = merc.unproject(point);
      const [lon, lat] = gcj02ToWgs84(ll.lng, ll.lat);
      return L.latLng(lat, lon);
    },
  };
  return L.extend({}, L.CRS.EPSG3857, {code: "GCJ02-3857", projection});
}
