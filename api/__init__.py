"""HTTP entrypoint: FastAPI with the strawberry GraphQL schema, one folder per context
(types, inputs, queries, mutations); imports application, projections, contracts and settings."""
