from odoo import fields
from odoo import models


class ResPartner(models.Model):
    """Where a partner comes from, with Odoo's own UTM sources (the ones of mailings, leads and links)."""

    _inherit = "res.partner"

    # indexed: the funnel and the goals filter and group partners by it
    source_id = fields.Many2one(
        "utm.source", index=True, ondelete="set null", tracking=True,
        help="Where this partner came from (a campaign, a search engine, a referral...). The funnel analysis "
             "splits by it, and a goal's partner filter can count the customers won from one source.")
