from odoo import api
from odoo import fields
from odoo import models

PRIVACY_REGIMES = [("gdpr", "GDPR"), ("kvkk", "KVKK")]


class ResCompany(models.Model):
    _inherit = "res.company"

    gdpr_regime = fields.Selection(
        PRIVACY_REGIMES, string="Data Protection Law", compute="_compute_gdpr_regime", store=True,
        readonly=False, precompute=True, required=True,
        help="The law the company's privacy requests answer to: the EU's GDPR (one month, extendable by two) "
             "or Türkiye's KVKK, Law No. 6698 (thirty days, free of charge, no extension). A request keeps "
             "the law of its company at the time it was registered.")

    @api.depends("country_id")
    def _compute_gdpr_regime(self):
        # Stored and computed so that installing the addon sets it for existing companies too. Once set, it is
        # the officer's choice: a later change of country does not switch the law of the company's requests.
        for company in self:
            company.gdpr_regime = company.gdpr_regime or ("kvkk" if company.country_id.code == "TR" else "gdpr")
