"""GraphQL of the org directory (people, teams) and cycles."""
