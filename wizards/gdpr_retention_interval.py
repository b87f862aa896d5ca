from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError

OFFICER = "customer_relationship.group_privacy_officer"


class GdprRetentionInterval(models.TransientModel):
    """The Privacy Officer sets how often the retention rules run, without the administrators' Settings.

    The interval is the scheduled action's (ir_cron_gdpr_retention), which only administrators may write:
    this dialog checks the officer and the 1-6 months, then reschedules it as the superuser.
    """

    _name = "gdpr.retention.interval"
    _description = "Periodic Destruction Interval"

    interval_months = fields.Integer(
        string="Run Every (months)", required=True, default=lambda self: self._default_interval_months(),
        help="From 1 to 6 months: KVKK's regulation on erasure, destruction and anonymisation requires periodic "
             "destruction at most every six months.")
    current_interval = fields.Char(string="Runs Now Every", compute="_compute_schedule")
    next_call = fields.Datetime(string="Next Periodic Destruction", compute="_compute_schedule")
    active_rule_count = fields.Integer(string="Active Retention Rules", compute="_compute_schedule")

    @api.model
    def _cron(self):
        # sudo: officers read and reschedule this one scheduled action, through the checks of this dialog
        return self.env["ir.cron"].sudo()._gdpr_retention_cron()

    @api.model
    def _default_interval_months(self):
        cron = self._cron()
        return cron.interval_number if cron.interval_type == "months" else 6

    # The schedule does not follow the form's field; the dependency makes the dialog's first onchange fill it.
    @api.depends("interval_months")
    def _compute_schedule(self):
        cron = self._cron()
        current = cron._gdpr_interval_text() if cron else False
        rule_count = self.env["gdpr.retention.rule"].search_count([])
        for dialog in self:
            dialog.current_interval = current
            dialog.next_call = cron.nextcall
            dialog.active_rule_count = rule_count

    def action_save(self):
        self.ensure_one()
        if not self.env.user.has_group(OFFICER):
            raise AccessError(_("Only a Privacy Officer may set how often the retention rules run."))
        self._cron()._gdpr_set_destruction_months(self.interval_months)
        return {"type": "ir.actions.act_window_close"}
