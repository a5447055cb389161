"""Service directory: HSDS tables, seed loader, place resolution and search.

Public entry points: `knowledge.db.Database`, `knowledge.places.resolve_place`,
`knowledge.loader.load_seed`, `knowledge.search.search_services` and
`knowledge.search.get_service`. See `knowledge/README.md`.
"""
