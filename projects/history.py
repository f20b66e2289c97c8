"""Kept for old imports: the status history now lives in :mod:`projects.timeline`."""

from projects.timeline import in_date_order, plan_date  # noqa: F401
