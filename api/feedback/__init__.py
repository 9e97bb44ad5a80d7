"""GraphQL of feedback, feedback requests, company values and kudos."""
