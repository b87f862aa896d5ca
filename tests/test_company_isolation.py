"""A user of company A never reads company B's records, for every addon model that carries company_id."""
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import RelationshipCase
from .test_access_matrix import addon_models
from .test_access_matrix import build_record


@tagged("post_install", "-at_install")
class TestCompanyIsolation(RelationshipCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env["res.company"].create({"name": "Isolation A"})
        cls.company_b = cls.env["res.company"].create({"name": "Isolation B"})
        # Manager and Privacy Officer: groups that may read every model, so only the record rules hide B's rows.
        cls.user_a = new_test_user(
            cls.env, "cr_iso_a", groups="base.group_user,customer_relationship.group_relationship_manager,"
                                        "customer_relationship.group_privacy_officer",
            company_id=cls.company_a.id, company_ids=[Command.set(cls.company_a.ids)])

    def company_models(self):
        models = [m for m in addon_models(self.env)
                  if "company_id" in self.env[m]._fields and self.env[m]._fields["company_id"].store]
        # The capabilities named by the issue must be among them, whatever else joins later.
        for name in ("relationship.interaction", "relationship.pipeline", "relationship.stage",
                     "relationship.stage.history"):
            self.assertIn(name, models)
        return models

    def test_user_of_a_never_reads_b(self):
        for model in self.company_models():
            with self.subTest(model=model):
                rec_a = build_record(self.env, model, self.company_a)
                rec_b = build_record(self.env, model, self.company_b)
                self.assertEqual((rec_a.company_id, rec_b.company_id), (self.company_a, self.company_b),
                                 f"fixtures of {model} must belong to A and B")
                as_a = self.env(user=self.user_a)[model]
                self.assertEqual(as_a.search([("id", "in", (rec_a | rec_b).ids)]), rec_a.with_env(as_a.env))
                self.assertEqual(as_a.search_count([("company_id", "=", self.company_b.id)]), 0)
                with self.assertRaises(AccessError):
                    rec_b.with_env(as_a.env).check_access("read")
                with self.assertRaises(AccessError):
                    rec_b.with_env(as_a.env).read(["company_id"])

    def test_b_stays_hidden_even_with_b_in_the_context(self):
        """allowed_company_ids cannot widen what the user is allowed: Odoo drops companies not theirs."""
        rec_b = build_record(self.env, "relationship.interaction", self.company_b)
        env_a = self.env(user=self.user_a, context={"allowed_company_ids": [self.company_a.id, self.company_b.id]})
        with self.assertRaises(AccessError):
            rec_b.with_env(env_a).check_access("read")

    def test_shared_records_are_visible(self):
        """company_id empty means shared by every company (the rules add False)."""
        pipeline = build_record(self.env, "relationship.pipeline")
        pipeline.company_id = False
        self.assertEqual(pipeline.with_user(self.user_a).read(["name"])[0]["id"], pipeline.id)

    def test_partner_of_a_sees_only_a_history(self):
        """Stage history follows its pipeline's company, even for a partner shared by both."""
        partner = self.env["res.partner"].create({"name": "Shared Partner"})
        stages = {}
        for company in (self.company_a, self.company_b):
            pipeline = self.env["relationship.pipeline"].create({"name": company.name, "company_id": company.id})
            stages[company] = self.env["relationship.stage"].create({"name": "S", "pipeline_id": pipeline.id})
        for company in (self.company_b, self.company_a):
            stage = stages[company]
            partner.write({"relationship_pipeline_id": stage.pipeline_id.id, "relationship_stage_id": stage.id})
        self.env.invalidate_all()  # the superuser's cached one2many would hide what the rules do
        seen = partner.with_user(self.user_a).relationship_stage_history_ids
        self.assertEqual(seen.stage_id, stages[self.company_a])
        rows = self.env["relationship.stage.history"].sudo().search([("partner_id", "=", partner.id)])
        self.assertEqual(rows.stage_id, stages[self.company_a] | stages[self.company_b])
