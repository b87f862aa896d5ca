from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError


class RelationshipStageRulePreview(models.TransientModel):
    """What applying the rules would do now: for each rule, how many partners move from where to its stage.

    The preview runs the rules themselves inside a savepoint and rolls it back, so its counts are exactly
    what "Apply" would write (later rules see the moves of earlier ones). Administrators only.
    """

    _name = "relationship.stage.rule.preview"
    _description = "Stage Rule Preview"

    rule_ids = fields.Many2many("relationship.stage.rule", string="Rules")
    line_ids = fields.One2many("relationship.stage.rule.preview.line", "preview_id", string="Moves")
    partner_count = fields.Integer(compute="_compute_partner_count", string="Partners to Move")

    @api.depends("line_ids.partner_count")
    def _compute_partner_count(self):
        for preview in self:
            preview.partner_count = sum(preview.line_ids.mapped("partner_count"))

    def _fill(self):
        """Simulate the rules and keep one line per rule and stage of origin."""
        self.ensure_one()
        if not self.env.is_system():
            raise AccessError(_("Only administrators preview stage rules: they read records of other applications."))
        cr = self.env.cr
        self.env.flush_all()
        cr.execute("SAVEPOINT cr_rule_preview")
        try:
            results = self.rule_ids._apply("manual", simulate=True)
        finally:
            cr.execute("ROLLBACK TO SAVEPOINT cr_rule_preview")
            self.env.invalidate_all(flush=False)
        self.line_ids = [fields.Command.create({
            "rule_id": rule.id, "from_stage_id": from_stage, "partner_count": count,
        }) for rule, (added, _moved, by_stage) in results.items()
            for from_stage, count in [(False, added), *by_stage.items()] if count]

    def action_apply(self):
        """Apply the previewed rules now."""
        return self.rule_ids.action_apply()
