from datetime import datetime
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.exceptions import RedirectWarning
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time

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

    def _partners(self, count, **vals):
        return self.env["res.partner"].create([
            {"name": f"P{i}", "relationship_pipeline_id": self.pipeline.id, **vals} for i in range(count)])

    def _history(self, partner):
        return self.env["relationship.stage.history"].search([("partner_id", "=", partner.id)], order="id")


class TestStageHistory(PipelineCase):
    def test_create_enters_first_stage_with_history(self):
        with freeze_time("2026-03-01 10:00:00"):
            partner = self._partners(1)
        self.assertEqual(partner.relationship_stage_id, self.new)
        row = self._history(partner)
        self.assertEqual(len(row), 1)
        self.assertEqual((row.stage_id, row.pipeline_id, row.previous_stage_id), (self.new, self.pipeline,
                                                                                  self.env["relationship.stage"]))
        self.assertEqual(row.date_enter, datetime(2026, 3, 1, 10, 0))
        self.assertFalse(row.date_leave)
        self.assertEqual(partner.date_stage_entered, datetime(2026, 3, 1, 10, 0))

    def test_single_move_closes_previous_row_and_skips_stages(self):
        with freeze_time("2026-03-01 10:00:00"):
            partner = self._partners(1)
        with freeze_time("2026-03-04 22:00:00"):
            partner.relationship_stage_id = self.won  # skipping "Talk" is allowed
        first, second = self._history(partner)
        self.assertEqual(first.date_leave, datetime(2026, 3, 4, 22, 0))
        self.assertEqual(first.duration_days, 3.5)
        self.assertEqual(first.next_stage_id, self.won)
        self.assertTrue(first.progressed)
        self.assertEqual((second.stage_id, second.previous_stage_id), (self.won, self.new))
        self.assertEqual(second.date_enter, first.date_leave)
        self.assertFalse(second.date_leave)

    def test_batch_move_writes_one_row_per_partner(self):
        partners = self._partners(5)
        partners.write({"relationship_stage_id": self.talk.id})
        rows = self.env["relationship.stage.history"].search([("partner_id", "in", partners.ids)])
        self.assertEqual(len(rows), 10)
        self.assertEqual(len(rows.filtered(lambda r: not r.date_leave)), 5)
        self.assertEqual(set(rows.filtered(lambda r: not r.date_leave).stage_id.ids), {self.talk.id})
        # Writing the same stage again is not a move.
        partners.write({"relationship_stage_id": self.talk.id})
        self.assertEqual(self.env["relationship.stage.history"].search_count([("partner_id", "in", partners.ids)]), 10)

    def test_pipeline_change_puts_partner_in_first_stage_of_new_pipeline(self):
        partner = self._partners(1)
        partner.relationship_stage_id = self.talk
        partner.relationship_pipeline_id = self.other
        self.assertEqual(partner.relationship_stage_id, self.kickoff)
        last = self._history(partner)[-1]
        self.assertEqual((last.pipeline_id, last.stage_id, last.previous_stage_id),
                         (self.other, self.kickoff, self.talk))
        self.assertFalse(self._history(partner)[-2].progressed, "changing pipeline is not progress")

    def test_stage_of_another_pipeline_is_refused(self):
        partner = self._partners(1)
        with self.assertRaisesRegex(ValidationError, "belongs to the pipeline “Onboarding Test”"):
            partner.write({"relationship_pipeline_id": self.pipeline.id, "relationship_stage_id": self.live.id})
        self.env.invalidate_all(flush=False)
        self.assertEqual(partner.relationship_stage_id, self.new)
        self.assertEqual(len(self._history(partner)), 1)

    def test_writing_a_stage_alone_sets_its_pipeline(self):
        partner = self.env["res.partner"].with_context(relationship_no_pipeline=True).create({"name": "Solo"})
        self.assertFalse(partner.relationship_pipeline_id)
        partner.relationship_stage_id = self.live
        self.assertEqual(partner.relationship_pipeline_id, self.other)
        self.assertEqual(self._history(partner).stage_id, self.live)

    def test_restricted_partner_cannot_move(self):
        partner = self._partners(1)
        partner.sudo().gdpr_restricted = True
        with self.assertRaisesRegex(UserError, "restricted under GDPR art. 18"):
            partner.relationship_stage_id = self.talk
        self.assertEqual(len(self._history(partner)), 1)

    def test_history_is_read_only_for_users(self):
        partner = self._partners(1)
        row = self._history(partner).with_user(self.user_manager)
        row.check_access("read")
        for operation in ("write", "unlink"):
            with self.assertRaises(AccessError):
                row.check_access(operation)

    def test_one_default_pipeline_per_company(self):
        with self.assertRaisesRegex(ValidationError, "Only one pipeline can be the default"):
            self.pipeline.is_default = True  # the data pipeline is shared by all companies
        self.env.ref("customer_relationship.pipeline_customer_lifecycle").is_default = False
        self.pipeline.is_default = True
        self.assertEqual(self.env["relationship.pipeline"]._get_default(), self.pipeline)

    def test_company_defaults_checked_in_batch(self):
        self.env.ref("customer_relationship.pipeline_customer_lifecycle").is_default = False
        Pipeline = self.env["relationship.pipeline"]
        other_company = self.env["res.company"].create({"name": "Güney Ltd"})
        pipelines = Pipeline.create([{"name": f"Default {c.name}", "company_id": c.id, "is_default": True}
                                     for c in (self.env.company, other_company)])
        self.assertEqual(pipelines.mapped("is_default"), [True, True], "one default per company is fine")
        with self.assertRaisesRegex(ValidationError, "Only one pipeline can be the default"), \
                self.env.cr.savepoint():
            Pipeline.create([{"name": "Second", "company_id": other_company.id, "is_default": True}])
        with self.assertRaisesRegex(ValidationError, "Only one pipeline can be the default"), \
                self.env.cr.savepoint():
            Pipeline.create([{"name": "Shared", "is_default": True}])

    def test_new_company_goes_to_default_pipeline_contact_does_not(self):
        default = self.env.ref("customer_relationship.pipeline_customer_lifecycle")
        company = self.env["res.partner"].create({"name": "Acme", "is_company": True})
        contact = self.env["res.partner"].create({"name": "Jo", "parent_id": company.id})
        self.assertEqual(company.relationship_pipeline_id, default)
        self.assertEqual(company.relationship_stage_id, self.env.ref("customer_relationship.stage_lead"))
        self.assertFalse(contact.relationship_pipeline_id)


