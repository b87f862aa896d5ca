from odoo import fields
from odoo import models


class RelationshipStageRulePreviewLine(models.TransientModel):
    _name = "relationship.stage.rule.preview.line"
    _description = "Stage Rule Preview Line"
    _order = "id"

    preview_id = fields.Many2one("relationship.stage.rule.preview", required=True, ondelete="cascade")
    rule_id = fields.Many2one("relationship.stage.rule", readonly=True)
    from_stage_id = fields.Many2one(
        "relationship.stage", readonly=True,
        help="Empty: partners not yet in the pipeline, whom the rule adds to it.")
    stage_id = fields.Many2one(related="rule_id.stage_id", string="To Stage")
    partner_count = fields.Integer(string="Partners", readonly=True)
