from odoo import fields
from odoo import models


class RelationshipStage(models.Model):
    _name = "relationship.stage"
    _description = "Relationship Stage"
    _order = "pipeline_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    pipeline_id = fields.Many2one("relationship.pipeline", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="pipeline_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(string="Folded in Kanban")
    color = fields.Integer()
    stage_type = fields.Selection(
        [("open", "Open"), ("customer", "Customer"), ("lost", "Lost")],
        required=True, default="open", index=True,
        help="Customer stages define who counts as a customer in the KPIs; lost means churned.",
    )
    sla_days = fields.Integer(
        string="Days Allowed",
        help="Days a partner may stay in this stage before it is stale; 0 means no limit.",
    )
    requirements = fields.Text(translate=True, help="Shown as a tooltip on the kanban column.")

    _sql_constraints = [
        ("sla_days_positive", "CHECK(sla_days >= 0)",
         "The days allowed in a stage cannot be negative: enter 0 for no limit."),
    ]