class TestStaleAndBoard(PipelineCase):
    def test_days_in_stage_and_stale_search(self):
        with freeze_time("2026-03-01 00:00:00"):
            fresh, old = self._partners(2)
            talking = self._partners(1)
            talking.relationship_stage_id = self.talk
        with freeze_time("2026-03-11 00:00:00"):
            fresh.relationship_stage_id = self.talk
            fresh.relationship_stage_id = self.new
        with freeze_time("2026-03-12 00:00:00"):
            self.assertEqual(old.days_in_stage, 11)
            self.assertEqual(fresh.days_in_stage, 1)
            self.assertTrue(old.is_stale)
            self.assertFalse(fresh.is_stale)
            self.assertFalse(talking.is_stale, "a stage without days allowed never goes stale")
            mine = fresh | old | talking
            Partner = self.env["res.partner"]
            self.assertEqual(Partner.search([("id", "in", mine.ids), ("is_stale", "=", True)]), old)
            self.assertEqual(Partner.search([("id", "in", mine.ids), ("is_stale", "=", False)]), fresh | talking)

    def test_group_expand_returns_only_the_pipeline_stages(self):
        self._partners(2)
        groups = self.env["res.partner"].with_context(
            default_relationship_pipeline_id=self.pipeline.id).web_read_group(
            [("relationship_pipeline_id", "=", self.pipeline.id)], ["relationship_stage_id"], ["relationship_stage_id"])
        stage_ids = [g["relationship_stage_id"][0] for g in groups["groups"]]
        self.assertEqual(stage_ids, (self.new | self.talk | self.won | self.gone).ids)
        counts = [g["relationship_stage_id_count"] for g in groups["groups"]]
        self.assertEqual(counts, [2, 0, 0, 0])

    def test_open_board_action_carries_the_pipeline(self):
        action = self.pipeline.action_open_board()
        self.assertEqual(action["context"]["default_relationship_pipeline_id"], self.pipeline.id)
        self.assertEqual(action["domain"], [("relationship_pipeline_id", "=", self.pipeline.id)])

    def _queries_to_move(self, partners, stage):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        partners.write({"relationship_stage_id": stage.id})
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_moving_100_partners_costs_the_same_queries_as_10(self):
        few, many = self._partners(10), self._partners(100)
        self._queries_to_move(self._partners(1), self.talk)  # warm the caches that are filled once
        self.assertEqual(self._queries_to_move(few, self.talk), self._queries_to_move(many, self.talk))
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=12):
            many.write({"relationship_stage_id": self.won.id})
            self.env.flush_all()
        self.assertEqual(self.env["relationship.stage.history"].search_count(
            [("partner_id", "in", many.ids), ("date_leave", "=", False), ("stage_id", "=", self.won.id)]), 100)


