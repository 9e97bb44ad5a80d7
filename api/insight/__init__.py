"""Insight for dashboards: pace and health of goals, cycle health, progress over time, the cycle report page."""
