from odoo import api
from odoo import fields
from odoo import models


class RelationshipStageHistory(models.Model):
    _name = "relationship.stage.history"
    _description = "Relationship Stage History"
    _order = "date_enter desc, id desc"
    _rec_name = "stage_id"

    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade")
    pipeline_id = fields.Many2one("relationship.pipeline", required=True, index=True, ondelete="cascade")
    stage_id = fields.Many2one("relationship.stage", required=True, index=True, ondelete="cascade")
    stage_type = fields.Selection(related="stage_id.stage_type", store=True)
    previous_stage_id = fields.Many2one("relationship.stage", ondelete="set null")
    date_enter = fields.Datetime(required=True, index=True, default=fields.Datetime.now)
    date_leave = fields.Datetime(index=True)
    duration_days = fields.Float(compute="_compute_duration_days", store=True, aggregator="avg")
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    company_id = fields.Many2one(related="pipeline_id.company_id", store=True, index=True)

    @api.depends("date_enter", "date_leave")
    def _compute_duration_days(self):
        for row in self:
            end = row.date_leave or fields.Datetime.now()
            row.duration_days = round((end - row.date_enter).total_seconds() / 86400.0, 2) if row.date_enter else 0.0
