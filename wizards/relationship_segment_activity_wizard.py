from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

from ..models.res_partner_rfm import SEGMENTS


class RelationshipSegmentActivityWizard(models.TransientModel):
    """Schedule one activity for every partner of a segment (or of the selected contacts in it)."""

    _name = "relationship.segment.activity.wizard"
    _description = "Schedule Activities for a Customer Segment"

    segment = fields.Selection(SEGMENTS, required=True, default=lambda self: self._default_segment())
    restrict_to_selection = fields.Boolean(
        string="Only the Selected Contacts", default=lambda self: bool(self._selected_ids()),
        help="Only the contacts selected in the list, among those in the segment.")
    activity_type_id = fields.Many2one("mail.activity.type", string="Activity", required=True,
                                       domain="[('res_model', 'in', (False, 'res.partner'))]")
    summary = fields.Char()
    date_deadline = fields.Date(string="Due Date", required=True, default=fields.Date.context_today)
    user_id = fields.Many2one("res.users", string="Assigned To", domain="[('share', '=', False)]",
                              help="Empty: each partner's salesperson, or you when it has none.")
    skip_open = fields.Boolean(string="Skip Partners With This Activity Open", default=True)
    partner_count = fields.Integer(compute="_compute_partner_count", string="Partners")

    def _default_segment(self):
        segments = set(self.env["res.partner"].browse(self._selected_ids()).mapped("rfm_segment"))
        return segments.pop() if len(segments) == 1 else False

    def _selected_ids(self):
        context = self.env.context
        return context.get("active_ids") or [] if context.get("active_model") == "res.partner" else []

    @api.depends("segment", "restrict_to_selection", "activity_type_id", "skip_open")
    def _compute_partner_count(self):
        for wizard in self:
            wizard.partner_count = len(wizard._target_partners()) if wizard.segment else 0

    def _target_partners(self):
        """The partners the user can see in the segment (record rules apply), minus those already served."""
        domain = [("rfm_segment", "=", self.segment)]
        if self.restrict_to_selection:
            domain.append(("id", "in", self._selected_ids()))
        partners = self.env["res.partner"].search(domain)
        if self.skip_open and self.activity_type_id and partners:
            served = self.env["mail.activity"].search([
                ("res_model", "=", "res.partner"), ("res_id", "in", partners.ids),
                ("activity_type_id", "=", self.activity_type_id.id)]).mapped("res_id")
            partners = partners.filtered(lambda partner: partner.id not in set(served))
        return partners

    def action_schedule(self):
        self.ensure_one()
        partners = self._target_partners()
        if not partners:
            raise UserError(_("No contact of the segment “%(segment)s” needs this activity: nothing was scheduled.",
                              segment=dict(self._fields["segment"]._description_selection(self.env))[self.segment]))
        model_id = self.env["ir.model"]._get_id("res.partner")
        # one create for all partners, with the user's own rights on the contacts
        self.env["mail.activity"].create([{
            "res_model_id": model_id,
            "res_id": partner.id,
            "activity_type_id": self.activity_type_id.id,
            "summary": self.summary or self.activity_type_id.summary or False,
            "date_deadline": self.date_deadline,
            "user_id": (self.user_id or partner.user_id or self.env.user).id,
        } for partner in partners])
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("%(count)s activities scheduled.", count=len(partners)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
