from odoo import _
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

LEGAL_BASES = [
    ("consent", "Consent (art. 6(1)(a))"),
    ("contract", "Contract (art. 6(1)(b))"),
    ("legal_obligation", "Legal Obligation (art. 6(1)(c))"),
    ("vital_interests", "Vital Interests (art. 6(1)(d))"),
    ("public_task", "Public Task (art. 6(1)(e))"),
    ("legitimate_interests", "Legitimate Interests (art. 6(1)(f))"),
]


class GdprConsent(models.Model):
    _name = "gdpr.consent"
    _description = "GDPR Consent and Legal Basis"
    _inherit = ["mail.thread"]
    _order = "date_given desc, id desc"
    _rec_name = "purpose"

    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade", tracking=True)
    purpose = fields.Char(required=True, tracking=True, help="What the data is processed for, e.g. newsletter.")
    legal_basis = fields.Selection(LEGAL_BASES, required=True, default="consent", tracking=True)
    state = fields.Selection(
        [("given", "Given"), ("withdrawn", "Withdrawn")], default="given", required=True, tracking=True, index=True)
    date_given = fields.Datetime(required=True, default=fields.Datetime.now)
    date_withdrawn = fields.Datetime(readonly=True, tracking=True)
    source = fields.Char(help="Where the consent was collected: web form, contract, phone call…")
    proof_note = fields.Text(help="How the consent can be proven (form id, recording, signed document…).")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)

    def action_withdraw(self):
        """Withdrawal keeps the record: the history of what was consented to, and when, is itself proof."""
        withdrawn = self.filtered(lambda c: c.state == "withdrawn")
        if withdrawn:
            raise UserError(_("The consent “%(purpose)s” is already withdrawn.", purpose=withdrawn[0].purpose))
        self.write({"state": "withdrawn", "date_withdrawn": fields.Datetime.now()})
        return True
