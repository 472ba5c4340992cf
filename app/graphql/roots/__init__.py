"""The root `Query` and `Mutation` fields, one module per concern, merged in `app.graphql.schema`."""
