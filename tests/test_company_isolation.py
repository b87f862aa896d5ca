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
        # models only administrators read (stage rule runs) have their company rule too, but user A reads
        # none of their rows in any company: nothing to compare
        models = [m for m in addon_models(self.env)
                  if "company_id" in self.env[m]._fields and self.env[m]._fields["company_id"].store
                  and self.env[m].with_user(self.user_a).has_access("read")]
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


@tagged("post_install", "-at_install")
class TestCompanyAttacks(RelationshipCase):
    """Issue 14's company findings, replayed as the user of the other company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env["res.company"].create({"name": "Attack A"})
        cls.company_b = cls.env["res.company"].create({"name": "Attack B"})
        manager = "base.group_user,customer_relationship.group_relationship_manager"
        cls.manager_b = new_test_user(cls.env, "cr_manager_b", groups=manager, company_id=cls.company_b.id,
                                      company_ids=[Command.set(cls.company_b.ids)])
        every = cls.env["res.company"].search([])
        cls.manager_all = new_test_user(cls.env, "cr_manager_all", groups=manager, company_id=cls.company_b.id,
                                        company_ids=[Command.set(every.ids)])
        cls.user_admin = new_test_user(cls.env, "cr_admin_b",
                                       groups="base.group_system,customer_relationship.group_relationship_manager",
                                       company_id=cls.company_b.id, company_ids=[Command.set(cls.company_b.ids)])
        cls.partner_a = cls.env["res.partner"].create(
            {"name": "Only A", "email": "only.a@example.org", "company_id": cls.company_a.id})
        cls.shared_partner = cls.env["res.partner"].create({"name": "Anyone", "email": "anyone@example.org"})
        cls.pipeline = cls.env["relationship.pipeline"].create({"name": "Shared", "company_id": False})
        cls.stage = cls.env["relationship.stage"].create({"name": "Shared stage", "pipeline_id": cls.pipeline.id})

    def _captured(self, message):
        return self.env["relationship.interaction"].search([("message_id", "=", message.id)])

    def test_captured_email_takes_the_partner_company(self):
        message = self.partner_a.message_post(
            body="<p>Our prices</p>", subject="Confidential offer", message_type="email",
            author_id=self.partner_a.id, email_from=self.partner_a.email)
        captured = self._captured(message)
        self.assertEqual((len(captured), captured.company_id), (1, self.company_a))
        as_b = self.env["relationship.interaction"].with_user(self.manager_b)
        self.assertFalse(as_b.search([("subject", "=", "Confidential offer")]))
        with self.assertRaises(AccessError):
            captured.with_user(self.manager_b).read(["subject"])

    def test_captured_email_takes_the_record_company(self):
        """A partner shared by every company, mailed from a goal of company A: the goal's company."""
        goal = self.env["relationship.goal"].create(
            {"name": "Goal of A", "company_id": self.company_a.id, "date_start": "2026-01-01",
             "date_deadline": "2026-12-31"})
        message = goal.with_context(mail_notify_force_send=False).message_post(
            body="<p>Review</p>", subject="Goal review", message_type="comment", subtype_xmlid="mail.mt_comment",
            partner_ids=self.shared_partner.ids)
        self.assertEqual(self._captured(message).company_id, self.company_a)
        # nor partner nor record has a company: the company of who posted it, never every company
        message = self.shared_partner.with_context(mail_notify_force_send=False).message_post(
            body="<p>Hello</p>", subject="Hello", message_type="comment", subtype_xmlid="mail.mt_comment",
            partner_ids=self.shared_partner.ids)
        self.assertEqual(self._captured(message).company_id, self.env.company)

    def test_user_of_b_cannot_log_on_a_partner_of_a(self):
        Interaction = self.env["relationship.interaction"].with_user(self.manager_b)
        with self.assertRaises(AccessError):
            Interaction.create({"partner_id": self.partner_a.id, "subject": "Planted"})
        shared = Interaction.create({"partner_id": self.shared_partner.id, "subject": "Fine"})
        with self.assertRaises(AccessError):
            shared.write({"partner_id": self.partner_a.id})
        self.assertEqual(self.env["relationship.interaction"].search_count([("partner_id", "=", self.partner_a.id)]), 0)

    def test_shared_configuration_needs_every_company(self):
        kpi = self.env.ref("customer_relationship.kpi_churn_rate")
        attacks = [(kpi, {"direction": "higher_is_better"}), (self.stage, {"stage_type": "customer"}),
                   (self.pipeline, {"company_id": self.company_b.id}), (self.pipeline, {"is_lifecycle": False})]
        for record, vals in attacks:
            with self.subTest(record=record, vals=vals), self.assertRaises(AccessError):
                record.with_user(self.manager_b).write(vals)
        with self.assertRaises(AccessError):
            self.stage.with_user(self.manager_b).unlink()
        with self.assertRaises(AccessError):
            self.env["relationship.pipeline"].with_user(self.manager_b).create({"name": "Mine", "company_id": False})
        self.assertEqual((kpi.direction, self.stage.stage_type, self.pipeline.company_id.id, self.stage.exists()),
                         ("lower_is_better", "open", False, self.stage))
        # their own company's configuration stays theirs; shared one is for who works for every company
        own = self.env["relationship.pipeline"].with_user(self.manager_b).create(
            {"name": "B only", "company_id": self.company_b.id})
        own.write({"name": "B pipeline"})
        self.stage.with_user(self.manager_all).write({"stage_type": "customer"})
        self.stage.with_user(self.user_admin).write({"sla_days": 5})
        self.assertEqual((self.stage.stage_type, self.stage.sla_days), ("customer", 5))

    def test_migration_gives_captured_emails_a_company(self):
        """migrations/18.0.2.0.0/post-access.py: old captured e-mails take the partner's, else the record's company."""
        import importlib.util
        from pathlib import Path

        path = Path(__file__).parent.parent / "migrations" / "18.0.2.0.0" / "post-access.py"
        spec = importlib.util.spec_from_file_location("post_access", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        goal = self.env["relationship.goal"].create(
            {"name": "Goal of A", "company_id": self.company_a.id, "date_start": "2026-01-01",
             "date_deadline": "2026-12-31"})
        on_partner = self.partner_a.message_post(body="<p>Hi</p>", message_type="email", author_id=self.partner_a.id)
        on_goal = goal.with_context(mail_notify_force_send=False).message_post(
            body="<p>Review</p>", message_type="comment", subtype_xmlid="mail.mt_comment",
            partner_ids=self.shared_partner.ids)
        captured = self._captured(on_partner) | self._captured(on_goal)
        self.assertEqual(len(captured), 2)
        captured.company_id = False  # as before the fix
        forged = self.env["relationship.kpi"].create({"name": "Forged", "code": "FORGED", "kind": "custom",
                                                      "model_id": self.env["ir.model"]._get_id("res.partner"),
                                                      "date_field_id": self.env["ir.model.fields"]._get(
                                                          "res.partner", "create_date").id})
        self.env.cr.execute("UPDATE relationship_kpi SET kind = 'builtin' WHERE id = %s", [forged.id])
        self.env.cr.execute("UPDATE relationship_goal SET scope_user_id = NULL WHERE id = %s", [goal.id])
        self.env.flush_all()
        migration.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(self._captured(on_partner).company_id, self.company_a)
        self.assertEqual(self._captured(on_goal).company_id, self.company_a)
        self.assertEqual(goal.scope_user_id, goal.write_uid)
        self.assertEqual(forged.kind, "custom")
        forged.unlink()
