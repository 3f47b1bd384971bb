"""Monitoring pages, one module per area: the article archive, sources and their health."""
