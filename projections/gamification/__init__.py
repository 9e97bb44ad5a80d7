"""Gamification: facts projected from events, and the rules (points, levels, badges, streaks)
applied to them when read, so a changed rule applies to all of history at once."""
