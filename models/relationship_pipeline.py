from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class RelationshipPipeline(models.Model):
    _name = "relationship.pipeline"
    _inherit = ["relationship.shared.config.mixin"]
    _description = "Relationship Pipeline"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    stage_ids = fields.One2many("relationship.stage", "pipeline_id", string="Stages", copy=True)
    is_lifecycle = fields.Boolean(
        string="Lifecycle Pipeline",
        help="The company's lifecycle: a partner's stage here is its lifecycle stage, shown on its card and "
             "measured by the built-in KPIs and the Overview. New partners start in it when the settings ask "
             "for it. One per company.",
    )
    description = fields.Text(translate=True)
    forward_only = fields.Boolean(
        string="Rules Move Forward Only", default=True,
        help="Stage rules never move a partner of this pipeline to an earlier stage (in the stages' order); "
             "people still may. Untick to let rules move partners both ways, e.g. a churned partner who "
             "buys again back to Customer.")
    color = fields.Integer(aggregator=None)
    membership_ids = fields.One2many("relationship.pipeline.membership", "pipeline_id", string="Members")
    partner_count = fields.Integer(compute="_compute_partner_count", string="Partners")

    @api.constrains("is_lifecycle", "company_id", "active")
    def _check_single_lifecycle(self):
        # A shared pipeline (no company) is the lifecycle pipeline of every company.
        checked = self.filtered("is_lifecycle")
        defaults = self.search([("is_lifecycle", "=", True)]) if checked else self.browse()
        for pipeline in checked:
            company = pipeline.company_id
            if any(not company or other.company_id in (company, company.browse()) for other in defaults - pipeline):
                raise ValidationError(_(
                    "Only one pipeline can be the lifecycle pipeline of %(company)s: "
                    "untick “Lifecycle Pipeline” on the other one first.",
                    company=pipeline.company_id.display_name or _("all companies"),
                ))

    def write(self, vals):
        res = super().write(vals)
        if {"is_lifecycle", "company_id"}.intersection(vals):
            # which membership gives each member its lifecycle stage may change (the own company's comes first)
            self.env["relationship.pipeline.membership"]._refresh_current_lifecycle(SQL(
                "(SELECT partner_id FROM relationship_pipeline_membership WHERE pipeline_id IN %s)",
                tuple(self.ids)))
        return res

    def _compute_partner_count(self):
        counts = dict(self.env["relationship.pipeline.membership"]._read_group(
            [("pipeline_id", "in", self.ids)], ["pipeline_id"], ["__count"]))
        for pipeline in self:
            pipeline.partner_count = counts.get(pipeline, 0)

    @api.model
    def _get_lifecycle(self, company=None):
        company = company or self.env.company
        return self.search(
            [("is_lifecycle", "=", True), ("company_id", "in", [company.id, False])],
            order="company_id", limit=1,
        )

    def _first_stage(self):
        self.ensure_one()
        return self.stage_ids.sorted(lambda s: (s.sequence, s.id))[:1]

    def action_open_board(self):
        """The board of this pipeline: its partners by stage, every stage a column, empty ones included."""
        if len(self) != 1:
            raise UserError(_("Open the board of one pipeline at a time."))
        action = self.env["ir.actions.act_window"]._for_xml_id("customer_relationship.action_relationship_board")
        action["name"] = action["display_name"] = self.name  # the board's title
        action["domain"] = [("pipeline_id", "=", self.id)]
        action["context"] = {"default_pipeline_id": self.id, "relationship_board_pipeline_name": self.name}
        return action

    @api.model
    def _action_open_default_board(self):
        pipeline = self._get_lifecycle() or self.search([], limit=1)
        if not pipeline:
            return self.env["ir.actions.act_window"]._for_xml_id("customer_relationship.action_relationship_pipeline")
        return pipeline.action_open_board()
