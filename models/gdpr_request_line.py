from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

MATCHES = [
    ("linked", "Linked to the person"),
    ("email", "Same e-mail"),
    ("name", "Same name only"),
    ("email_part", "E-mail contains the address"),
]
EXACT_MATCHES = ("linked", "email")
ACTIONS = [
    ("export", "Export"),
    ("anonymise", "Anonymise"),
    ("delete", "Delete"),
    ("keep", "Keep (legal hold)"),
]
# What the officer decides on a line; everything else is the finder's.
OFFICER_FIELDS = {"included", "action", "reason"}


class GdprRequestLine(models.Model):
    """One record of the data subject and what the request does with it, reviewed by the officer.

    Like privacy_lookup's wizard lines, but kept with the request: exact matches are included, looser
    ones (same name, e-mail substring) are shown and only acted on when the officer includes them.
    """

    _name = "gdpr.request.line"
    _description = "GDPR Request Plan Line"
    _order = "request_id, is_exact desc, res_model, res_id"
    _rec_name = "res_name"

    request_id = fields.Many2one("gdpr.request", required=True, ondelete="cascade", index=True, readonly=True)
    request_type = fields.Selection(related="request_id.request_type")
    res_model = fields.Char(string="Model", required=True, readonly=True)
    model_description = fields.Char(string="Document Type", readonly=True)
    res_id = fields.Integer(string="Record ID", required=True, readonly=True)
    res_name = fields.Char(string="Record", readonly=True)
    match = fields.Selection(MATCHES, required=True, readonly=True)
    is_exact = fields.Boolean(compute="_compute_is_exact", store=True)
    included = fields.Boolean(help="Only included lines are exported or erased.")
    action = fields.Selection(ACTIONS, required=True)
    reason = fields.Char(help="Why this action; required to keep a record under a legal hold.")

    @api.depends("match")
    def _compute_is_exact(self):
        for line in self:
            line.is_exact = line.match in EXACT_MATCHES

    @api.constrains("action", "reason", "request_id")
    def _check_action(self):
        for line in self:
            if line.action == "keep" and not (line.reason or "").strip():
                raise ValidationError(_("Write the legal reason for keeping %(record)s.", record=line.res_name))
            export = line.request_id.request_type in ("access", "portability")
            if export != (line.action == "export"):
                raise ValidationError(_(
                    "An access or portability request exports its lines; an erasure anonymises, deletes or keeps "
                    "them under a legal hold (line %(record)s).", record=line.res_name))

    def write(self, vals):
        if not self.env.su:
            if set(vals) - OFFICER_FIELDS:
                raise AccessError(_("Only whether a line is included, its action and its reason can be changed."))
            if self.request_id.filtered(lambda r: r.state in ("done", "rejected")):
                raise UserError(_("The request is closed: its plan can no longer change."))
        return super().write(vals)
