"""Reminders are rows with a due time; one job dispatches what is due (DESIGN principle 4)."""
