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
                     "relationship.pipeline.membership", "relationship.stage.history"):
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

    def test_b_never_sees_a_partners_rows_in_a_shared_pipeline(self):
        """Memberships, history and funnel rows carry the partner's company, not the (shared) pipeline's."""
        user_b = new_test_user(
            self.env, "cr_iso_b", groups="base.group_user,customer_relationship.group_relationship_manager",
            company_id=self.company_b.id, company_ids=[Command.set(self.company_b.ids)])
        shared = self.env.ref("customer_relationship.pipeline_customer_lifecycle")
        self.assertFalse(shared.company_id)
        partners = self.env["res.partner"].with_context(relationship_no_pipeline=True).create([
            {"name": f"Prospect of {company.name}", "company_id": company.id}
            for company in (self.company_a, self.company_b)])
        members = self.env["relationship.pipeline.membership"].create([
            {"partner_id": partner.id, "pipeline_id": shared.id} for partner in partners])
        members.write({"stage_id": self.env.ref("customer_relationship.stage_qualified").id})
        self.env.flush_all()
        self.env.invalidate_all()
        for user, own, other in ((self.user_a, partners[0], partners[1]), (user_b, partners[1], partners[0])):
            env = self.env(user=user)
            for model in ("relationship.pipeline.membership", "relationship.stage.history",
                          "relationship.funnel.report"):
                with self.subTest(user=user.login, model=model):
                    rows = env[model].search([("partner_id", "in", partners.ids)])
                    self.assertEqual(rows.partner_id, own.with_env(env))
                    self.assertEqual(set(rows.mapped("company_id.id")), {own.company_id.id})
                    self.assertFalse(env[model].search_count([("partner_id", "=", other.id)]))

    def test_partner_of_a_sees_only_a_history(self):
        """Stage history follows its partner's company, whatever the pipelines' companies."""
        partner = self.env["res.partner"].with_context(relationship_no_pipeline=True).create(
            {"name": "Partner of A", "company_id": self.company_a.id})
        for company in (self.company_a, self.company_b):
            pipeline = self.env["relationship.pipeline"].create({"name": company.name, "company_id": company.id})
            stage = self.env["relationship.stage"].create({"name": "S", "pipeline_id": pipeline.id})
            self.env["relationship.pipeline.membership"].create({"partner_id": partner.id, "stage_id": stage.id})
        self.env.invalidate_all()  # the superuser's cached one2many would hide what the rules do
        seen = partner.with_user(self.user_a).relationship_stage_history_ids
        self.assertEqual(len(seen), 2)
        self.assertEqual(set(seen.mapped("company_id.id")), {self.company_a.id})
