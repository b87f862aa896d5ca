from datetime import datetime

from odoo.exceptions import AccessError
from odoo.exceptions import RedirectWarning
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from .common import RelationshipCase


class PipelineCase(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Pipeline = cls.env["relationship.pipeline"]
        cls.pipeline = Pipeline.create({"name": "Sales Test", "stage_ids": [
            (0, 0, {"name": name, "sequence": seq, "stage_type": kind, "sla_days": sla})
            for name, seq, kind, sla in (("New", 1, "open", 10), ("Talk", 2, "open", 0),
                                         ("Won", 3, "customer", 0), ("Gone", 4, "lost", 0))]})
        cls.new, cls.talk, cls.won, cls.gone = cls.pipeline.stage_ids.sorted("sequence")
        cls.other = Pipeline.create({"name": "Onboarding Test", "stage_ids": [
            (0, 0, {"name": "Kickoff", "sequence": 1}), (0, 0, {"name": "Live", "sequence": 2})]})
        cls.kickoff, cls.live = cls.other.stage_ids.sorted("sequence")
        cls.Membership = cls.env["relationship.pipeline.membership"]

    def _partners(self, count, **vals):
        """Partners outside every pipeline, then put into ours: returns their memberships."""
        partners = self.env["res.partner"].with_context(relationship_no_pipeline=True).create([
            {"name": f"P{i}", **vals} for i in range(count)])
        return self._join(partners, self.pipeline)

    def _join(self, partners, pipeline, stage=None):
        return self.Membership.create([{"partner_id": partner.id, "pipeline_id": pipeline.id,
                                        **({"stage_id": stage.id} if stage else {})} for partner in partners])

    def _history(self, membership):
        return self.env["relationship.stage.history"].search([("membership_id", "=", membership.id)], order="id")

    def _make_lifecycle(self, pipeline):
        self.env.ref("customer_relationship.pipeline_customer_lifecycle").is_lifecycle = False
        pipeline.is_lifecycle = True


class TestStageHistory(PipelineCase):
    def test_create_enters_first_stage_with_history(self):
        with freeze_time("2026-03-01 10:00:00"):
            member = self._partners(1)
        self.assertEqual(member.stage_id, self.new)
        row = self._history(member)
        self.assertEqual(len(row), 1)
        self.assertEqual((row.stage_id, row.pipeline_id, row.partner_id, row.previous_stage_id),
                         (self.new, self.pipeline, member.partner_id, self.env["relationship.stage"]))
        self.assertEqual((row.date_enter, row.stage_sequence), (datetime(2026, 3, 1, 10, 0), 1))
        self.assertFalse(row.date_leave)
        self.assertEqual((member.date_entered, member.date_stage_entered), (datetime(2026, 3, 1, 10, 0),) * 2)

    def test_single_move_closes_previous_row_and_skips_stages(self):
        with freeze_time("2026-03-01 10:00:00"):
            member = self._partners(1)
        with freeze_time("2026-03-04 22:00:00"):
            member.stage_id = self.won  # skipping "Talk" is allowed
        first, second = self._history(member)
        self.assertEqual(first.date_leave, datetime(2026, 3, 4, 22, 0))
        self.assertEqual(first.duration_days, 3.5)
        self.assertEqual(first.next_stage_id, self.won)
        self.assertEqual((first.progressed, first.moved_to_lost), (True, False))
        self.assertEqual((second.stage_id, second.previous_stage_id), (self.won, self.new))
        self.assertEqual(second.date_enter, first.date_leave)
        self.assertFalse(second.date_leave)
        self.assertEqual(member.date_stage_entered, datetime(2026, 3, 4, 22, 0))
        self.assertEqual(member.date_entered, datetime(2026, 3, 1, 10, 0))

    def test_a_move_to_a_lost_stage_is_not_going_on(self):
        member = self._partners(1)
        member.stage_id = self.won
        member.stage_id = self.gone
        won_row = self._history(member)[1]
        self.assertEqual((won_row.progressed, won_row.moved_to_lost, won_row.next_stage_id),
                         (False, True, self.gone))

    def test_batch_move_writes_one_row_per_partner(self):
        members = self._partners(5)
        members.write({"stage_id": self.talk.id})
        rows = self.env["relationship.stage.history"].search([("membership_id", "in", members.ids)])
        self.assertEqual(len(rows), 10)
        self.assertEqual(set(rows.filtered(lambda r: not r.date_leave).stage_id.ids), {self.talk.id})
        # Writing the current pipeline and stage again (an import does) is not a move and resets nothing.
        members.write({"pipeline_id": self.pipeline.id, "stage_id": self.talk.id})
        members.write({"pipeline_id": self.pipeline.id})
        self.assertEqual(members.stage_id, self.talk)
        self.assertEqual(self.env["relationship.stage.history"].search_count(
            [("membership_id", "in", members.ids)]), 10)

    def test_a_membership_stays_in_its_pipeline(self):
        member = self._partners(1)
        with self.assertRaisesRegex(UserError, "cannot change its pipeline"):
            member.write({"pipeline_id": self.other.id, "stage_id": self.kickoff.id})
        self.assertEqual((member.pipeline_id, member.stage_id), (self.pipeline, self.new))

    def test_partner_in_several_pipelines_at_most_once_each(self):
        member = self._partners(1)
        partner = member.partner_id
        onboarding = self._join(partner, self.other)
        onboarding.stage_id = self.live
        self.assertEqual(partner.relationship_membership_ids, member | onboarding)
        self.assertEqual(member.stage_id, self.new, "moving in one pipeline leaves the other alone")
        with mute_logger("odoo.sql_db"), self.assertRaises(Exception):  # noqa: B017 - UNIQUE violation
            self._join(partner, self.pipeline)

    def test_lifecycle_stage_follows_the_lifecycle_pipeline_only(self):
        self._make_lifecycle(self.pipeline)
        member = self._partners(1)
        partner = member.partner_id
        self.assertEqual(partner.relationship_stage_id, self.new)
        member.stage_id = self.won
        self.assertEqual((partner.relationship_stage_id, partner.relationship_stage_type), (self.won, "customer"))
        onboarding = self._join(partner, self.other)
        onboarding.stage_id = self.live
        self.assertEqual(partner.relationship_stage_id, self.won, "other pipelines never change it")
        # read-only: writing it again (an import) is accepted, another value is refused
        partner.write({"relationship_stage_id": self.won.id})
        with self.assertRaisesRegex(UserError, "lifecycle stage follows"):
            partner.write({"relationship_stage_id": self.talk.id})
        member.action_archive()
        self.assertFalse(partner.relationship_stage_id)

    def test_removing_closes_history_and_adding_back_opens_it(self):
        with freeze_time("2026-03-01 10:00:00"):
            member = self._partners(1)
        with freeze_time("2026-03-05 10:00:00"):
            member.action_archive()
        row = self._history(member)
        self.assertEqual((row.date_leave, row.next_stage_id.id, row.progressed), (datetime(2026, 3, 5, 10), False,
                                                                                 False))
        self.assertEqual(member.days_in_stage, 0)
        with freeze_time("2026-03-09 10:00:00"):
            member.action_unarchive()
        first, second = self._history(member)
        self.assertEqual((second.stage_id, second.date_enter, second.date_leave),
                         (self.new, datetime(2026, 3, 9, 10), False))
        self.assertEqual(member.date_stage_entered, datetime(2026, 3, 9, 10))

    def test_stage_of_another_pipeline_is_refused(self):
        member = self._partners(1)
        with self.assertRaisesRegex(ValidationError, "belongs to the pipeline “Onboarding Test”"):
            member.write({"stage_id": self.live.id})
        self.env.invalidate_all(flush=False)
        self.assertEqual(member.stage_id, self.new)
        self.assertEqual(len(self._history(member)), 1)

    def test_a_stage_alone_sets_its_pipeline(self):
        partner = self.env["res.partner"].with_context(relationship_no_pipeline=True).create({"name": "Solo"})
        member = self.Membership.create({"partner_id": partner.id, "stage_id": self.live.id})
        self.assertEqual(member.pipeline_id, self.other)
        self.assertEqual(self._history(member).stage_id, self.live)

    def test_restricted_partner_cannot_move_nor_join(self):
        member = self._partners(1)
        member.partner_id.sudo().gdpr_restricted = True
        with self.assertRaisesRegex(UserError, "restricted under GDPR art. 18"):
            member.stage_id = self.talk
        with self.assertRaisesRegex(UserError, "restricted under GDPR art. 18"):
            self._join(member.partner_id, self.other)
        self.assertEqual(len(self._history(member)), 1)

    def test_stage_dates_are_not_writable_by_users(self):
        member = self._partners(1)
        for user in (self.user_rel, self.user_manager):
            with self.assertRaisesRegex(UserError, "set by the stage moves"):
                member.with_user(user).write({"date_stage_entered": "2020-01-01 00:00:00"})
            with self.assertRaisesRegex(UserError, "set by the stage moves"):
                member.with_user(user).write({"date_entered": "2020-01-01 00:00:00"})
        partner = self.env["res.partner"].with_context(relationship_no_pipeline=True).create({"name": "Dated"})
        with self.assertRaisesRegex(UserError, "set by the stage moves"):
            self.Membership.with_user(self.user_rel).create({
                "partner_id": partner.id, "pipeline_id": self.other.id, "date_stage_entered": "2020-01-01"})

    def test_history_is_read_only_for_users(self):
        row = self._history(self._partners(1)).with_user(self.user_manager)
        row.check_access("read")
        for operation in ("write", "unlink"):
            with self.assertRaises(AccessError):
                row.check_access(operation)

    def test_one_lifecycle_pipeline_per_company(self):
        with self.assertRaisesRegex(ValidationError, "Only one pipeline can be the lifecycle pipeline"):
            self.pipeline.is_lifecycle = True  # the data pipeline is shared by all companies
        self._make_lifecycle(self.pipeline)
        self.assertEqual(self.env["relationship.pipeline"]._get_lifecycle(), self.pipeline)

    def test_company_lifecycles_checked_in_batch(self):
        self.env.ref("customer_relationship.pipeline_customer_lifecycle").is_lifecycle = False
        Pipeline = self.env["relationship.pipeline"]
        other_company = self.env["res.company"].create({"name": "Güney Ltd"})
        pipelines = Pipeline.create([{"name": f"Lifecycle {c.name}", "company_id": c.id, "is_lifecycle": True}
                                     for c in (self.env.company, other_company)])
        self.assertEqual(pipelines.mapped("is_lifecycle"), [True, True], "one per company is fine")
        with self.assertRaisesRegex(ValidationError, "Only one pipeline can be the lifecycle pipeline"), \
                self.env.cr.savepoint():
            Pipeline.create([{"name": "Second", "company_id": other_company.id, "is_lifecycle": True}])
        with self.assertRaisesRegex(ValidationError, "Only one pipeline can be the lifecycle pipeline"), \
                self.env.cr.savepoint():
            Pipeline.create([{"name": "Shared", "is_lifecycle": True}])

    def test_new_company_joins_the_lifecycle_pipeline_contact_does_not(self):
        lifecycle = self.env.ref("customer_relationship.pipeline_customer_lifecycle")
        company = self.env["res.partner"].create({"name": "Acme", "is_company": True})
        contact = self.env["res.partner"].create({"name": "Jo", "parent_id": company.id})
        self.assertEqual(company.relationship_membership_ids.pipeline_id, lifecycle)
        self.assertEqual(company.relationship_stage_id, self.env.ref("customer_relationship.stage_lead"))
        self.assertFalse(contact.relationship_membership_ids)
        # a contact manager without pipeline rights creating a company puts it in the lifecycle too
        contacts_only = new_test_user(self.env, "cr_contacts", groups="base.group_user,base.group_partner_manager")
        plain = self.env["res.partner"].with_user(contacts_only).create({"name": "Plain", "is_company": True})
        self.assertEqual(plain.sudo().relationship_membership_ids.pipeline_id, lifecycle)


class TestStaleAndBoard(PipelineCase):
    def test_days_in_stage_and_stale_search(self):
        with freeze_time("2026-03-01 00:00:00"):
            fresh, old = self._partners(2)
            talking = self._partners(1)
            talking.stage_id = self.talk
        with freeze_time("2026-03-11 00:00:00"):
            fresh.stage_id = self.talk
            fresh.stage_id = self.new
        with freeze_time("2026-03-12 00:00:00"):
            self.assertEqual((old.days_in_stage, fresh.days_in_stage), (11, 1))
            self.assertTrue(old.is_stale)
            self.assertFalse(fresh.is_stale)
            self.assertFalse(talking.is_stale, "a stage without days allowed never goes stale")
            mine = fresh | old | talking
            self.assertEqual(self.Membership.search([("id", "in", mine.ids), ("is_stale", "=", True)]), old)
            self.assertEqual(self.Membership.search([("id", "in", mine.ids), ("is_stale", "=", False)]),
                             fresh | talking)
            # the current history row counts its days up to now
            current = self._history(old)
            self.assertEqual((current.days_in_stage, current.duration_days), (11.0, 0.0))

    def test_group_expand_returns_only_the_pipeline_stages(self):
        self._partners(2)
        self._join(self.env["res.partner"].create({"name": "Elsewhere"}), self.other)
        groups = self.Membership.with_context(default_pipeline_id=self.pipeline.id).web_read_group(
            [("pipeline_id", "=", self.pipeline.id)], ["stage_id"], ["stage_id"])
        self.assertEqual([g["stage_id"][0] for g in groups["groups"]],
                         (self.new | self.talk | self.won | self.gone).ids)
        self.assertEqual([g["stage_id_count"] for g in groups["groups"]], [2, 0, 0, 0])

    def test_open_board_action_names_and_carries_the_pipeline(self):
        action = self.pipeline.action_open_board()
        self.assertEqual(action["name"], "Sales Test")
        self.assertEqual(action["res_model"], "relationship.pipeline.membership")
        self.assertEqual(action["context"]["default_pipeline_id"], self.pipeline.id)
        self.assertEqual(action["domain"], [("pipeline_id", "=", self.pipeline.id)])
        default = self.env["relationship.pipeline"]._action_open_default_board()
        self.assertEqual(default["name"], "Customer Lifecycle")

    def test_board_has_no_sample_data_and_no_meaningless_sums(self):
        arch = self.Membership.get_views([(False, "kanban")])["views"]["kanban"]["arch"]
        self.assertNotIn("sample=", arch)
        self.assertIn('js_class="relationship_board"', arch)
        for model, names in (("relationship.stage", ["sla_days", "sequence", "color"]),
                             ("relationship.pipeline", ["color", "sequence"]),
                             ("relationship.pipeline.membership", ["color", "days_in_stage"]),
                             ("relationship.stage.history", ["stage_sequence"]),
                             ("res.partner", ["contact_cadence_days"])):
            described = self.env[model].fields_get(names, ["aggregator"])
            for name in names:
                self.assertNotIn("aggregator", described[name], f"{model}.{name} must not be summed")
        groups = self.env["relationship.stage"].web_read_group(
            [("pipeline_id", "=", self.pipeline.id)], ["sla_days"], ["pipeline_id"])["groups"]
        self.assertNotIn("sla_days", groups[0])

    def test_add_to_pipeline_from_contacts_and_board(self):
        Partner = self.env["res.partner"].with_context(relationship_no_pipeline=True)
        fresh, inside, removed = Partner.create([{"name": n} for n in ("Fresh", "Inside", "Removed")])
        kept = self._join(inside, self.pipeline, self.talk)
        gone = self._join(removed, self.pipeline, self.talk)
        gone.action_archive()
        Wizard = self.env["relationship.pipeline.add.wizard"].with_user(self.user_rel)
        # from a multi-selection in the contacts list
        wizard = Wizard.with_context(active_model="res.partner", active_ids=(fresh | inside | removed).ids,
                                     default_pipeline_id=self.pipeline.id).create({})
        self.assertEqual(wizard.partner_ids, fresh | inside | removed)
        self.assertEqual((wizard.stage_id, wizard.already_count), (self.new, 1))
        wizard.stage_id = self.won
        action = wizard.action_add()
        self.assertEqual(action["context"]["default_pipeline_id"], self.pipeline.id)
        members = self.Membership.search([("pipeline_id", "=", self.pipeline.id),
                                          ("partner_id", "in", (fresh | inside | removed).ids)])
        self.assertEqual(len(members), 3)
        self.assertEqual(kept.stage_id, self.talk, "a partner already in keeps its stage")
        self.assertEqual((gone.active, gone.stage_id), (True, self.won), "a removed partner comes back")
        self.assertEqual(self._history(gone).mapped("stage_id"), self.talk | self.won)
        self.assertEqual(members.filtered(lambda m: m.partner_id == fresh).stage_id, self.won)
        # from the board, the wizard closes and the board reloads
        other = Partner.create({"name": "From the board"})
        board_wizard = Wizard.with_context(relationship_from_board=True, default_pipeline_id=self.other.id).create(
            {"partner_ids": [(6, 0, other.ids)]})
        self.assertEqual(board_wizard.action_add(), {"type": "ir.actions.act_window_close"})
        self.assertEqual(other.relationship_membership_ids.stage_id, self.kickoff)
        # the binding shows the wizard in the contacts' Action menu
        binding = self.env.ref("customer_relationship.action_relationship_pipeline_add_wizard")
        self.assertEqual(binding.binding_model_id.model, "res.partner")

    def _queries_to_move(self, members, stage):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        members.write({"stage_id": stage.id})
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_moving_100_partners_costs_the_same_queries_as_10(self):
        few, many = self._partners(10), self._partners(100)
        self._queries_to_move(self._partners(1), self.talk)  # warm the caches that are filled once
        self.assertEqual(self._queries_to_move(few, self.talk), self._queries_to_move(many, self.talk))
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=14):
            many.write({"stage_id": self.won.id})
            self.env.flush_all()
        self.assertEqual(self.env["relationship.stage.history"].search_count(
            [("membership_id", "in", many.ids), ("date_leave", "=", False), ("stage_id", "=", self.won.id)]), 100)


class TestStageDeletion(PipelineCase):
    def test_deleting_an_occupied_stage_redirects_to_the_wizard(self):
        self._partners(3)
        with self.assertRaises(RedirectWarning):
            self.new.unlink()
        self.assertTrue(self.new.exists())

    def test_wizard_moves_partners_then_deletes(self):
        members = self._partners(3)
        wizard = self.env["relationship.stage.delete.wizard"].create({"stage_ids": [(6, 0, self.new.ids)]})
        self.assertEqual(wizard.partner_count, 3)
        with self.assertRaisesRegex(UserError, "Choose the stage that receives the 3 partners"):
            wizard.action_confirm()
        wizard.target_stage_id = self.kickoff
        with self.assertRaisesRegex(UserError, "another stage of the pipeline “Sales Test”"):
            wizard.action_confirm()
        self.assertTrue(self.new.exists())
        wizard.target_stage_id = self.talk
        wizard.action_confirm()
        self.assertFalse(self.new.exists())
        self.assertEqual(members.stage_id, self.talk)
        self.assertEqual(members.pipeline_id, self.pipeline)

    def test_empty_stage_deletes_directly(self):
        self.gone.unlink()
        self.assertFalse(self.gone.exists())
