"""The migration history builds exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from hotline.core.extensions import db


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        dialect = connection.dialect.name

        def ours(obj, name, type_, reflected, compare_to):  # noqa: ANN001, ANN202, ARG001
            # An index the models create on another database only (ddl_if) is not missing here.
            only = getattr(obj, "_ddl_if", None)
            return only is None or only.dialect in (None, dialect)

        opts = {"compare_type": True, "include_object": ours}
        context = MigrationContext.configure(connection, opts=opts)
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ; run `flask db migrate`: {diff}"


def test_single_head(app):
    from alembic.script import ScriptDirectory

    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, heads
