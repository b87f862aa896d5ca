"""The daily job of the stage rules: each pipeline in a transaction of its own, a busy pipeline retried.

A concurrent manual stage move can make PostgreSQL refuse one pipeline's writes (serialization failure, as in
`make loadtest` with several workers). The job must then keep the other pipelines' work and come back for the
refused one soon, not the next night. The failure is raised by PostgreSQL itself (SQLSTATE 40001), so the
transaction is really aborted and the job really has to roll back to its savepoint to carry on.
"""
from datetime import datetime
from datetime import timedelta
from unittest.mock import patch

from odoo.tests import freeze_time
from odoo.tests import tagged

from ..models.relationship_stage_rule import RelationshipStageRule
from .stage_rule_common import StageRuleCase

RAISE_SERIALIZATION_FAILURE = """
    DO $$ BEGIN
        RAISE EXCEPTION 'could not serialize access due to concurrent update' USING ERRCODE = '40001';
    END $$
"""
NOW = "2024-06-01 12:00:00"


@tagged("post_install", "-at_install")
class TestStageRuleCron(StageRuleCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("customer_relationship.ir_cron_stage_rules_apply")
        # a second pipeline with its own rule: "A" is the test pipeline, "B" this one
        cls.pipeline_b = cls.env["relationship.pipeline"].create({"name": "Rules test B"})
        cls.buyer_b = cls.env["relationship.stage"].create(
            {"name": "Buyer", "pipeline_id": cls.pipeline_b.id, "sequence": 10, "stage_type": "customer"})

    def setUp(self):
        super().setUp()
        self.acme = self.partner("Acme", is_company=True)
        self.confirmed_order(self.acme, "2024-03-10 10:00:00")
        self.rule_a = self.sale_rule()
        self.rule_b = self.sale_rule(self.buyer_b)
        self.failing = self.env["relationship.pipeline"]  # pipelines whose writes PostgreSQL refuses

    def _apply_one_or_fail(self, rule):
        if rule.pipeline_id in self.failing:
            rule.env.cr.execute(RAISE_SERIALIZATION_FAILURE)
        return self.apply_one(rule)

    def run_job(self, lastcall=None, runner=True):
        """Run the job as the cron runner does (ir.cron._run_job): the cron, its last call and a progress
        record in the context; or as "Run Manually" does, without the cron (nothing calls it again then)."""
        cron, progress = self.cron._add_progress()
        context = dict(cron.env.context, lastcall=lastcall, cron_id=self.cron.id if runner else None)
        Rule = self.env["relationship.stage.rule"].with_context(**context)
        self.apply_one = RelationshipStageRule._apply_one
        with patch.object(RelationshipStageRule, "_apply_one", autospec=True, side_effect=self._apply_one_or_fail), \
                freeze_time(NOW):
            Rule._cron_apply()
        return progress

    def in_pipeline(self, pipeline):
        return self.env["relationship.pipeline.membership"].search(
            [("partner_id", "=", self.acme.id), ("pipeline_id", "=", pipeline.id)]).stage_id

    def triggers(self):
        return self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)])

    def test_a_refused_pipeline_does_not_undo_the_others(self):
        self.failing = self.pipeline
        triggers = self.triggers()
        progress = self.run_job()
        self.assertEqual(self.in_pipeline(self.pipeline_b), self.buyer_b, "pipeline B is applied")
        self.assertEqual(self.rule_b.run_ids.mapped("trigger"), ["cron"], "and its run is logged")
        self.assertFalse(self.in_pipeline(self.pipeline), "pipeline A is rolled back")
        self.assertFalse(self.rule_a.run_ids)
        # the runner calls the job again at once for what is left: pipeline A
        self.assertEqual((progress.done, progress.remaining), (1, 1))
        self.assertEqual(self.triggers(), triggers, "a call again at once needs no trigger")

        # the next call, in the same round of the runner, applies A only: B is not applied twice
        self.failing = self.env["relationship.pipeline"]
        progress = self.run_job(lastcall=datetime.fromisoformat(NOW) - timedelta(days=1))
        self.assertEqual(self.in_pipeline(self.pipeline), self.customer)
        self.assertEqual(self.rule_a.run_ids.mapped("trigger"), ["cron"])
        self.assertEqual(len(self.rule_b.run_ids), 1)
        self.assertEqual((progress.done, progress.remaining), (1, 0))
        self.assertEqual(self.triggers(), triggers)

    def test_the_runs_of_the_last_round_do_not_count(self):
        """The last round ended in the second its last runs were logged (dates in whole seconds): the next
        round applies every pipeline again."""
        self.run_job()
        progress = self.run_job(lastcall=datetime.fromisoformat(NOW))
        self.assertEqual((progress.done, progress.remaining), (2, 0))
        self.assertEqual((len(self.rule_a.run_ids), len(self.rule_b.run_ids)), (2, 2))

    def test_a_manual_run_with_a_refused_pipeline_triggers_the_job(self):
        """"Run Manually" calls the job once: the pipeline left needs a trigger, even if others were done."""
        self.failing = self.pipeline
        triggers = self.triggers()
        progress = self.run_job(runner=False)
        self.assertEqual((progress.done, progress.remaining), (1, 1))
        self.assertEqual(len(self.triggers() - triggers), 1)

    def test_a_job_that_did_nothing_triggers_itself_again(self):
        """With nothing done the runner would wait for the next night: the job asks to be called soon."""
        self.failing = self.pipeline | self.pipeline_b
        triggers = self.triggers()
        progress = self.run_job()
        self.assertFalse(self.in_pipeline(self.pipeline) or self.in_pipeline(self.pipeline_b))
        self.assertEqual((progress.done, progress.remaining), (0, 2))
        retry = self.triggers() - triggers
        self.assertEqual(len(retry), 1)
        self.assertTrue(datetime.fromisoformat(NOW) < retry.call_at <= datetime.fromisoformat(NOW) + timedelta(
            minutes=10))

    def test_without_failure_every_pipeline_is_done(self):
        progress = self.run_job()
        self.assertEqual((self.in_pipeline(self.pipeline), self.in_pipeline(self.pipeline_b)),
                         (self.customer, self.buyer_b))
        self.assertEqual((progress.done, progress.remaining), (2, 0))
