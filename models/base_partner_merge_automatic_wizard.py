from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Odoo's contact merge moves interactions (and statistics rows) to the kept contact in SQL."""

    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        companies = src_partners.commercial_partner_id - src_partners
        result = super()._update_foreign_keys(src_partners, dst_partner)
        # the SQL moved the interactions without their stored commercial partner: computed again first
        # sudo: every interaction of the contact moved, whatever companies the merging user works in
        interactions = self.env["relationship.interaction"].sudo().search([("partner_id", "=", dst_partner.id)])
        interactions.invalidate_recordset(["partner_id"])
        self.env.add_to_compute(interactions._fields["commercial_partner_id"], interactions)
        interactions.flush_model(["commercial_partner_id"])
        # the moved memberships: which one gives the kept contact its lifecycle stage
        self.env["relationship.pipeline.membership"]._refresh_current_lifecycle((dst_partner.id,))
        self.env["relationship.partner.stat"]._recount(
            (dst_partner | dst_partner.commercial_partner_id | companies).exists().ids)
        return result
