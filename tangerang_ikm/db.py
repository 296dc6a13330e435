"""Migration operations that run only on PostgreSQL, so that SQLite still migrates.

PostgreSQL-only features (full-text and trigram indexes, exclusion constraints) go
over portable fields: the models stay the same on both databases, and these
operations add the extras where they exist. They change no migration state, so
makemigrations never tries to recreate them.
"""

from django.db import migrations


class PostgreSQLOnly(migrations.operations.base.Operation):
    """Run the wrapped operations' database side on PostgreSQL only; no state change."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, *operations):
        self.operations = operations

    def deconstruct(self):
        return (self.__class__.__qualname__, self.operations, {})

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        for operation in self.operations:
            operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        for operation in reversed(self.operations):
            operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return "PostgreSQL only: " + "; ".join(op.describe() for op in self.operations)


class PostgreSQLOnlySQL(migrations.RunSQL):
    """RunSQL that does nothing on any database other than PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
