from odoo import api
from odoo import fields
from odoo import models

# The stages list (Pipelines › Configuration › Stages), as a page of the web client
STAGES_URL = "/odoo/action-customer_relationship.action_relationship_stage"


class RelationshipStageDeleteWizard(models.TransientModel):
    """Asks where the partners of stages being deleted go, so nobody is left without a stage.

    Opened on the stages named by ``active_ids`` and created only when the person confirms: the dialog
    also follows a warning whose transaction was rolled back, where a record created beforehand would
    be gone.
    """

    _name = "relationship.stage.delete.wizard"
    _description = "Delete Stages and Move Their Partners"

    stage_ids = fields.Many2many(
        "relationship.stage", string="Stages to Delete", required=True, default=lambda self: self._default_stages())
    pipeline_id = fields.Many2one("relationship.pipeline", compute="_compute_pipeline_id")
    target_stage_id = fields.Many2one(
        "relationship.stage", string="Move Partners To",
        domain="[('pipeline_id', '=', pipeline_id), ('id', 'not in', stage_ids)]")
    partner_count = fields.Integer(compute="_compute_partner_count", string="Partners to Move")

    def _default_stages(self):
        if self.env.context.get("active_model") != "relationship.stage":
            return self.env["relationship.stage"]
        return self.env["relationship.stage"].browse(self.env.context.get("active_ids") or []).exists()

    @api.depends("stage_ids")
    def _compute_pipeline_id(self):
        for wizard in self:
            wizard.pipeline_id = wizard.stage_ids._origin.pipeline_id[:1]

    @api.depends("stage_ids")
    def _compute_partner_count(self):
        for wizard in self:
            # _origin: in the dialog (an onchange) the stages are new records wrapping the real ones
            wizard.partner_count = sum(wizard.stage_ids._origin.mapped("partner_count"))

    def action_confirm(self):
        self.ensure_one()
        pipeline = self.pipeline_id
        self.stage_ids._move_partners_and_unlink(self.target_stage_id)
        return self._action_after_deletion(pipeline)

    def _action_after_deletion(self, pipeline):
        """A living screen: never the form of a stage that is gone, nor a column of it."""
        then = self.env.context.get("relationship_stage_delete_then")
        if then == "board":
            action = pipeline.action_open_board()
            action["target"] = "main"  # a fresh board, as project reopens its tasks after a stage deletion
            return action
        if then == "stages":
            # a fresh stages list, by loading its page: a window action would first close this dialog, and
            # closing it makes the stage's form (when it opened the dialog) reload the stage just deleted,
            # which the web client reports as an error when the reload answers before the list shows
            return {"type": "ir.actions.act_url", "url": STAGES_URL, "target": "self"}
        if then == "reload":
            return {"type": "ir.actions.client", "tag": "soft_reload"}
        return {"type": "ir.actions.act_window_close"}
