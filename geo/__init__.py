"""The geographic core of zonemap: coordinate systems, geometry rules, GeoJSON I/O and the
database engine with the few differences between SpatiaLite and PostGIS. Imports nothing of ours."""
