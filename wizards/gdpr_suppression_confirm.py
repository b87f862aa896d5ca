from markupsafe import Markup

from odoo import _
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class GdprSuppressionConfirm(models.TransientModel):
    """A Privacy Officer re-creates a contact whose e-mail is suppressed, stating the lawful basis."""

    _name = "gdpr.suppression.confirm"
    _description = "Confirm a Contact on the Suppression List"

    name = fields.Char(required=True)
    email = fields.Char(required=True)
    reason = fields.Text(
        required=True, help="The new, lawful basis for processing this person's data (e.g. a new contract).")

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group("customer_relationship.group_privacy_officer"):
            raise UserError(_("Only a Privacy Officer may confirm a contact on the suppression list."))
        if not self.env["gdpr.suppression"]._suppressed_emails([self.email]):
            raise UserError(_("%(email)s is not on the suppression list: create the contact normally.",
                              email=self.email))
        partner = self.env["res.partner"].with_context(gdpr_suppression_confirmed=True).create(
            {"name": self.name, "email": self.email})
        partner.message_post(body=Markup("<p>%s</p><p>%s</p>") % (
            _("Created despite the GDPR suppression list, confirmed by %(user)s.", user=self.env.user.name),
            self.reason))
        return {"type": "ir.actions.act_window", "res_model": "res.partner", "res_id": partner.id,
                "view_mode": "form", "target": "current"}
