import logging

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

TARGETS = [
    ("interaction", "Interactions older than the period"),
    ("partner", "Contacts without activity for the period"),
    ("request", "Closed privacy requests received before the period"),
]
ACTIONS = [("erase", "Erase"), ("anonymise", "Anonymise")]
# A contact is anonymised by the erasure engine (other records may point to it); an interaction has nothing
# left to keep once its partner, notes and subject are gone.
TARGET_ACTIONS = {"interaction": ("erase",), "partner": ("anonymise",), "request": ("erase", "anonymise")}
OFFICER = "customer_relationship.group_privacy_officer"
RUN_FIELDS = {"last_run", "preview_summary", "preview_date", "record_ids"}
# pg_try_advisory_xact_lock(LOCK_CLASS, rule id): one run of a rule at a time, released at commit or rollback.
LOCK_CLASS = 1616
MAX_YEARS = 100


class GdprRetentionRule(models.Model):
    """How long a category of personal data is kept, and what happens to it afterwards (KVKK's Regulation on
    the Erasure, Destruction or Anonymisation of Personal Data; GDPR art. 5(1)(e) storage limitation)."""

    _name = "gdpr.retention.rule"
    _description = "Retention Rule"
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    target = fields.Selection(TARGETS, string="Data", required=True, tracking=True)
    period_years = fields.Integer(string="Retention (years)", required=True, default=5, tracking=True)
    action = fields.Selection(ACTIONS, required=True, default="erase", tracking=True,
                              help="Contacts are always anonymised by the erasure engine of requests.")
    category_id = fields.Many2one(
        "gdpr.data.category", string="Register Category", ondelete="set null", index=True, tracking=True,
        domain="[('company_id', '=', company_id)]",
        help="The category of the processing register whose retention period this rule carries out.")
    legal_basis = fields.Text(string="Reason for the Period", translate=True,
                              help="The law or purpose that sets the period, as written in the processing register.")
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    last_run = fields.Datetime(readonly=True, copy=False)
    preview_summary = fields.Html(string="Preview", readonly=True, copy=False, sanitize_attributes=False)
    preview_date = fields.Datetime(string="Previewed On", readonly=True, copy=False)
    record_ids = fields.One2many("gdpr.destruction.record", "rule_id", string="Destruction Records", readonly=True)
    record_count = fields.Integer(compute="_compute_record_count")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_run_fields(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_run_fields(vals)
        return super().write(vals)

    @api.model
    def _check_run_fields(self, vals):
        forged = RUN_FIELDS & set(vals)
        if forged and not self.env.su:
            raise AccessError(_("%(fields)s of a retention rule are set by its runs only.",
                                fields=", ".join(sorted(self._fields[name].string for name in forged))))

    @api.constrains("target", "action", "period_years")
    def _check_rule(self):
        labels = dict(self._fields["action"]._description_selection(self.env))
        targets = dict(self._fields["target"]._description_selection(self.env))
        for rule in self.filtered("target"):  # a missing target is refused by required=True
            if rule.action not in TARGET_ACTIONS[rule.target]:
                raise ValidationError(_(
                    "“%(target)s” can only be: %(actions)s.", target=targets[rule.target],
                    actions=", ".join(labels[action] for action in TARGET_ACTIONS[rule.target])))
            if not 1 <= rule.period_years <= MAX_YEARS:
                raise ValidationError(_("The retention period of “%(rule)s” must be between 1 and %(max)s years.",
                                        rule=rule.name, max=MAX_YEARS))

    @api.constrains("category_id", "company_id")
    def _check_category_company(self):
        for rule in self.filtered("category_id"):
            if rule.category_id.company_id != rule.company_id:
                raise ValidationError(_(
                    "“%(rule)s” and the register category “%(category)s” belong to different companies: choose a "
                    "category of %(company)s.", rule=rule.name, category=rule.category_id.name,
                    company=rule.company_id.name))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_run(self):
        ran = self.filtered("record_ids")
        if ran:
            raise UserError(_(
                "%(rules)s already destroyed data: its destruction records name it, so archive the rule instead.",
                rules=", ".join(ran.mapped("name"))))

    @api.onchange("target")
    def _onchange_target(self):
        if self.target and self.action not in TARGET_ACTIONS[self.target]:
            self.action = TARGET_ACTIONS[self.target][0]

    def _compute_record_count(self):
        counts = dict(self.env["gdpr.destruction.record"]._read_group(
            [("rule_id", "in", self.ids)], ["rule_id"], ["__count"]))
        for rule in self:
            rule.record_count = counts.get(rule, 0)

    def _check_officer(self):
        if not (self.env.su or self.env.user.has_group(OFFICER)):
            raise AccessError(_("Only a Privacy Officer may preview or run retention rules."))
        self.check_access("write")

    def _cutoff(self):
        """Data older than this goes: the run's time minus the period (29 February falls back to the 28th)."""
        self.ensure_one()
        return fields.Datetime.now() - relativedelta(years=self.period_years)

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_preview(self):
        """What a run would destroy now, counted per category; nothing is changed."""
        self._check_officer()
        Plan = self.env["gdpr.retention.plan"]
        for rule in self:
            counts = {}
            for (model_name, action), ids in Plan._plan(rule, rule._cutoff()).items():
                counts.setdefault(model_name, {})[action] = len(ids)
            # sudo: the preview fields are written by the rule's buttons only (RUN_FIELDS)
            rule.sudo().write({"preview_summary": rule._summary(counts), "preview_date": fields.Datetime.now()})
        return True

    def action_run(self):
        """Run now: destroy what the rule designates and write a destruction record."""
        self._check_officer()
        records = self._run("manual")
        return {
            "type": "ir.actions.act_window", "res_model": "gdpr.destruction.record", "view_mode": "form",
            "res_id": records[:1].id, "name": _("Destruction Record"),
        } if len(records) == 1 else True

    def action_view_partners(self):
        """The contacts a run would anonymise now, listed with the officer's own rights on contacts."""
        self._check_officer()
        self.ensure_one()
        if self.target != "partner":
            raise UserError(_("Only a rule on contacts lists contacts."))
        Plan = self.env["gdpr.retention.plan"]
        ids = Plan._inactive_partner_ids(Plan._env(), self, self._cutoff())
        held = Plan._held_partner_ids(Plan._env(), ids)
        return {
            "type": "ir.actions.act_window", "res_model": "res.partner", "view_mode": "list,form",
            "name": _("Contacts to Anonymise"), "domain": [("id", "in", [pid for pid in ids if pid not in held])],
            "context": {"active_test": False, "create": False},
        }

    def action_view_records(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "gdpr.destruction.record", "view_mode": "list,form",
            "name": _("Destruction Records"), "domain": [("rule_id", "=", self.id)],
        }

    # ------------------------------------------------------------------
    # Runs
    # ------------------------------------------------------------------
    @api.model
    def _cron_run(self):
        """The periodic destruction: every active rule of every company (interval: Periodic Destruction)."""
        # sudo: the cron runs the rules of every company
        self.sudo().search([("active", "=", True)])._run("cron")

    def _run(self, trigger):
        records = self.env["gdpr.destruction.record"]
        for rule in self:
            if not rule._lock():
                if trigger == "manual":
                    raise UserError(_("“%(rule)s” is being run right now: try again in a few minutes.",
                                      rule=rule.name))
                _logger.info("Retention rule %s is already being run: skipped", rule.id)
                continue
            if trigger == "manual":
                records |= rule._run_one(trigger)
                continue
            # The cron goes on with the other rules when one fails; the failed one keeps its last run date.
            try:
                with self.env.cr.savepoint():
                    records |= rule._run_one(trigger)
            except Exception:
                _logger.exception("Retention rule %s failed; the other rules run", rule.id)
        return records

    def _run_one(self, trigger):
        cutoff = self._cutoff()
        done = self.env["gdpr.retention.plan"]._execute(self, cutoff)
        record = self.env["gdpr.destruction.record"]._record(self, cutoff, trigger, done)
        # sudo: the run's fields are written by runs only (RUN_FIELDS)
        self.sudo().write({"last_run": fields.Datetime.now(), "preview_summary": False, "preview_date": False})
        return record

    def _lock(self):
        """A transaction lock on the rule: a second run (another worker, a double click) skips it, and finds
        nothing left to destroy once the first one has committed."""
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", LOCK_CLASS, self.id))
        return self.env.cr.fetchone()[0]

    def _summary(self, counts):
        """An HTML table of {model: {action: count}}: categories in the user's language, no names."""
        labels = dict(self.env["gdpr.destruction.record.line"]._fields["action"]._description_selection(self.env))
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td class='text-end'>%s</td></tr>") % (
                self.env["ir.model"]._get(model_name).name, labels[action], count)
            for model_name, per_action in sorted(counts.items()) for action, count in sorted(per_action.items())
            if count)
        if not rows:
            return Markup("<p>%s</p>") % _("Nothing to destroy: no data is older than the period.")
        head = Markup("<tr><th>%s</th><th>%s</th><th class='text-end'>%s</th></tr>") % (
            _("Category"), _("Action"), _("Records"))
        return Markup("<table class='table table-sm'>%s%s</table>") % (head, rows)
