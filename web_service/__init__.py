"""HTTP search over the centre's content (GET /api/knowledge/search)."""
