#!/usr/bin/env bash
# Print the Python to build the virtualenv with: one whose sqlite3 can load extensions
# (SpatiaLite) if the machine has one; otherwise the first python3, and the Makefile then adds
# pysqlite3-binary. Some builds (e.g. pyenv's default) lack enable_load_extension.
set -u
probe='import sqlite3, sys; sys.exit(0 if hasattr(sqlite3.connect(":memory:"), "enable_load_extension") else 1)'
for py in "${PYTHON:-}" /usr/bin/python3 python3 python3.12 python3.11 python3.10; do
  [ -n "$py" ] || continue
  command -v "$py" >/dev/null 2>&1 || continue
  "$py" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null || continue
  if "$py" -c "$probe" 2>/dev/null; then echo "$py"; exit 0; fi
  fallback=${fallback:-$py}
done
if [ -n "${fallback:-}" ]; then echo "$fallback"; exit 0; fi
echo "no Python >= 3.10 with venv found" >&2
exit 1
