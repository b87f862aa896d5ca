from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import RedirectWarning
from odoo.fields import Command


class RelationshipStage(models.Model):
    _name = "relationship.stage"
    _inherit = ["relationship.shared.config.mixin"]
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
    partner_count = fields.Integer(compute="_compute_partner_count", string="Partners")

    _sql_constraints = [
        ("sla_days_positive", "CHECK(sla_days >= 0)",
         "The days allowed in a stage cannot be negative: enter 0 for no limit."),
    ]

    def _compute_partner_count(self):
        counts = dict(self.env["res.partner"].with_context(active_test=False)._read_group(
            [("relationship_stage_id", "in", self.ids)], ["relationship_stage_id"], ["__count"]))
        for stage in self:
            stage.partner_count = counts.get(stage, 0)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_partners_inside(self):
        """Partners are never left without a stage: the wizard moves them first."""
        if self.env.context.get("relationship_stage_partners_moved"):
            return
        occupied = self.filtered("partner_count")
        if occupied:
            raise RedirectWarning(
                _("Partners are in the stage(s) %(stages)s: choose where they go before the stage is deleted.",
                  stages=", ".join(occupied.mapped("name"))),
                self.action_open_delete_wizard(),
                _("Choose where they go"),
            )

    def action_open_delete_wizard(self):
        wizard = self.env["relationship.stage.delete.wizard"].create({"stage_ids": [Command.set(self.ids)]})
        return {
            "type": "ir.actions.act_window",
            "name": _("Delete Stages"),
            "res_model": "relationship.stage.delete.wizard",
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }
