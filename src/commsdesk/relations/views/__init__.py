"""Media relations pages, one module per area: journalists and lists, pitches, inquiries,
spokespeople with trainings and speaking opportunities. `overview` is the area's front page."""
