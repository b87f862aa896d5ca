from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class RelationshipPipelineAddWizard(models.TransientModel):
    """Puts existing partners into a pipeline, from its board or from a selection of contacts."""

    _name = "relationship.pipeline.add.wizard"
    _description = "Add Partners to a Pipeline"

    partner_ids = fields.Many2many("res.partner", required=True)
    pipeline_id = fields.Many2one("relationship.pipeline", required=True)
    stage_id = fields.Many2one(
        "relationship.stage", compute="_compute_stage_id", store=True, readonly=False,
        domain="[('pipeline_id', '=', pipeline_id)]", help="Where they start; the pipeline's first stage by default.")
    user_id = fields.Many2one("res.users", string="Owner", default=lambda self: self.env.user)
    already_count = fields.Integer(compute="_compute_already_count", string="Already in the Pipeline")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if "partner_ids" in fields_list and not values.get("partner_ids") \
                and context.get("active_model") == "res.partner" and context.get("active_ids"):
            values["partner_ids"] = [fields.Command.set(context["active_ids"])]
        return values

    @api.depends("pipeline_id")
    def _compute_stage_id(self):
        for wizard in self:
            if wizard.stage_id.pipeline_id != wizard.pipeline_id:
                wizard.stage_id = wizard.pipeline_id._first_stage() if wizard.pipeline_id else False

    @api.depends("partner_ids", "pipeline_id")
    def _compute_already_count(self):
        Membership = self.env["relationship.pipeline.membership"]
        for wizard in self:
            wizard.already_count = Membership.search_count([
                ("pipeline_id", "=", wizard.pipeline_id.id), ("partner_id", "in", wizard.partner_ids.ids)
            ]) if wizard.pipeline_id else 0

    def action_add(self):
        """Create the missing memberships, bring back removed ones; partners already in stay where they are."""
        if len(self) != 1:
            raise UserError(_("Confirm one “Add to Pipeline” dialog at a time."))
        stage = self.stage_id or self.pipeline_id._first_stage()
        if not stage:
            raise UserError(_("The pipeline “%(pipeline)s” has no stage yet: add one first.",
                              pipeline=self.pipeline_id.name))
        if stage.pipeline_id != self.pipeline_id:
            raise UserError(_("Choose a stage of the pipeline “%(pipeline)s”.", pipeline=self.pipeline_id.name))
        Membership = self.env["relationship.pipeline.membership"]
        existing = Membership.with_context(active_test=False).search(
            [("pipeline_id", "=", self.pipeline_id.id), ("partner_id", "in", self.partner_ids.ids)])
        removed = existing.filtered(lambda m: not m.active)
        if removed:
            removed.write({"stage_id": stage.id, "user_id": self.user_id.id})
            removed.write({"active": True})
        Membership.create([{
            "partner_id": partner.id, "pipeline_id": self.pipeline_id.id, "stage_id": stage.id,
            "user_id": self.user_id.id,
        } for partner in self.partner_ids - existing.partner_id])
        if self.env.context.get("relationship_from_board"):
            return {"type": "ir.actions.act_window_close"}  # the board reloads itself
        return self.pipeline_id.action_open_board()
