"""The ingestion pipeline: pure Python stages over frozen records, no Django imports.

`pipeline.pipeline` reads as the table of contents; each other module is one stage.
"""
