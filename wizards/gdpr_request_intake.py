from odoo import _
from odoo import fields
from odoo import models

from ..models.gdpr_request import CHANNELS
from ..models.gdpr_request import REQUEST_TYPES


class GdprRequestIntake(models.TransientModel):
    """Any internal user registers a request; from then on only Privacy Officers read it."""

    _name = "gdpr.request.intake"
    _description = "Register a GDPR Request"

    request_type = fields.Selection(REQUEST_TYPES, required=True)
    channel = fields.Selection(CHANNELS, required=True, default="email")
    requester_name = fields.Char(required=True)
    requester_email = fields.Char()
    partner_id = fields.Many2one("res.partner", string="Data Subject")
    date_received = fields.Date(required=True, default=fields.Date.context_today)

    def action_register(self):
        self.ensure_one()
        self.check_access("write")  # the wizard's own user, not someone else's wizard
        if self.partner_id:
            self.partner_id.check_access("read")
        vals = {
            "request_type": self.request_type, "channel": self.channel, "requester_name": self.requester_name,
            "requester_email": self.requester_email, "partner_id": self.partner_id.id,
            "date_received": self.date_received, "registered_by_id": self.env.uid,
            "company_id": self.env.company.id,
        }
        # sudo: intake staff register requests they may not read afterwards; the values are the wizard's
        # own fields, checked by gdpr.request._check_input, so no workflow field can be forged here.
        request = self.env["gdpr.request"].sudo().with_context(
            mail_create_nosubscribe=True, mail_create_nolog=True).create(vals)
        return {
            "type": "ir.actions.client", "tag": "display_notification",
            "params": {
                "type": "success", "sticky": True,
                "message": _("Request %(name)s is registered; a Privacy Officer takes it from here.",
                             name=request.name),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
