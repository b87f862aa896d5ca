from odoo import api
from odoo import fields
from odoo import models


class GdprDestructionRecordLine(models.Model):
    """How many records of one category a run deleted, anonymised or kept."""

    _name = "gdpr.destruction.record.line"
    _description = "Destruction Record Count"
    _inherit = ["gdpr.destruction.guard.mixin"]
    _order = "record_id, res_model, action"

    record_id = fields.Many2one("gdpr.destruction.record", required=True, readonly=True, ondelete="cascade",
                                index=True)
    res_model = fields.Char(string="Model", required=True, readonly=True)
    model_id = fields.Many2one("ir.model", string="Category", readonly=True, ondelete="set null")
    action = fields.Selection(
        [("delete", "Deleted"), ("anonymise", "Anonymised"), ("keep", "Kept (legal hold)")],
        required=True, readonly=True)
    count = fields.Integer(string="Records", readonly=True, aggregator="sum")
    # The count split by what happened to the records: a total of destroyed and kept rows means nothing.
    # Stored, for the pivot and the grouped lists; computed once at create, as lines are never written.
    destroyed_count = fields.Integer(string="Records Destroyed", compute="_compute_split_counts", store=True,
                                     aggregator="sum")
    kept_count = fields.Integer(string="Kept (Legal Hold)", compute="_compute_split_counts", store=True,
                                aggregator="sum")
    date = fields.Datetime(related="record_id.date", store=True, string="Run On")
    company_id = fields.Many2one(related="record_id.company_id", store=True, index=True)
    rule_id = fields.Many2one(related="record_id.rule_id", store=True, string="Rule")

    @api.depends("action", "count")
    def _compute_split_counts(self):
        for line in self:
            kept = line.action == "keep"
            line.destroyed_count = 0 if kept else line.count
            line.kept_count = line.count if kept else 0
