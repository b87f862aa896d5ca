from markupsafe import Markup

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import format_date


class ResPartnerGdprBanner(models.Model):
    """The banner of an erased contact as one translatable sentence.

    Three fragments around two fields read as "Erased under privacy request: X · Erased on: D" once
    translated; one sentence with placeholders lets a translator put the reference and the date where the
    language wants them. It holds the request's reference and the date only, nothing of the person.
    """

    _inherit = "res.partner"

    gdpr_erasure_banner = fields.Html(
        string="Erasure Notice", compute="_compute_gdpr_erasure_banner", sanitize=False,
        help="Shown on a contact anonymised by an erasure request: the request's reference and the date.")

    @api.depends("gdpr_erasure_reference", "gdpr_erased_on")
    @api.depends_context("lang")
    def _compute_gdpr_erasure_banner(self):
        bold = Markup("<strong>%s</strong>")
        for partner in self:
            if not partner.gdpr_erasure_reference:
                partner.gdpr_erasure_banner = False
                continue
            # Markup arguments: the translation is escaped and the reference and the date are bold
            partner.gdpr_erasure_banner = _(
                "Erased under privacy request %(reference)s on %(date)s.",
                reference=bold % partner.gdpr_erasure_reference,
                date=bold % format_date(self.env, partner.gdpr_erased_on))
