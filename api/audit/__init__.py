"""The audit read side: timelines, goals as they were, the /audit page and exports."""
