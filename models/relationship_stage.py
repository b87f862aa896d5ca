from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import RedirectWarning
from odoo.exceptions import UserError


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
    color = fields.Integer(aggregator=None)
    stage_type = fields.Selection(
        [("open", "Open"), ("customer", "Customer"), ("lost", "Lost")],
        required=True, default="open", index=True,
        help="Customer stages define who counts as a customer in the KPIs; lost means churned.",
    )
    # A sum of the days allowed in different stages means nothing: no aggregate in grouped lists.
    sla_days = fields.Integer(
        string="Days Allowed", aggregator=None,
        help="Days a partner may stay in this stage before it is stale; 0 means no limit.",
    )
    requirements = fields.Text(translate=True, help="Shown as a tooltip on the kanban column.")
    partner_count = fields.Integer(compute="_compute_partner_count", string="Partners")
    rule_ids = fields.One2many(
        "relationship.stage.rule", "stage_id", string="Rules", groups="base.group_system",
        help="Rules that move partners into this stage from records of other applications.")

    _sql_constraints = [
        ("sla_days_positive", "CHECK(sla_days >= 0)",
         "The days allowed in a stage cannot be negative: enter 0 for no limit."),
    ]

    def write(self, vals):
        res = super().write(vals)
        if "sla_days" in vals:
            # the open history rows of these stages go stale at the new limit (the funnel's stale count)
            self.env["relationship.stage.history"]._refresh_date_stale(self)
        return res

    def _compute_partner_count(self):
        counts = dict(self.env["relationship.pipeline.membership"].with_context(active_test=False)._read_group(
            [("stage_id", "in", self.ids)], ["stage_id"], ["__count"]))
        for stage in self:
            stage.partner_count = counts.get(stage, 0)

    # ------------------------------------------------------------------
    # Deletion: one dialog asks where the partners go (board column, pipeline form, stages list)
    # ------------------------------------------------------------------
    @api.ondelete(at_uninstall=False)
    def _unlink_except_partners_inside(self):
        """Partners are never left without a stage: the dialog moves them first."""
        self.invalidate_recordset(["partner_count"])  # counted now, not when the dialog opened
        occupied = self.filtered("partner_count")
        if occupied:
            # The warning rolls this transaction back: its action only names the stages, the dialog's
            # record is created when the person confirms.
            raise RedirectWarning(
                _("Partners are in the stage(s) %(stages)s: choose where they go before the stage is deleted.",
                  stages=", ".join(occupied.mapped("name"))),
                self._delete_wizard_action(then="reload"),
                _("Choose where they go"),
            )

    def action_open_delete_wizard(self):
        """The dialog that asks where the partners of these stages go, then deletes them."""
        return self._delete_wizard_action()

    def _delete_wizard_action(self, then=None):
        """Open the deletion dialog on these stages.

        :param then: what the screen shows once they are deleted (else asked by the caller's context):
            ``"stages"`` the stages list (the stage's own form would be gone), ``"board"`` the pipeline's
            board afresh, ``"reload"`` the current view reloaded, else the dialog just closes and its
            caller reloads (a row of the pipeline form).
        """
        then = then or self.env.context.get("relationship_stage_delete_then")
        context = {"active_model": self._name, "active_ids": self.ids}
        if then:
            context["relationship_stage_delete_then"] = then
        return {
            "type": "ir.actions.act_window",
            "name": _("Delete Stages"),
            "res_model": "relationship.stage.delete.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    def _move_partners_and_unlink(self, target_stage):
        """Move the partners of these stages to ``target_stage``, then delete these stages.

        The one place that knows where a stage's partners are: every deletion path ends here.
        """
        domain = [("stage_id", "in", self.ids)]
        Membership = self.env["relationship.pipeline.membership"].with_context(active_test=False)
        memberships = Membership.search(domain)
        # sudo: count also the memberships this user may not read (another company's partners): they cannot
        # be moved here, and would block the deletion with a database error.
        if Membership.sudo().search_count(domain) > len(memberships):
            raise UserError(_("Partners of companies you do not work for are in the stage(s) %(stages)s: someone "
                              "who works for their companies must delete it.",
                              stages=", ".join(self.mapped("name"))))
        if memberships:
            self._check_move_target(target_stage, len(memberships))
            memberships._move_to_stage(target_stage)
        self.unlink()

    def _check_move_target(self, target_stage, count):
        pipeline = self.pipeline_id
        if len(pipeline) > 1:
            raise UserError(_("Delete the stages of one pipeline at a time: "
                              "their partners can only move to a stage of the same pipeline."))
        if not target_stage:
            raise UserError(_("Choose the stage that receives the %(count)s partners of the deleted stages.",
                              count=count))
        if target_stage in self or target_stage.pipeline_id != pipeline:
            raise UserError(_("The partners must go to another stage of the pipeline “%(pipeline)s”.",
                              pipeline=pipeline.name))
