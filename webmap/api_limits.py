"""Limits shared by the API and the pages."""

MAX_LIMIT = 10000  # the largest page of /api/projects
# A page of at most this many features is bounded work: on PostgreSQL its route runs on the event
# loop rather than in a worker thread (webmap.deps.run_with_connection).
BOUNDED_LIMIT = 100
