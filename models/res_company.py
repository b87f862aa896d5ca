from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

OFFICER = "customer_relationship.group_privacy_officer"
PRIVACY_REGIMES = [("gdpr", "GDPR"), ("kvkk", "KVKK")]


class ResCompany(models.Model):
    _inherit = "res.company"

    gdpr_regime = fields.Selection(
        PRIVACY_REGIMES, string="Data Protection Law", compute="_compute_gdpr_regime", store=True,
        readonly=False, precompute=True, required=True,
        help="The law the company's privacy requests answer to: the EU's GDPR (one month, extendable by two) "
             "or Türkiye's KVKK, Law No. 6698 (thirty days, free of charge, no extension). A request keeps "
             "the law of its company at the time it was registered.")
    gdpr_officer_id = fields.Many2one(
        "res.users", string="Default Privacy Officer", ondelete="set null",
        domain=lambda self: [("groups_id", "in", self.env.ref(OFFICER).id), ("share", "=", False)],
        help="New privacy requests of the company get this officer, who also gets the deadline reminders of "
             "requests without an officer.")

    @api.depends("country_id")
    def _compute_gdpr_regime(self):
        # Stored and computed so that installing the addon sets it for existing companies too. Once set, it is
        # the officer's choice: a later change of country does not switch the law of the company's requests.
        for company in self:
            company.gdpr_regime = company.gdpr_regime or ("kvkk" if company.country_id.code == "TR" else "gdpr")

    @api.constrains("gdpr_officer_id")
    def _check_gdpr_officer(self):
        for company in self.filtered("gdpr_officer_id"):
            if not company.gdpr_officer_id.has_group(OFFICER):
                raise ValidationError(_(
                    "%(user)s is not a Privacy Officer: choose a user of the Privacy Officer group as the default "
                    "officer of %(company)s.", user=company.gdpr_officer_id.name, company=company.name))
            if company not in company.gdpr_officer_id.company_ids:
                raise ValidationError(_(
                    "%(user)s does not work for %(company)s: give the user access to the company first, or choose "
                    "another officer.", user=company.gdpr_officer_id.name, company=company.name))
