from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


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
    is_default = fields.Boolean(
        string="Default Pipeline",
        help="New partners are put into the first stage of this pipeline when the settings ask for it.",
    )
    description = fields.Text(translate=True)
    color = fields.Integer()
    partner_count = fields.Integer(compute="_compute_partner_count", string="Partners")

    @api.constrains("is_default", "company_id", "active")
    def _check_single_default(self):
        # A shared pipeline (no company) is the default of every company.
        checked = self.filtered("is_default")
        defaults = self.search([("is_default", "=", True)]) if checked else self.browse()
        for pipeline in checked:
            company = pipeline.company_id
            if any(not company or other.company_id in (company, company.browse()) for other in defaults - pipeline):
                raise ValidationError(_(
                    "Only one pipeline can be the default for %(company)s: "
                    "untick “Default Pipeline” on the other one first.",
                    company=pipeline.company_id.display_name or _("all companies"),
                ))

    def _compute_partner_count(self):
        counts = dict(self.env["res.partner"]._read_group(
            [("relationship_pipeline_id", "in", self.ids)], ["relationship_pipeline_id"], ["__count"]))
        for pipeline in self:
            pipeline.partner_count = counts.get(pipeline, 0)

    @api.model
    def _get_default(self, company=None):
        company = company or self.env.company
        return self.search(
            [("is_default", "=", True), ("company_id", "in", [company.id, False])],
            order="company_id", limit=1,
        )

    def _first_stage(self):
        self.ensure_one()
        return self.stage_ids.sorted(lambda s: (s.sequence, s.id))[:1]

    def action_open_board(self):
        """The partner board of this pipeline: every stage is a column, empty ones included."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("customer_relationship.action_relationship_board")
        action["name"] = self.name
        action["domain"] = [("relationship_pipeline_id", "=", self.id)]
        action["context"] = {
            "default_relationship_pipeline_id": self.id,
            "search_default_group_stage": 1,
            "default_is_company": True,
        }
        return action

    @api.model
    def _action_open_default_board(self):
        pipeline = self._get_default() or self.search([], limit=1)
        if not pipeline:
            return self.env["ir.actions.act_window"]._for_xml_id("customer_relationship.action_relationship_pipeline")
        return pipeline.action_open_board()
