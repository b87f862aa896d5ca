from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class RelationshipStageDeleteWizard(models.TransientModel):
    """Asks where the partners of stages being deleted go, so nobody is left without a stage."""

    _name = "relationship.stage.delete.wizard"
    _description = "Delete Stages and Move Their Partners"

    stage_ids = fields.Many2many("relationship.stage", string="Stages to Delete", required=True)
    pipeline_id = fields.Many2one("relationship.pipeline", compute="_compute_pipeline_id")
    target_stage_id = fields.Many2one(
        "relationship.stage", string="Move Partners To",
        domain="[('pipeline_id', '=', pipeline_id), ('id', 'not in', stage_ids)]")
    partner_count = fields.Integer(compute="_compute_partner_count", string="Partners to Move")

    @api.depends("stage_ids")
    def _compute_pipeline_id(self):
        for wizard in self:
            wizard.pipeline_id = wizard.stage_ids.pipeline_id[:1]

    @api.depends("stage_ids")
    def _compute_partner_count(self):
        for wizard in self:
            wizard.partner_count = self.env["relationship.pipeline.membership"].with_context(
                active_test=False).search_count([("stage_id", "in", wizard.stage_ids.ids)])

    def action_confirm(self):
        self.ensure_one()
        if len(self.stage_ids.pipeline_id) > 1:
            raise UserError(_("Delete the stages of one pipeline at a time."))
        partners = self.env["relationship.pipeline.membership"].with_context(active_test=False).search(
            [("stage_id", "in", self.stage_ids.ids)])
        if partners:
            target = self.target_stage_id
            if not target:
                raise UserError(_("Choose the stage that receives the %(count)s partners of the deleted stages.",
                                  count=len(partners)))
            if target in self.stage_ids or target.pipeline_id != self.pipeline_id:
                raise UserError(_("The partners must go to another stage of the pipeline “%(pipeline)s”.",
                                  pipeline=self.pipeline_id.name))
            partners._move_to_stage(target)
        self.stage_ids.with_context(relationship_stage_partners_moved=True).unlink()
        return {"type": "ir.actions.act_window_close"}
