from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.tools.misc import formatLang


class ResPartnerCard(models.Model):
    """What the top of the customer card, the contacts list and the kanban show about the relationship.

    Nothing here is stored: each figure is derived, in memory, from stored fields the list or the form
    reads anyway (the last contact date, the lifecycle memberships), so it costs no query per partner.
    """

    _inherit = "res.partner"

    relationship_days_in_stage = fields.Integer(
        compute="_compute_relationship_days_in_stage", string="Days in Lifecycle Stage",
        help="Whole days since the partner entered its current lifecycle stage.")
    # derived from last_interaction_date: readable by those who may read it
    relationship_last_contact = fields.Char(
        compute="_compute_relationship_last_contact", string="Last Contacted",
        groups="customer_relationship.group_relationship_user",
        help="How long ago the last interaction with this partner (or, for a company, with any of its contacts) "
             "was logged, or “Never”.")

    @api.depends("relationship_stage_id", "relationship_membership_ids.date_stage_entered")
    def _compute_relationship_days_in_stage(self):
        # the memberships of the whole batch are read at once (one2many prefetch)
        for partner in self:
            current = partner.relationship_membership_ids.filtered(
                lambda m, stage=partner.relationship_stage_id: m.active and m.is_lifecycle and m.stage_id == stage)
            partner.relationship_days_in_stage = current[:1].days_in_stage if partner.relationship_stage_id else 0

    @api.depends("last_interaction_date")
    @api.depends_context("lang", "uid", "allowed_company_ids")
    def _compute_relationship_last_contact(self):
        for partner in self:
            partner.relationship_last_contact = partner._relationship_last_contact_text()

    def _relationship_last_contact_text(self):
        """"Never", "Less than a day ago", "1 day ago" or "12 days ago": the days of the filters (24-hour days)."""
        if not self.last_interaction_date:
            return _("Never")
        days = self.days_since_last_interaction
        if days <= 0:  # an interaction may be dated up to a day ahead
            return _("Less than a day ago")
        if days == 1:
            return _("1 day ago")
        return _("%(days)s days ago", days=formatLang(self.env, days, digits=0))
