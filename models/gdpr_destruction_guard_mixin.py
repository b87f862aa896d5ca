from dateutil.relativedelta import relativedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError

# KVKK's Regulation on the Erasure, Destruction or Anonymisation of Personal Data, art. 7(3): the records of
# every destruction are kept at least three years.
KEEP_YEARS = 3


class GdprDestructionGuardMixin(models.AbstractModel):
    """Destruction records and their counts are evidence: written by retention runs only, never changed,
    kept at least three years, even against administrators.

    Shared by gdpr.destruction.record and gdpr.destruction.record.line, so the two cannot drift apart.
    Each model has a stored ``date`` (the run's); it may word its own refusal in _kept_message().
    """

    _name = "gdpr.destruction.guard.mixin"
    _description = "Destruction Record Guards"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(_("Destruction records are written by retention runs only."))
        return super().create(vals_list)

    def write(self, vals):
        # an empty write changes nothing, so it is let through
        if vals:
            raise UserError(_("A destruction record is evidence: it cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_kept(self):
        # at_uninstall=False: uninstalling the addon drops the evidence with its tables, on purpose
        limit = fields.Datetime.now() - relativedelta(years=KEEP_YEARS)
        recent = self.filtered(lambda record: record.date > limit)
        if recent:
            raise UserError(recent._kept_message())

    def _kept_message(self):
        """Why these records (all run less than KEEP_YEARS years ago) cannot be deleted yet."""
        return _("Destruction records are kept at least %(years)s years.", years=KEEP_YEARS)
