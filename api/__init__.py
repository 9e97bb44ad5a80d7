"""HTTP entrypoint: FastAPI with the strawberry GraphQL schema; imports application, projections and settings."""