class TestStageDeletion(PipelineCase):
    def test_deleting_an_occupied_stage_redirects_to_the_wizard(self):
        self._partners(3)
        with self.assertRaises(RedirectWarning):
            self.new.unlink()
        self.assertTrue(self.new.exists())

    def test_wizard_moves_partners_then_deletes(self):
        partners = self._partners(3)
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
        self.assertEqual(partners.relationship_stage_id, self.talk)
        self.assertEqual(partners.relationship_pipeline_id, self.pipeline)

    def test_empty_stage_deletes_directly(self):
        self.gone.unlink()
        self.assertFalse(self.gone.exists())


class TestFunnel(PipelineCase):
    def test_funnel_figures_on_a_hand_built_history(self):
        """4 partners enter New; 3 go on (2 to Talk, 1 straight to Won); 1 of Talk goes on to Won; 1 falls back.

        Open rows count their days up to the database clock, so the story is told up to today.
        """
        day0 = datetime.now().replace(microsecond=0) - timedelta(days=20)
        with freeze_time(day0):
            a, b, c, d = self._partners(4)
        with freeze_time(day0 + timedelta(days=2)):
            (a | b).write({"relationship_stage_id": self.talk.id})
            c.relationship_stage_id = self.won
        with freeze_time(day0 + timedelta(days=6)):
            a.relationship_stage_id = self.won
            b.relationship_stage_id = self.new
        self.env.flush_all()
        rows = self.env["relationship.funnel.report"]._read_group(
            [("pipeline_id", "=", self.pipeline.id)], ["stage_id"],
            ["entered_count:sum", "progressed_count:sum", "conversion:avg", "days_in_stage:avg",
             "stale_count:sum", "partner_id:count_distinct"])
        figures = {stage.name: values for stage, *values in rows}
        # New: a, b, c, d entered, then b again -> 5 entries by 4 partners; a, b, c went on (3 of 5 = 60 %).
        # Days: a 2, b 2, c 2, d 20 (still there), b again 14 (still there) -> 40 / 5 = 8.
        # Stale (10 days allowed): d and b, still in New after 20 and 14 days.
        self.assertEqual(figures["New"][:3], [5, 3, 60.0])
        self.assertAlmostEqual(figures["New"][3], 8.0, places=2)
        self.assertEqual(figures["New"][4:], [2, 4])
        # Talk: a and b entered; a went on to Won, b went back -> 50 %; 4 days each.
        self.assertEqual(figures["Talk"][:3], [2, 1, 50.0])
        self.assertAlmostEqual(figures["Talk"][3], 4.0, places=2)
        # Won: c (18 days so far) and a (14 days so far), nobody went on.
        self.assertEqual(figures["Won"][:3], [2, 0, 0.0])
        self.assertAlmostEqual(figures["Won"][3], 16.0, places=2)
        self.assertNotIn("Gone", figures)

    def test_funnel_filters_by_period_and_tag(self):
        tag = self.env["res.partner.category"].create({"name": "VIP Funnel"})
        with freeze_time("2026-01-01 00:00:00"):
            vip = self._partners(1, category_id=[(6, 0, tag.ids)])
            self._partners(1)
        with freeze_time("2026-02-01 00:00:00"):
            vip.relationship_stage_id = self.talk
        Report = self.env["relationship.funnel.report"]
        self.env.flush_all()
        self.assertEqual(Report.search_count([("pipeline_id", "=", self.pipeline.id),
                                              ("partner_id.category_id", "in", tag.ids)]), 2)
        self.assertEqual(Report.search_count([("pipeline_id", "=", self.pipeline.id),
                                              ("date_enter", ">=", "2026-01-15")]), 1)
