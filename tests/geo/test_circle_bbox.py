"""geo.db.circle_bbox: the index prefilter of ``near`` never drops a point within the radius."""

import numpy as np
import pytest
from pyproj import Geod

from geo.db import circle_bbox

GEOD = Geod(ellps="WGS84")


@pytest.mark.parametrize("lon, lat, metres", [
    (121.6185, 38.9155, 800), (121.6, 38.9, 50_000), (0.0, 0.0, 1_000), (10.0, -60.0, 20_000), (-70.0, 75.0, 5_000),
])
def test_box_holds_the_geodesic_circle(lon, lat, metres):
    box = circle_bbox(lon, lat, metres)
    assert box is not None
    az = np.linspace(0, 360, 721)
    # Points on the circle (pyproj's geodesic, independent of the box's arithmetic) lie inside.
    x, y, _ = GEOD.fwd(np.full_like(az, lon), np.full_like(az, lat), az, np.full_like(az, metres))
    assert (x >= box[0]).all() and (x <= box[2]).all() and (y >= box[1]).all() and (y <= box[3]).all()
    # ... and the box is not wastefully large (at most 2 % beyond the circle each way).
    assert (box[2] - box[0]) <= (x.max() - x.min()) * 1.02 and (box[3] - box[1]) <= (y.max() - y.min()) * 1.02


def test_no_box_at_a_pole_or_across_the_antimeridian():
    assert circle_bbox(0.0, 89.95, 1_000) is None
    assert circle_bbox(179.999, 10.0, 1_000) is None
    assert circle_bbox(-179.999, 10.0, 1_000) is None
