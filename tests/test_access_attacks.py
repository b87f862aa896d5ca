"""Issue 14, replayed as the attacking user: every hidden figure stays hidden, nothing computed is forged.

Each test is an attack of the issue, run with the rights of the user who tried it (a Relationship
Manager, a Relationship User, a user of another company), and asserts the figure they were after
appears neither in a value nor in an error message.
"""
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import RelationshipCase
from .test_kpi_common import raises


@tagged("post_install", "-at_install")
@freeze_time("2026-04-15 12:00:00")
class TestAccessAttacks(RelationshipCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_admin = new_test_user(
            cls.env, "cr_attack_admin",
            groups="base.group_system,base.group_partner_manager,customer_relationship.group_relationship_manager")
        cls.company_b = cls.env["res.company"].create({"name": "Attack B"})
        # A partner of company B that the manager (main company only) cannot read, with 3 interactions that
        # were captured before e-mails got a company: the goal's company (main) counts them.
        cls.hidden_partner = cls.env["res.partner"].create({"name": "Hidden B", "company_id": cls.company_b.id})
        cls.env["relationship.interaction"].create([{
            "partner_id": cls.hidden_partner.id, "subject": f"Hidden {day}", "company_id": False,
            "date": f"2026-02-0{day} 10:00:00"} for day in (1, 2, 3)])
        # Requests the Privacy Officer registered: nobody else may count them.
        cls.requests = cls.env["gdpr.request"].with_user(cls.user_officer).create([{
            "request_type": "access", "requester_name": f"Subject {n}", "requester_email": f"s{n}@example.org",
            "date_received": date(2026, 3, 2)} for n in range(4)])
        cls.Kpi = cls.env["relationship.kpi"]
        cls.interaction_count = cls.env.ref("customer_relationship.kpi_interaction_count")

    def _custom_vals(self, model, date_field, **vals):
        return {"name": f"Count {model}", "code": f"ATTACK-{model}", "kind": "custom",
                "model_id": self.env["ir.model"]._get_id(model),
                "date_field_id": self.env["ir.model.fields"]._get(model, date_field).id, "aggregate": "count",
                **vals}

    def _goal_vals(self, **vals):
        return {"name": "Probe", "description": "Interactions with the hidden partner.", "relevance": "Curiosity.",
                "kpi_id": self.interaction_count.id, "partner_domain": repr([("id", "=", self.hidden_partner.id)]),
                "date_start": "2026-04-01", "date_deadline": "2026-06-29", "target_value": 2.0, **vals}

    # ------------------------------------------------------------------
    # No oracle
    # ------------------------------------------------------------------
    def test_manager_cannot_define_a_kpi_over_hidden_records(self):
        as_manager = self.Kpi.with_user(self.user_manager)
        attachment_sizes = self._custom_vals(
            "ir.attachment", "create_date", aggregate="sum",
            field_id=self.env["ir.model.fields"]._get("ir.attachment", "file_size").id)
        for vals in (self._custom_vals("gdpr.request", "create_date"), attachment_sizes):
            with self.subTest(model=vals["name"]), raises(self, AccessError, "Only administrators define"):
                as_manager.create(vals)
        self.assertFalse(self.Kpi.search([("code", "like", "ATTACK-")]))

    def test_manager_cannot_rewrite_what_a_kpi_measures(self):
        """The internal-note attack: a filter on mail.message's body, rewritten and activated again."""
        kpi = self.Kpi.with_user(self.user_admin).create(
            self._custom_vals("mail.message", "date", company_id=self.env.company.id))
        self.hidden_partner.with_user(self.user_officer).sudo().message_post(
            body="secret 4711", message_type="comment", subtype_xmlid="mail.mt_note")
        as_manager = kpi.with_user(self.user_manager)
        for vals in ({"domain": "[('body', 'ilike', 'secret 4')]"}, {"aggregate": "sum"},
                     {"model_id": self.env["ir.model"]._get_id("gdpr.request")},
                     {"date_field_id": self.env["ir.model.fields"]._get("mail.message", "write_date").id}):
            with self.subTest(vals=vals), raises(self, AccessError, "Only administrators define"):
                as_manager.write(vals)
        self.assertEqual((kpi.domain, kpi.aggregate, kpi.model_id.model), ("[]", "count", "mail.message"))
        as_manager.write({"name": "Messages", "direction": "lower_is_better"})  # using it stays theirs
        self.assertEqual(kpi.direction, "lower_is_better")

    def test_measured_field_restricted_to_groups_is_refused(self):
        restricted = next(
            (field for model in self.env.registry.values() if not model._abstract and not model._transient
             and model._auto for field in model._fields.values()
             if field.groups and field.store and field.type in ("integer", "float", "monetary")
             and not field.related and field.model_name != "res.partner"), None)
        self.assertTrue(restricted, "some numeric field of Odoo is restricted to groups")
        date_field = "create_date"
        vals = self._custom_vals(restricted.model_name, date_field, aggregate="sum",
                                 field_id=self.env["ir.model.fields"]._get(restricted.model_name, restricted.name).id)
        with raises(self, ValidationError, "restricted to some groups of users"):
            self.Kpi.with_user(self.user_admin).create(vals)

    def test_kpi_figures_use_the_rights_of_who_asks(self):
        kpi = self.Kpi.create(self._custom_vals("gdpr.request", "create_date"))
        period = ("2026-01-01", "2026-12-31")
        self.assertEqual(kpi.with_user(self.user_officer).compute_value(*period), 4.0)
        for user in (self.user_manager, self.user_rel):  # GDPR requests are the Privacy Officers' only
            with self.subTest(user=user.login), self.assertRaisesRegex(AccessError, "not allowed") as caught:
                kpi.with_user(user).compute_value(*period)
            self.assertNotIn("4", str(caught.exception), "no figure in the refusal")
        hidden = [("id", "=", self.hidden_partner.id)]
        self.assertEqual(self.interaction_count.compute_value(*period, partner_domain=hidden), 3.0)
        self.assertEqual(self.interaction_count.with_user(self.user_manager).compute_value(
            *period, partner_domain=hidden), 0.0)

    def test_partner_filter_counts_only_what_its_author_reads(self):
        # as superuser the goal sees the 3 interactions: the figure exists
        probe = self.env["relationship.goal"].create(self._goal_vals(target_value=5.0, achievability_note="x"))
        probe.action_activate()
        self.assertEqual(probe.baseline_value, 3.0)
        # the manager's goal: target 2 would be "worse than the baseline (3)" if the filter leaked
        goal = self.env["relationship.goal"].with_user(self.user_manager).create(self._goal_vals())
        self.assertEqual(goal.scope_user_id, self.user_manager)
        with self.assertRaises(UserError) as caught:
            goal.action_activate()
        message = str(caught.exception)
        self.assertIn("best value reached in an equal-length period of the last two years (0)", message)
        self.assertNotIn("(3)", message)
        goal.achievability_note = "A fair in May."
        goal.action_activate()
        self.assertEqual((goal.state, goal.baseline_value, goal.best_value), ("active", 0.0, 0.0))
        goal._measure()
        self.assertEqual(goal.current_value, 0.0)

    def test_goal_cannot_measure_a_pipeline_of_another_company(self):
        pipeline_b = self.env["relationship.pipeline"].create({"name": "Of B", "company_id": self.company_b.id})
        Goal = self.env["relationship.goal"].with_user(self.user_manager)
        with self.assertRaises(AccessError):
            Goal.create(self._goal_vals(name="Spy", pipeline_id=pipeline_b.id))
        goal = Goal.create(self._goal_vals(name="Spy"))
        with self.assertRaises(AccessError):
            goal.write({"pipeline_id": pipeline_b.id})
        self.assertFalse(goal.pipeline_id)

    def test_relationship_user_cannot_activate_or_measure(self):
        goal = self.env["relationship.goal"].with_user(self.user_manager).create(
            self._goal_vals(partner_domain="[]", target_value=9.0, achievability_note="x"))
        as_user = goal.with_user(self.user_rel)
        with self.assertRaises(AccessError):
            as_user.action_activate()
        self.assertEqual((goal.state, goal.date_baseline), ("draft", False))
        goal.action_activate()
        activation_measurement = goal.measurement_ids
        self.assertEqual(len(activation_measurement), 1)  # activation measures at once
        for action in (as_user.action_measure, as_user.action_cancel):
            with self.subTest(action=action.__name__), self.assertRaises(AccessError):
                action()
        self.assertEqual(goal.measurement_ids, activation_measurement)
        self.assertEqual(goal.state, "active")

    # ------------------------------------------------------------------
    # Nothing can be forged
    # ------------------------------------------------------------------
    def test_goal_created_active_goes_through_the_smart_check(self):
        Goal = self.env["relationship.goal"].with_user(self.user_manager)
        with raises(self, UserError, "cannot be activated yet"):
            Goal.create(self._goal_vals(name="Forged", state="active", description=False, partner_domain="[]"))
        self.assertFalse(Goal.search([("name", "=", "Forged")]))
        goal = Goal.create(self._goal_vals(name="Honest", state="active", partner_domain="[]",
                                           target_value=9.0, achievability_note="x"))
        self.assertEqual((goal.state, goal.baseline_value), ("active", 3.0))
        with raises(self, AccessError, "set by the goal itself"):
            Goal.create(self._goal_vals(name="Forged", state="achieved"))
        with raises(self, AccessError, "set by the goal itself"):
            Goal.create(self._goal_vals(name="Forged", baseline_value=0.0, current_value=50.0))
        self.assertFalse(Goal.search([("name", "=", "Forged")]))

    def test_goal_figures_cannot_be_written(self):
        goal = self.env["relationship.goal"].with_user(self.user_manager).create(
            self._goal_vals(partner_domain="[]", target_value=9.0, achievability_note="x"))
        goal.action_activate()
        goal._measure()
        before = goal.read(["state", "baseline_value", "current_value", "progress", "status"])
        forged = [{"current_value": 9.0}, {"status": "on_track"}, {"progress": 100.0}, {"state": "achieved"},
                  {"baseline_value": 0.0}, {"best_value": 1.0}, {"date_last_measured": "2026-06-29"},
                  {"measurement_ids": [Command.create({"date": "2026-04-02", "value": 9.0})]},
                  {"scope_user_id": self.env.ref("base.user_root").id}]
        for vals in forged:
            with self.subTest(vals=vals), raises(self, AccessError, "set by the goal itself"):
                goal.write(vals)
        with self.assertRaises(AccessError):
            self.env["relationship.goal.measurement"].with_user(self.user_manager).create(
                {"goal_id": goal.id, "date": "2026-04-03", "value": 9.0})
        self.env.invalidate_all()
        self.assertEqual(goal.read(["state", "baseline_value", "current_value", "progress", "status"]), before)
        self.assertEqual(len(goal.measurement_ids), 1)

    def test_builtin_kpis_cannot_be_made(self):
        vals = {"name": "Forever", "code": "FOREVER", "kind": "builtin"}
        for user in (self.user_manager, self.user_admin):
            with self.subTest(user=user.login), raises(self, AccessError, "cannot be made built-in"):
                self.Kpi.with_user(user).create(vals)
        custom = self.Kpi.with_user(self.user_admin).create(self._custom_vals("relationship.interaction", "date"))
        with raises(self, AccessError, "cannot be made built-in"):
            custom.with_user(self.user_admin).write({"kind": "builtin", "builtin_key": "acquisition"})
        with raises(self, ValidationError, "built-in with a formula"):
            self.Kpi.create(vals)  # even the application's own data needs a formula
        self.assertFalse(self.Kpi.search([("code", "=", "FOREVER"), ("active", "in", (True, False))]))

    def test_partner_counters_cannot_be_written(self):
        """Dropped from users' writes (Odoo's contact merge writes them back): the values never change.

        The stage dates live on the pipeline memberships, refused there (test_pipeline_stages)."""
        partner = self.env["res.partner"].create({"name": "Counted"})
        self.env["relationship.interaction"].create({"partner_id": partner.id, "subject": "Real call"})
        fields = ["interaction_count", "last_interaction_date"]
        before = partner.read(fields)
        for vals in ({"last_interaction_date": "2030-01-01 00:00:00"}, {"interaction_count": 99999}):
            with self.subTest(vals=vals):
                partner.with_user(self.user_rel).write(vals)
                forged = self.env["res.partner"].with_user(self.user_rel).create({"name": "Forged", **vals})
                self.env.invalidate_all()
                self.assertEqual(partner.read(fields), before)
                self.assertEqual(forged.read(fields)[0] | {"id": 0},
                                 {"id": 0, "interaction_count": 0, "last_interaction_date": False})
        self.assertEqual(partner.interaction_count, 1)

    def test_internal_user_reads_no_interaction_figure(self):
        """Plain internal users read no interaction, so no count, date or filter built from them either."""
        as_internal = self.hidden_partner.with_user(self.user_internal)
        self.env.invalidate_all()
        for name in ("interaction_count", "last_interaction_date", "days_since_last_interaction", "needs_attention"):
            with self.subTest(field=name):
                with self.assertRaises(AccessError):
                    as_internal.read([name])
                with self.assertRaises(AccessError):
                    as_internal.search([(name, "!=", False)])
        with self.assertRaises(AccessError):
            as_internal._read_group([], ["last_interaction_date:month"], ["__count"])
        view = self.env["res.partner"].with_user(self.user_internal).get_views([(False, "search")])
        self.assertNotIn("needs_attention", view["views"]["search"]["arch"])

    def test_contacts_in_a_stage_can_still_be_merged(self):
        pipeline = self.env["relationship.pipeline"].create({"name": "Merge"})
        stage = self.env["relationship.stage"].create({"name": "Lead", "pipeline_id": pipeline.id})
        kept, merged = self.env["res.partner"].with_context(relationship_no_pipeline=True).create([
            {"name": f"Twin {n}", "email": "twin@example.org"} for n in (1, 2)])
        membership = self.env["relationship.pipeline.membership"].create(
            [{"partner_id": twin.id, "stage_id": stage.id} for twin in (kept, merged)])[0]
        entered = membership.date_stage_entered
        wizard = self.env["base.partner.merge.automatic.wizard"].with_user(self.user_admin).create(
            {"partner_ids": [Command.set((kept | merged).ids)], "dst_partner_id": kept.id})
        wizard.action_merge()
        self.assertFalse(merged.exists())
        self.env.invalidate_all()
        self.assertEqual(kept.relationship_membership_ids, membership, "one membership per pipeline, the kept one's")
        self.assertEqual((membership.stage_id, membership.date_stage_entered), (stage, entered))

    def test_buttons_on_several_records_get_a_sentence(self):
        partners = self.env["res.partner"].create([{"name": "One"}, {"name": "Two"}])
        for button in (partners.action_log_interaction, partners.action_view_interactions):
            with self.subTest(button=button.__name__), raises(self, UserError, "one contact at a time"):
                button()
        goals = self.env["relationship.goal"].create([self._goal_vals(name=n) for n in ("One", "Two")])
        with raises(self, UserError, "one goal at a time"):
            goals.action_view_measurements()
        self.assertEqual(goals[0].action_view_measurements()["domain"], [("goal_id", "=", goals[0].id)])
