"""Plans, their spatial layouts and zones, streets and district outlines."""
