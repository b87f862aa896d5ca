"""Issue 14: a partner's interaction figures are kept per company (relationship.partner.stat).

Runs after post-access.py, which gave captured e-mails their company. The stored, all-companies
columns of res.partner go: the figures are now summed over the companies the user acts for.
"""
from odoo import SUPERUSER_ID
from odoo import api
from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Stat = env["relationship.partner.stat"]
    # one statement: every (partner, company) from the interactions, contacts' rolled up to their company
    cr.execute(Stat._upsert_sql(SQL("(%s)", Stat._counts_sql())))
    cr.execute("ALTER TABLE res_partner DROP COLUMN IF EXISTS interaction_count, "
               "DROP COLUMN IF EXISTS last_interaction_date")
