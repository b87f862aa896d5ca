from dateutil.relativedelta import relativedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.fields import Command

from .gdpr_destruction_guard_mixin import KEEP_YEARS
from .gdpr_retention_rule import ACTIONS
from .gdpr_retention_rule import TARGETS


class GdprDestructionRecord(models.Model):
    """What a retention run destroyed, when, how and under which rule: counts per category, never a name,
    an e-mail or an id of a person. Written by runs only, never changed, kept at least three years."""

    _name = "gdpr.destruction.record"
    _description = "Destruction Record"
    _inherit = ["gdpr.destruction.guard.mixin"]
    _order = "date desc, id desc"
    # No chatter: the record is immutable evidence, and notes on it could bring personal data back.

    name = fields.Char(string="Reference", required=True, readonly=True, default="/")
    rule_id = fields.Many2one("gdpr.retention.rule", required=True, readonly=True,
                              ondelete="restrict", index=True)
    rule_name = fields.Char(readonly=True, help="The rule's name at the time of the run.")
    target = fields.Selection(TARGETS, string="Data", required=True, readonly=True)
    action = fields.Selection(ACTIONS, string="How", required=True, readonly=True)
    period_years = fields.Integer(string="Retention (years)", readonly=True)
    cutoff = fields.Datetime(string="Data Older Than", readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    trigger = fields.Selection(
        [("cron", "Periodic run"), ("manual", "Run by an officer")], string="Run", required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Run By", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    line_ids = fields.One2many("gdpr.destruction.record.line", "record_id", string="Counts", readonly=True)
    destroyed_count = fields.Integer(string="Records Destroyed", readonly=True)
    kept_count = fields.Integer(string="Kept (Legal Hold)", readonly=True)
    keep_until = fields.Date(string="Kept At Least Until", compute="_compute_keep_until")

    def _kept_message(self):
        # the record names itself and the day it may go, so the officer knows when to come back
        return _(
            "Destruction records are kept at least %(years)s years: %(names)s can be deleted from %(date)s.",
            years=KEEP_YEARS, names=", ".join(self.mapped("name")),
            date=min(self.mapped("date")).date() + relativedelta(years=KEEP_YEARS))

    @api.depends("date")
    def _compute_keep_until(self):
        for record in self:
            record.keep_until = record.date and record.date.date() + relativedelta(years=KEEP_YEARS)

    @api.model
    def _record(self, rule, cutoff, trigger, done):
        """The record of a run; ``done`` is {model: {action: count}}."""
        IrModel = self.env["ir.model"]
        lines = [
            Command.create({"res_model": model_name, "model_id": IrModel._get_id(model_name), "action": action,
                            "count": count})
            for model_name, per_action in sorted(done.items()) for action, count in sorted(per_action.items())
            if count
        ]
        counts = [(action, count) for per_action in done.values() for action, count in per_action.items()]
        # sudo: the records are written by runs only (create refuses everyone else); the sequence too
        return self.sudo().create({
            "name": self.env["ir.sequence"].sudo().next_by_code("gdpr.destruction.record") or "/",
            "rule_id": rule.id, "rule_name": rule.name, "target": rule.target, "action": rule.action,
            "period_years": rule.period_years, "cutoff": cutoff, "trigger": trigger, "user_id": self.env.uid,
            "company_id": rule.company_id.id, "line_ids": lines,
            "destroyed_count": sum(count for action, count in counts if action != "keep"),
            "kept_count": sum(count for action, count in counts if action == "keep"),
        }).with_env(self.env)
