"""A user of company A never reads company B's records, for every addon model that carries company_id."""
from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import freeze_time
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


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30 12:00:00")
class TestCompanyFigures(RelationshipCase):
    """A partner's figures count only the interactions of the companies the user acts for (issue 14).

    A contact shared by every company: company A called it 60 days ago (twice), company B 5 days ago
    (three times). A's users must see A's figures only: B's calls are none of their business.
    """

    FIELDS = ["interaction_count", "last_interaction_date", "days_since_last_interaction", "needs_attention"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env["res.company"].create({"name": "Figures A"})
        cls.company_b = cls.env["res.company"].create({"name": "Figures B"})
        user = "base.group_user,customer_relationship.group_relationship_user"
        cls.user_a = new_test_user(cls.env, "cr_fig_a", groups=user, company_id=cls.company_a.id,
                                   company_ids=[Command.set(cls.company_a.ids)])
        cls.user_b = new_test_user(cls.env, "cr_fig_b", groups=user, company_id=cls.company_b.id,
                                   company_ids=[Command.set(cls.company_b.ids)])
        cls.user_ab = new_test_user(cls.env, "cr_fig_ab", groups=user, company_id=cls.company_a.id,
                                    company_ids=[Command.set((cls.company_a | cls.company_b).ids)])
        Partner = cls.env["res.partner"].with_context(relationship_no_pipeline=True)
        cls.shared = Partner.create({"name": "Shared Customer", "is_company": True})
        cls.contact = Partner.create({"name": "Shared Contact", "parent_id": cls.shared.id})
        cls.log(cls.company_a, cls.contact, "2026-05-01 12:00:00", "2026-04-20 12:00:00")
        cls.log(cls.company_b, cls.contact, "2026-06-25 12:00:00", "2026-06-20 12:00:00", "2026-06-10 12:00:00")

    @classmethod
    def log(cls, company, partner, *dates):
        return cls.env["relationship.interaction"].create([
            {"partner_id": partner.id, "subject": f"Call of {company.name}", "date": date, "company_id": company.id}
            for date in dates])

    def figures(self, user, partner=None, companies=None):
        env = self.env(user=user, context={"allowed_company_ids": companies.ids} if companies else {})
        env.invalidate_all()
        return (partner or self.shared).with_env(env).read(self.FIELDS)[0]

    def assertFigures(self, figures, count, last, days, attention):
        self.assertEqual([figures[name] for name in self.FIELDS], [count, last, days, attention])

    def test_each_company_reads_its_own_figures(self):
        a_view = (2, datetime(2026, 5, 1, 12), 60, True)
        for partner in (self.shared, self.contact):  # the company counts its contact's calls
            with self.subTest(partner=partner.name):
                self.assertFigures(self.figures(self.user_a, partner), *a_view)
                self.assertFigures(self.figures(self.user_b, partner), 3, datetime(2026, 6, 25, 12), 5, False)
                self.assertFigures(self.figures(self.user_ab, partner), 5, datetime(2026, 6, 25, 12), 5, False)
                # the user of both companies, working in A only, sees A's figures
                self.assertFigures(self.figures(self.user_ab, partner, self.company_a), *a_view)

    def test_filters_and_groups_give_the_company_view(self):
        domains = [[("needs_attention", "=", True)], [("days_since_last_interaction", ">=", 30)],
                   [("days_since_last_interaction", ">=", 90)], [("last_interaction_date", ">", "2026-06-01")],
                   [("interaction_count", ">", 2)], [("last_interaction_date", "=", False)]]
        expected = {self.user_a: [True, True, False, False, False, False],
                    self.user_b: [False, False, False, True, True, False],
                    self.user_ab: [False, False, False, True, True, False]}
        for user, found in expected.items():
            Partner = self.env["res.partner"].with_user(user)
            for domain, hit in zip(domains, found, strict=True):
                with self.subTest(user=user.login, domain=domain):
                    self.assertEqual(bool(Partner.search([("id", "=", self.shared.id), *domain])), hit)
        groups = self.env["res.partner"].with_user(self.user_a).with_context(tz="UTC")._read_group(
            [("id", "=", self.shared.id)], ["last_interaction_date:month"], ["__count"])
        self.assertEqual(groups, [(datetime(2026, 5, 1), 1)], "grouped by A's last contact, not B's")
        ordered = self.env["res.partner"].with_user(self.user_a).search(
            [("id", "in", (self.shared | self.contact).ids)], order="interaction_count desc, id")
        self.assertEqual(ordered.ids, (self.shared | self.contact).ids)

    def test_b_never_changes_what_a_sees(self):
        before = self.figures(self.user_a)
        # B logs, moves and deletes its own calls: A's figures stay
        new = self.log(self.company_b, self.contact, "2026-06-29 12:00:00")
        self.assertEqual(self.figures(self.user_a), before)
        b_calls = self.env["relationship.interaction"].search([("company_id", "=", self.company_b.id)])
        b_calls.with_user(self.user_b).write({"date": "2026-06-30 08:00:00"})
        self.assertEqual(self.figures(self.user_a), before)
        (b_calls | new).unlink()
        self.assertEqual(self.figures(self.user_a), before)
        self.assertEqual(self.figures(self.user_b)["interaction_count"], 0)
        # the contact leaving the company takes its calls along, for A as for B
        self.log(self.company_b, self.contact, "2026-06-29 12:00:00")
        self.contact.parent_id = False
        self.assertFigures(self.figures(self.user_a), 0, False, 99999, True)
        self.assertEqual(self.figures(self.user_a, self.contact)["interaction_count"], 2)
        self.assertEqual(self.figures(self.user_b, self.contact)["interaction_count"], 1)

    def test_statistics_rows_follow_the_company_rule(self):
        Stat = self.env["relationship.partner.stat"]
        rows = Stat.with_user(self.user_a).search([("partner_id", "in", (self.shared | self.contact).ids)])
        self.assertEqual(set(rows.mapped("company_id.id")), {self.company_a.id})
        self.assertEqual(sorted(rows.mapped("interaction_count")), [2, 2])
        b_row = Stat.search([("partner_id", "=", self.shared.id), ("company_id", "=", self.company_b.id)])
        with self.assertRaises(AccessError):
            b_row.with_user(self.user_a).read(["interaction_count"])

    def test_migration_fills_the_same_rows(self):
        """migrations/18.0.2.0.0/post-statistics.py: one statement gives the rows that logging maintained."""
        import importlib.util
        from pathlib import Path

        path = Path(__file__).parent.parent / "migrations" / "18.0.2.0.0" / "post-statistics.py"
        spec = importlib.util.spec_from_file_location("post_statistics", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        self.log(self.company_a, self.shared, "2026-06-01 12:00:00")
        self.env["relationship.interaction"].create({"partner_id": self.contact.id, "subject": "No company",
                                                     "company_id": False, "date": "2026-06-02 12:00:00"})
        query = """SELECT partner_id, company_id, interaction_count, last_interaction_date
                     FROM relationship_partner_stat ORDER BY partner_id, company_id"""
        self.env.flush_all()
        self.env.cr.execute(query)
        kept = self.env.cr.fetchall()
        self.env.cr.execute("DELETE FROM relationship_partner_stat")
        migration.migrate(self.env.cr, "18.0.1.0.0")
        self.env.cr.execute(query)
        self.assertEqual(self.env.cr.fetchall(), kept)
        self.assertIn((self.shared.id, None, 1, datetime(2026, 6, 2, 12)), kept)

    def test_stats_cannot_be_forged(self):
        row = self.env["relationship.partner.stat"].search(
            [("partner_id", "=", self.shared.id), ("company_id", "=", self.company_a.id)])
        manager = new_test_user(self.env, "cr_fig_manager", company_id=self.company_a.id,
                                company_ids=[Command.set(self.company_a.ids)],
                                groups="base.group_user,customer_relationship.group_relationship_manager")
        for user in (self.user_a, manager, self.env.ref("base.user_admin")):
            Stat = self.env["relationship.partner.stat"].with_user(user)
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    Stat.create({"partner_id": self.shared.id, "company_id": self.company_a.id,
                                 "interaction_count": 99999})
                with self.assertRaises(AccessError):
                    row.with_user(user).write({"last_interaction_date": "2030-01-01 00:00:00"})
                with self.assertRaises(AccessError):
                    row.with_user(user).unlink()
                # nor through the partner: the figures are dropped from users' writes
                self.shared.with_user(user).write({"interaction_count": 99999, "last_interaction_date": False})
        self.assertFigures(self.figures(self.user_a), 2, datetime(2026, 5, 1, 12), 60, True)

    def test_cadence_reminders_use_each_company_figures(self):
        stage_type = "open"
        pipelines = self.env["relationship.pipeline"].create([
            {"name": f"Cadence {company.name}", "company_id": company.id,
             "stage_ids": [Command.create({"name": "Talking", "stage_type": stage_type})]}
            for company in (self.company_a, self.company_b)])
        Partner = self.env["res.partner"].with_context(relationship_no_pipeline=True)
        of_a, of_b = Partner.create([{"name": f"Customer of {c.name}", "is_company": True, "company_id": c.id}
                                     for c in (self.company_a, self.company_b)])
        self.env["relationship.pipeline.membership"].create([
            {"partner_id": partner.id, "pipeline_id": pipeline.id}
            for partner, pipeline in ((of_a, pipelines[0]), (of_b, pipelines[1]), (self.shared, pipelines[1]))])
        # B called A's customer yesterday, A never did: A is reminded; B called its own: not reminded
        self.log(self.company_b, of_a, "2026-06-29 12:00:00")
        self.log(self.company_b, of_b, "2026-06-29 12:00:00")
        reminded = self.env["res.partner"]._cron_contact_cadence()
        self.assertEqual(reminded & (of_a | of_b | self.shared), of_a)
        activity = self.env["mail.activity"].search([("res_model", "=", "res.partner"), ("res_id", "=", of_a.id)])
        self.assertEqual(activity.summary, "Never contacted")
        # the shared contact is in B's pipeline: B's figures (5 days) and not A's (60 days) decide
        self.assertFalse(self.env["mail.activity"].search([("res_model", "=", "res.partner"),
                                                           ("res_id", "=", self.shared.id)]))


@tagged("post_install", "-at_install")
class TestPartnerListQueriesPerCompany(RelationshipCase):
    """The figures of a page of partners cost one query for a user of several companies too."""

    def test_query_count_does_not_grow_with_partners(self):
        company_b = self.env["res.company"].create({"name": "Queries B"})
        user = new_test_user(self.env, "cr_fig_queries", company_id=self.env.company.id,
                             company_ids=[Command.set((self.env.company | company_b).ids)],
                             groups="base.group_user,customer_relationship.group_relationship_user")
        Partner = self.env["res.partner"].with_context(relationship_no_pipeline=True)
        spec = {"display_name": {}, "interaction_count": {}, "last_interaction_date": {},
                "days_since_last_interaction": {}, "needs_attention": {}}

        def queries(count):
            partners = Partner.create([{"name": f"Page {n}"} for n in range(count)])
            self.env["relationship.interaction"].create([
                {"partner_id": p.id, "subject": "Call", "company_id": company.id}
                for p in partners for company in (self.env.company, company_b)])
            as_user = partners.with_user(user).with_context(
                allowed_company_ids=(self.env.company | company_b).ids)
            as_user.web_search_read([("id", "in", partners.ids)], spec)  # warms the caches
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            result = as_user.web_search_read([("id", "in", partners.ids)], spec)
            self.assertEqual({r["interaction_count"] for r in result["records"]}, {2})
            return self.env.cr.sql_log_count - before

        self.assertEqual(queries(10), queries(80))
