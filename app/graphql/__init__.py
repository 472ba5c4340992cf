"""The Strawberry schema: one module per GraphQL type, roots combined here."""
