"""Routers of the zonemap app."""
