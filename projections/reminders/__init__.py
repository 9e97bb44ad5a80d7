"""Check-in reminders (CheckInBecameDue), one row each, for the subscription and the scheduler."""
