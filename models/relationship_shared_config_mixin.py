from odoo import _
from odoo import api
from odoo import models
from odoo.exceptions import AccessError


class RelationshipSharedConfigMixin(models.AbstractModel):
    """Configuration with no company is shared by every company: only who acts for all of them changes it.

    The company record rules let every company's managers see shared records, and so write them: a
    manager of company B could change the shared KPI's direction, a shared stage's type or the default
    pipeline's company for everyone. Create, write and unlink of such records are refused unless the
    user may act for every company or is an administrator. The addon's own code runs as superuser.
    """

    _name = "relationship.shared.config.mixin"
    _description = "Relationship Shared Configuration"

    def _shared_config_allowed(self):
        if self.env.su or self.env.is_system():
            return True
        # sudo: a user may not read companies they do not belong to, yet must be compared with all of them
        every_company = self.env["res.company"].sudo().search([])
        return not (every_company - self.env.user.company_ids)

    def _check_shared_config(self):
        if self.filtered(lambda record: not record.company_id) and not self._shared_config_allowed():
            raise AccessError(_(
                "%(what)s without a company is shared by every company: only administrators or users who "
                "work for every company may create, change or delete it. Set your company on it instead.",
                what=self._description))

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._check_shared_config()
        return records

    def write(self, vals):
        self._check_shared_config()
        result = super().write(vals)
        if "company_id" in vals or "pipeline_id" in vals:
            self._check_shared_config()
        return result

    def unlink(self):
        self._check_shared_config()
        return super().unlink()
