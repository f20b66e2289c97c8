"""Limits shared by the API and the pages."""

MAX_LIMIT = 10000  # the largest page of /api/projects
