from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo import tools

from ..models.gdpr_request import CHANNELS
from ..models.gdpr_request import OFFICER
from ..models.gdpr_request import REQUEST_TYPES


class GdprRequestIntake(models.TransientModel):
    """Any internal user registers a request; from then on only Privacy Officers read it."""

    _name = "gdpr.request.intake"
    _description = "Register a GDPR Request"

    request_type = fields.Selection(REQUEST_TYPES, required=True, default="access")
    channel = fields.Selection(CHANNELS, required=True, default="email")
    partner_id = fields.Many2one("res.partner", string="Data Subject", default=lambda self: self._default_partner())
    # Proposed from the data subject; the person who asks may be someone else (a parent, a lawyer): editable.
    requester_name = fields.Char(required=True, compute="_compute_requester", store=True, readonly=False,
                                 precompute=True)
    requester_email = fields.Char(compute="_compute_requester", store=True, readonly=False, precompute=True)
    date_received = fields.Date(required=True, default=fields.Date.context_today)

    @api.model
    def _default_partner(self):
        """The contact in context: the Action menu of a contact, or any screen opened from one."""
        context = self.env.context
        if context.get("active_model") == "res.partner" and isinstance(context.get("active_id"), int):
            return self.env["res.partner"].browse(context["active_id"]).exists()
        return self.env["res.partner"]

    @api.depends("partner_id")
    def _compute_requester(self):
        for wizard in self.filtered("partner_id"):
            wizard.requester_name = wizard.partner_id.name
            addresses = tools.email_split(wizard.partner_id.email or "")
            wizard.requester_email = addresses[0] if addresses else False

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
        return self._registered_action(request)

    def _registered_action(self, request):
        """Show the new reference: officers go on with the request, others see its reference, type and status."""
        if self.env.user.has_group(OFFICER):
            return {"type": "ir.actions.act_window", "res_model": "gdpr.request", "res_id": request.id,
                    "view_mode": "form", "views": [(False, "form")], "target": "current"}
        view = self.env.ref("customer_relationship.gdpr_request_status_view_form_registered")
        return {
            "type": "ir.actions.act_window", "name": _("Request %(name)s Registered", name=request.name),
            "res_model": "gdpr.request.status", "res_id": request.id, "view_mode": "form",
            "views": [(view.id, "form")], "target": "new",
        }
