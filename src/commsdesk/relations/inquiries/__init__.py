"""Inbound press inquiries: logging them (form, .eml, press mailbox), the workflow from new to
answered, the board, reminders before the deadline and the time-to-response figures.

Views in `relations.views.inquiries` stay thin and call these modules.
"""
