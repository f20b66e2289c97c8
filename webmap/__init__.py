"""The zonemap service: FastAPI app, settings, routes, Folium pages, static assets, command line."""
