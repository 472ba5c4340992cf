"""The service edge: settings, the `kg` CLI, FastAPI with Strawberry GraphQL, and the viewer page."""
