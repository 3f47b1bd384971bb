"""Alerts and the morning digest: queue what is owed (queue), word it for each channel
(channels), send it with leases and retries (send), and gather the morning digest (digest).

Matching, spikes and stories are decided elsewhere; this package only announces them.
"""
