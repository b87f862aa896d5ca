"""P18 (issue 18): the partner's lifecycle stage is no longer a column of res_partner. P6 (issue 20): the
open history rows get the date they go stale (the column was created by pre-date-stale.py).

The membership that gave each partner its stage is flagged instead (is_current_lifecycle, ranked as the
dropped column's compute ranked them), so a stage rule moving thousands of partners writes the narrow
membership rows. The column goes with its two indexes; the memberships' partner index goes too (the
unique (partner_id, pipeline_id) index serves every lookup by partner), and so do the history's indexes
that no query reads (pipeline, stage, rule, company: see relationship_stage_history.py).
"""
import logging

from odoo import SUPERUSER_ID
from odoo import api
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["relationship.pipeline.membership"]._refresh_current_lifecycle(
        SQL("(SELECT partner_id FROM relationship_pipeline_membership)"))
    cr.execute("""
        SELECT COUNT(*) FROM res_partner p
          LEFT JOIN relationship_pipeline_membership m ON m.partner_id = p.id AND m.is_current_lifecycle
         WHERE p.relationship_stage_id IS DISTINCT FROM m.stage_id
    """)
    differ = cr.fetchone()[0]
    if differ:  # the same ranking as the column's compute: a difference is a stale column, not a lost stage
        _logger.warning("%s partners had a stored lifecycle stage other than their lifecycle membership's", differ)
    cr.execute("ALTER TABLE res_partner DROP COLUMN IF EXISTS relationship_stage_id")
    cr.execute("""DROP INDEX IF EXISTS relationship_pipeline_membership__partner_id_index,
                  relationship_stage_history__pipeline_id_index, relationship_stage_history__stage_id_index,
                  relationship_stage_history__rule_id_index, relationship_stage_history__company_id_index""")
    # as when a stage's days allowed change: the open rows of every stage, in one statement
    env["relationship.stage.history"]._refresh_date_stale(env["relationship.stage"].search([]))
