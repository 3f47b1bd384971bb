"""commsdesk: a self-hosted communications desk for a nonprofit's comms team.

The `pipeline` package is pure Python (no Django); the other packages are thin Django apps.
"""

__version__ = "0.1.0"
