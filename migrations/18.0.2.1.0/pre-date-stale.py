"""P6 (issue 20): the stage history rows learn when they go stale (relationship.stage.history.date_stale).

The column is created here, before the module loads, so that the upgrade does not compute the new stored
field row by row over the whole history; post-lifecycle-flag.py fills it in one statement, after the
migrations of earlier versions have closed their rows.
"""
from odoo.tools.sql import column_exists
from odoo.tools.sql import create_column
from odoo.tools.sql import table_exists


def migrate(cr, version):
    if version and table_exists(cr, "relationship_stage_history") \
            and not column_exists(cr, "relationship_stage_history", "date_stale"):
        create_column(cr, "relationship_stage_history", "date_stale", "timestamp")
