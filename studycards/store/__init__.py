"""The collection: one SQLite file. Only this package knows SQL, SQLModel or SQLite."""
