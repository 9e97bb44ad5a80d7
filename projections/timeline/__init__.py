"""The audit timeline: every goal event in order, with its change and the goal after it."""
