"""GraphQL of goals, key results and their alignment tree."""
