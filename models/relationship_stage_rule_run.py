from odoo import fields
from odoo import models


class RelationshipStageRuleRun(models.Model):
    """One application of one stage rule: when, by whom or by the daily job, and how many partners it moved.

    Written by the rules' engine only; read by administrators only, like the rules' previews (a rule reads
    records of other applications, so its counts are not shown to people who may not read them).
    """

    _name = "relationship.stage.rule.run"
    _description = "Stage Rule Run"
    _order = "date desc, id desc"
    _rec_name = "rule_id"

    rule_id = fields.Many2one("relationship.stage.rule", required=True, index=True,
                              ondelete="cascade", readonly=True)
    stage_id = fields.Many2one(related="rule_id.stage_id", store=True, string="Stage")
    pipeline_id = fields.Many2one(related="rule_id.pipeline_id", store=True, string="Pipeline")
    company_id = fields.Many2one(related="rule_id.company_id", store=True, string="Company")
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True, index=True)
    trigger = fields.Selection([("cron", "Daily job"), ("manual", "Apply now")], required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Applied By", readonly=True)
    added_count = fields.Integer(string="Partners Added", readonly=True,
                                 help="Partners not yet in the pipeline that the rule added to it.")
    moved_count = fields.Integer(string="Partners Moved", readonly=True,
                                 help="Partners of the pipeline that the rule moved to its stage.")
    duration = fields.Float(string="Seconds", readonly=True, digits=(16, 2), aggregator="avg")
