from odoo import fields
from odoo import models

from ..models.relationship_stage_rule import RULE_KINDS


class RelationshipStageRuleSuggestionLine(models.TransientModel):
    _name = "relationship.stage.rule.suggestion.line"
    _inherit = ["relationship.record.source.mixin"]
    _description = "Suggested Stage Rule"
    _order = "id"

    suggestion_id = fields.Many2one("relationship.stage.rule.suggestion", required=True, ondelete="cascade")
    accept = fields.Boolean(default=True)
    name = fields.Char(required=True)
    kind = fields.Selection(RULE_KINDS, required=True)
    stage_id = fields.Many2one("relationship.stage", required=True)
    from_stage_ids = fields.Many2many("relationship.stage", "relationship_stage_rule_suggestion_from_rel",
                                      "line_id", "stage_id", string="From Stages")
    inactivity_days = fields.Integer(string="Days Without a Record", default=365)

    def _rule_values(self):
        self.ensure_one()
        return {
            "name": self.name, "kind": self.kind, "stage_id": self.stage_id.id, "model_id": self.model_id.id,
            "domain": self.domain, "partner_field_id": self.partner_field_id.id,
            "date_field_id": self.date_field_id.id, "inactivity_days": self.inactivity_days,
            "from_stage_ids": [fields.Command.set(self.from_stage_ids.ids)],
        }
