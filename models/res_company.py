from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

OFFICER = "customer_relationship.group_privacy_officer"


class ResCompany(models.Model):
    _inherit = "res.company"

    gdpr_officer_id = fields.Many2one(
        "res.users", string="Default Privacy Officer", ondelete="set null",
        domain=lambda self: [("groups_id", "in", self.env.ref(OFFICER).id), ("share", "=", False)],
        help="New privacy requests of the company get this officer, who also gets the deadline reminders of "
             "requests without an officer.")

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
