"""P4 (issue 20): the interaction counters (relationship.partner.stat) no longer record who last wrote them.

Every captured e-mail rewrites its partner's row, and the two foreign keys to res_users were checked each
time. Odoo never drops the columns of a model's log access (create_uid, create_date, write_uid,
write_date) when the model stops having them, so this does; their foreign keys go with them.
"""
import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        ALTER TABLE relationship_partner_stat
              DROP COLUMN IF EXISTS create_uid, DROP COLUMN IF EXISTS create_date,
              DROP COLUMN IF EXISTS write_uid, DROP COLUMN IF EXISTS write_date
    """)
    _logger.info("relationship_partner_stat: the log access columns are dropped")
