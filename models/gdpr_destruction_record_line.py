from dateutil.relativedelta import relativedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError

from .gdpr_destruction_record import KEEP_YEARS


class GdprDestructionRecordLine(models.Model):
    """How many records of one category a run deleted, anonymised or kept."""

    _name = "gdpr.destruction.record.line"
    _description = "Destruction Record Count"
    _order = "record_id, res_model, action"

    record_id = fields.Many2one("gdpr.destruction.record", required=True, readonly=True, ondelete="cascade",
                                index=True)
    res_model = fields.Char(string="Model", required=True, readonly=True)
    model_id = fields.Many2one("ir.model", string="Category", readonly=True, ondelete="set null")
    action = fields.Selection(
        [("delete", "Deleted"), ("anonymise", "Anonymised"), ("keep", "Kept (legal hold)")],
        required=True, readonly=True)
    count = fields.Integer(string="Records", readonly=True, aggregator="sum")
    date = fields.Datetime(related="record_id.date", store=True, string="Run On")
    company_id = fields.Many2one(related="record_id.company_id", store=True, index=True)
    rule_id = fields.Many2one(related="record_id.rule_id", store=True, string="Rule")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(_("Destruction records are written by retention runs only."))
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            raise UserError(_("A destruction record is evidence: it cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_kept(self):
        limit = fields.Datetime.now() - relativedelta(years=KEEP_YEARS)
        if any(line.record_id.date > limit for line in self):
            raise UserError(_("Destruction records are kept at least %(years)s years.", years=KEEP_YEARS))
