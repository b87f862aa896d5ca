import logging
import threading
import time
from datetime import timedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

from . import stage_rule_sql

_logger = logging.getLogger(__name__)
RULE_KINDS = [("enter", "Has a record"), ("inactivity", "No record for some days")]
# when the daily job comes back for a pipeline PostgreSQL refused, if its runner does not call it again at once
RETRY_DELAY = timedelta(minutes=1)


class RelationshipStageRule(models.Model):
    """Moves partners into a stage from records of another model (CRM, Sales, Invoicing, ...).

    "enter": partners with a matching record enter the stage, dated by the record. "inactivity":
    partners in some stages with no matching record for some days go to the stage, dated by the day
    they became inactive. Defined by administrators only (README, "Access rights") and evaluated as
    superuser by the daily job or "Apply now": one set of SQL statements per rule over all partners.
    """

    _name = "relationship.stage.rule"
    _inherit = ["mail.thread", "relationship.record.source.mixin"]
    _description = "Stage Rule"
    _order = "pipeline_id, sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    stage_id = fields.Many2one(
        "relationship.stage", required=True, index=True, ondelete="cascade",
        help="Where the rule moves partners.")
    pipeline_id = fields.Many2one(related="stage_id.pipeline_id", store=True, index=True)
    company_id = fields.Many2one(related="stage_id.company_id", store=True, index=True)
    kind = fields.Selection(
        RULE_KINDS, required=True, default="enter",
        help="Has a record: partners with a matching record enter the stage, on the record's date.\n"
             "No record for some days: partners in the chosen stages without a matching record for that many "
             "days go to the stage, on the day they became inactive.")
    from_stage_ids = fields.Many2many(
        "relationship.stage", "relationship_stage_rule_from_stage_rel", "rule_id", "stage_id",
        string="From Stages", domain="[('pipeline_id', '=', pipeline_id)]",
        help="Only partners in these stages can become inactive.")
    inactivity_days = fields.Integer(string="Days Without a Record", default=365)
    last_run_date = fields.Datetime(string="Last Applied", readonly=True, copy=False)
    run_ids = fields.One2many("relationship.stage.rule.run", "rule_id", string="Runs", groups="base.group_system")

    @api.constrains("model_id", "domain", "partner_field_id", "date_field_id")
    def _check_definition(self):
        self._check_source_definition()

    @api.constrains("kind", "stage_id", "from_stage_ids", "inactivity_days")
    def _check_stages(self):
        for rule in self:
            if rule.inactivity_days < 1:
                raise ValidationError(_("The days without a record of the rule “%(rule)s” must be at least one.",
                                        rule=rule.name))
            if rule.from_stage_ids.pipeline_id - rule.pipeline_id:
                raise ValidationError(_("The stages a partner leaves by the rule “%(rule)s” must be stages of its "
                                        "pipeline “%(pipeline)s”.", rule=rule.name, pipeline=rule.pipeline_id.name))
            if rule.kind == "inactivity" and not (rule.from_stage_ids - rule.stage_id):
                raise ValidationError(_("The inactivity rule “%(rule)s” needs the stages partners leave when "
                                        "they become inactive (e.g. Customer and Loyal).", rule=rule.name))

    # ------------------------------------------------------------------
    # Buttons (administrators only: rules read other models as superuser)
    # ------------------------------------------------------------------
    def action_apply(self):
        """Apply these rules now (every active rule when none is selected); each run is logged."""
        rules = self._rules_for_admin()
        counts = rules._apply("manual")
        moved = sum(added + moved for added, moved, _stages in counts.values())
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "title": _("Stage rules applied"),
            "message": _("%(count)s partners moved by %(rules)s rules.", count=moved, rules=len(rules)),
            "type": "success", "next": {"type": "ir.actions.act_window_close"}}}

    def action_preview(self):
        """Open the preview of these rules (every active rule when none is selected): who would move where."""
        rules = self._rules_for_admin()
        preview = self.env["relationship.stage.rule.preview"].create({"rule_ids": [fields.Command.set(rules.ids)]})
        preview._fill()
        return {"type": "ir.actions.act_window", "res_model": preview._name, "res_id": preview.id,
                "views": [(False, "form")], "target": "new", "name": _("Preview of the Stage Rules")}

    def _rules_for_admin(self):
        if not self.env.is_system():
            raise AccessError(_("Only administrators apply stage rules: they read records of other applications."))
        rules = self or self.search([])
        if not rules.filtered("active"):
            raise UserError(_("There is no active stage rule to apply: create one, or accept the suggested rules."))
        return rules.filtered("active")

    @api.model
    def _cron_apply(self):
        """The daily job: each pipeline in a transaction of its own, committed as soon as it is applied.

        A concurrent manual move can make PostgreSQL refuse a pipeline's writes (serialization failure,
        deadlock): that pipeline alone is rolled back and left for the next call. The cron runner calls the
        job again at once while its progress says some are left and some were done; otherwise (nothing done,
        or not called by the runner) a trigger brings it back in a minute. Never until the next night.
        """
        # sudo: rules are defined by administrators and read other models as the system (README)
        rules = self.sudo().search([])
        pipelines = rules.pipeline_id - self._pipelines_done_this_round()
        # a test is one transaction that must outlive the job: Odoo's crons that commit ask the thread too
        # (website.visitor, res.users.deletion); pytest-odoo sets it, not modules.module.current_test, on 18
        commit = not getattr(threading.current_thread(), "testing", False)
        done = 0
        for pipeline in pipelines:
            if rules._cron_apply_pipeline(pipeline):
                done += 1
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(pipelines) - done)
            if commit:
                # the job's own cursor, as Odoo's crons that work in batches: this pipeline is kept whatever
                # the next ones do, and they start on a fresh snapshot
                self.env.cr.commit()  # pylint: disable=invalid-commit
        # the runner (ir.cron._run_job, with the cron_id in the context) calls again by itself only after
        # some progress; "Run Manually" and direct calls never do
        if done < len(pipelines) and not (done and self.env.context.get("cron_id")):
            self.env.ref("customer_relationship.ir_cron_stage_rules_apply")._trigger(
                fields.Datetime.now() + RETRY_DELAY)

    def _cron_apply_pipeline(self, pipeline):
        """Apply these rules of ``pipeline`` in a savepoint; False when PostgreSQL refused it for a concurrent
        write (then rolled back alone), True when applied, or skipped because another run applies it now."""
        try:
            with self.env.cr.savepoint():
                self.filtered(lambda rule: rule.pipeline_id == pipeline)._apply("cron")
        except UserError as error:  # another run holds the pipeline: it applies the same rules
            _logger.info("Stage rules of pipeline %s skipped: %s", pipeline.id, error)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as error:
            _logger.warning("Stage rules of pipeline %s rolled back by a concurrent update, to be applied again "
                            "soon: %s", pipeline.id, error)
            return False
        return True

    @api.model
    def _pipelines_done_this_round(self):
        """Pipelines the job applied since the end of its last round (the ``lastcall`` the runner gives):
        when the runner calls it again for the pipelines left, the others are not applied twice.

        Strictly after: both dates are in whole seconds, and the last round's runs may share its last second.
        A run of this round in that same second is applied again, which is harmless; skipped, it would not be.
        """
        lastcall = self.env.context.get("lastcall")
        if not lastcall:
            return self.env["relationship.pipeline"]
        # sudo: run logs are read by administrators only; the job only needs which pipelines it applied
        groups = self.env["relationship.stage.rule.run"].sudo()._read_group(
            [("trigger", "=", "cron"), ("date", ">", lastcall)], ["pipeline_id"])
        return self.env["relationship.pipeline"].union(*(pipeline for [pipeline] in groups))

    # ------------------------------------------------------------------
    # Engine: per pipeline under a lock, rules in stage order, each one as set-based SQL
    # ------------------------------------------------------------------
    def _apply(self, trigger, simulate=False):
        """Apply these rules; {rule: (added, moved, {from stage id: count})}. Nothing is logged when simulating.

        Enter rules go first, in the order of their stages, so that a back-fill walks each partner forward
        (opportunity, then customer); inactivity rules last. Each pipeline is locked for the transaction: a
        second run at the same time is refused with a clear message, never interleaved.
        """
        # sudo: rules read other models as the system; their definition is the administrators' choice
        rules = self.sudo()
        self.env.flush_all()
        results = {}
        for pipeline in rules.pipeline_id:
            self._lock_pipeline(pipeline)
            ordered = rules.filtered(lambda rule, pipeline=pipeline: rule.pipeline_id == pipeline).sorted(
                lambda rule: (rule.kind == "inactivity", rule.stage_id.sequence, rule.stage_id.id, rule.sequence,
                              rule.id))
            for rule in ordered:
                started = time.monotonic()
                results[rule] = rule._apply_one()
                if not simulate:
                    rule._log_run(trigger, results[rule], time.monotonic() - started)
        self.env.invalidate_all()
        return results

    def _lock_pipeline(self, pipeline):
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", stage_rule_sql.LOCK_CLASS, pipeline.id))
        if not self.env.cr.fetchone()[0]:
            raise UserError(_("The stage rules of the pipeline “%(pipeline)s” are being applied right now by "
                              "another run: try again in a minute.", pipeline=pipeline.name))

    def _apply_one(self):
        """Compute the moves of this rule into a temporary table, then write them: a fixed number of queries."""
        self.ensure_one()
        cr = self.env.cr
        cr.execute(SQL("CREATE TEMP TABLE cr_rule_moves ON COMMIT DROP AS %s", self._moves_sql()))
        cr.execute("ANALYZE cr_rule_moves")  # its size, for the plans of the writes below
        stage_rule_sql.write_moves(cr, self, self.env.uid, fields.Datetime.now())
        cr.execute("SELECT from_stage_id, COUNT(*) FROM cr_rule_moves GROUP BY from_stage_id")
        by_stage = dict(cr.fetchall())
        cr.execute("DROP TABLE cr_rule_moves")
        added = by_stage.pop(None, 0)
        return added, sum(by_stage.values()), by_stage

    def _moves_sql(self):
        """SQL of the moves: (membership_id, partner_id, from_stage_id, day); no membership = joins the pipeline."""
        events = self._events_sql(self)
        now = fields.Datetime.now()
        if self.kind == "enter":
            return stage_rule_sql.enter_moves(self, events, now)
        # inactivity rules into the same stage count each other's records: no sale and no invoice for a year
        siblings = self.search([("kind", "=", "inactivity"), ("stage_id", "=", self.stage_id.id)]) | self
        return stage_rule_sql.inactivity_moves(
            self, SQL(" UNION ALL ").join(self._events_sql(rule) for rule in siblings), now)

    @api.model
    def _events_sql(self, rule):
        """(partner_id, day) of the rule's records, the partner rolled up to its commercial entity."""
        query = rule._source_query(company=rule.company_id)
        partner, date = rule._source_columns(query)
        return SQL("SELECT p.commercial_partner_id AS partner_id, e.day FROM (%s) e "
                   "JOIN res_partner p ON p.id = e.partner_id",
                   query.select(SQL("%s AS partner_id", partner), SQL("%s AS day", date)))

    def _log_run(self, trigger, counts, seconds):
        added, moved, _stages = counts
        # sudo: run logs are written by the rules' job, read by administrators only
        self.env["relationship.stage.rule.run"].sudo().create({
            "rule_id": self.id, "trigger": trigger, "added_count": added, "moved_count": moved,
            "duration": seconds, "user_id": self.env.uid if trigger == "manual" else False})
        self.last_run_date = fields.Datetime.now()
