"""Pipelines as processes (issue 15): the default pipeline becomes the lifecycle pipeline."""


def migrate(cr, version):
    cr.execute("""
        SELECT 1 FROM information_schema.columns
         WHERE table_name = 'relationship_pipeline' AND column_name = 'is_default'
    """)
    if cr.fetchone():
        cr.execute("ALTER TABLE relationship_pipeline RENAME COLUMN is_default TO is_lifecycle")
