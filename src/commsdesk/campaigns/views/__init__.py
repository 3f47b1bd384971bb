"""Campaign pages, one module per area: campaigns and their setup, reports and their outputs."""
