"""GraphQL of gamification standing: points, levels, badges, streaks."""
