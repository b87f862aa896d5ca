"""Segment transitions, company scoping, sources over other models, the bulk action and access (issue 19).

Five partners A..E of company D (ids ascending): with five partners ntile(5) gives each its own group, so
the scores are the partners' positions. A: last event 50 days ago, 1 event; B: 40, 2; C: 30, 3; D: 20, 4;
E: 10, 5. R and F both order A, B, C, D, E: scores (1,1) (2,2) (3,3) (4,4) (5,5), segments Hibernating,
Hibernating, Need Attention, Loyal Customers, Champions.
"""
from datetime import date
from datetime import datetime
from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import RelationshipCase

REFERENCE = date(2026, 5, 15)


def at(days_before):
    return datetime.combine(REFERENCE - timedelta(days=days_before), datetime.min.time()) + timedelta(hours=9)


@tagged("post_install", "-at_install")
@freeze_time("2026-05-15 12:00:00")
class TestRfmTransitions(RelationshipCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_d = cls.env["res.company"].create({"name": "RFM D"})
        cls.company_e = cls.env["res.company"].create({"name": "RFM E"})
        cls.a, cls.b, cls.c, cls.d, cls.e = cls._partners(cls.company_d, [(50, 1), (40, 2), (30, 3), (20, 4), (10, 5)])
        # company E: three partners with C, D and E's histories, scored among themselves
        cls.c2, cls.d2, cls.e2 = cls._partners(cls.company_e, [(30, 3), (20, 4), (10, 5)])
        cls.user_e = new_test_user(
            cls.env, "rfm_user_e", groups="base.group_user,customer_relationship.group_relationship_user",
            company_id=cls.company_e.id, company_ids=[Command.set(cls.company_e.ids)])
        cls.user_d = new_test_user(
            cls.env, "rfm_user_d", groups="base.group_user,customer_relationship.group_relationship_user",
            company_id=cls.company_d.id, company_ids=[Command.set(cls.company_d.ids)])
        cls.Transition = cls.env["relationship.segment.transition"]

    @classmethod
    def _partners(cls, company, histories):
        partners = cls.env["res.partner"].with_context(relationship_no_pipeline=True).create(
            [{"name": f"{company.name} {i}", "is_company": True, "company_id": company.id}
             for i in range(len(histories))])
        cls.env["relationship.interaction"].create([
            {"partner_id": partner.id, "subject": "event", "date": at(recency + k)}
            for partner, (recency, frequency) in zip(partners, histories, strict=True) for k in range(frequency)])
        return partners

    def recompute(self, partners, reference):
        """Recompute, and return the transitions of ``partners`` it wrote, as a set of tuples."""
        before = self.Transition.search([], order="id desc", limit=1).id or 0
        self.env["res.partner"]._rfm_recompute(reference)
        transitions = self.Transition.search([("partner_id", "in", partners.ids), ("id", ">", before)])
        return {(t.partner_id, t.segment_from, t.segment_to, t.movement, t.date) for t in transitions}

    def test_transitions_are_written_for_every_change(self):
        mine = self.a | self.b | self.c | self.d | self.e
        self.assertEqual(self.recompute(mine, REFERENCE), {
            (self.a, False, "hibernating", 1, REFERENCE), (self.b, False, "hibernating", 1, REFERENCE),
            (self.c, False, "need_attention", 6, REFERENCE), (self.d, False, "loyal", 9, REFERENCE),
            (self.e, False, "champions", 10, REFERENCE)})
        self.assertEqual(mine.mapped("rfm_segment"), ["hibernating", "hibernating", "need_attention", "loyal",
                                                      "champions"])
        # A comes back: 10 events today. R and F now order B, C, D, E, A; B stays Hibernating (no row).
        later = REFERENCE + timedelta(days=30)
        with freeze_time("2026-06-14 12:00:00"):
            self.env["relationship.interaction"].create(
                [{"partner_id": self.a.id, "subject": "back", "date": "2026-06-14 08:00:00"}] * 10)
            self.assertEqual(self.recompute(mine, later), {
                (self.a, "hibernating", "champions", 9, later),
                (self.c, "need_attention", "hibernating", -5, later),
                (self.d, "loyal", "need_attention", -3, later),
                (self.e, "champions", "loyal", -1, later)})
        self.assertEqual(mine.mapped("rfm_segment"), ["champions", "hibernating", "hibernating", "need_attention",
                                                      "loyal"])
        # nothing changed: nothing written
        self.assertEqual(self.env["res.partner"]._rfm_recompute(later), (0, 0))
        # B is archived: it leaves its segment, the four others are re-ranked among four (scores 1 to 4)
        self.b.action_archive()
        self.assertEqual(self.recompute(mine, later), {
            (self.a, "champions", "loyal", -1, later),
            (self.b, "hibernating", False, -1, later),
            (self.d, "need_attention", "hibernating", -5, later),
            (self.e, "loyal", "need_attention", -3, later)})
        self.assertEqual((self.c.rfm_r_score, self.c.rfm_f_score, self.c.rfm_segment), (1, 1, "hibernating"))
        self.assertEqual((self.b.rfm_r_score, self.b.rfm_segment), (0, False))
        # the transition matrix (pivot): how many went from which segment to which on that day
        matrix = self.Transition._read_group(
            [("partner_id", "in", mine.ids), ("date", "=", later)], ["segment_from", "segment_to"], ["__count"])
        self.assertEqual(sorted(matrix, key=str), sorted([
            ("champions", "loyal", 2), ("hibernating", "champions", 1), ("hibernating", False, 1),
            ("loyal", "need_attention", 2), ("need_attention", "hibernating", 2)], key=str))

    def test_quintiles_within_the_company(self):
        self.env["res.partner"]._rfm_recompute(REFERENCE)
        # alone in company E the three get 1, 2, 3 (with D's five partners they would share groups)
        self.assertEqual([(p.rfm_r_score, p.rfm_f_score, p.rfm_segment) for p in self.c2 | self.d2 | self.e2],
                         [(1, 1, "hibernating"), (2, 2, "hibernating"), (3, 3, "need_attention")])
        self.assertEqual(self.c.rfm_segment, "need_attention")

    def test_users_of_e_never_see_d_transitions(self):
        self.env["res.partner"]._rfm_recompute(REFERENCE)
        seen = self.Transition.with_user(self.user_e).search([])
        self.assertEqual(seen.partner_id, self.c2 | self.d2 | self.e2)
        self.assertEqual(set(seen.company_id.ids), {self.company_e.id})
        d_rows = self.Transition.search([("partner_id", "=", self.a.id)])
        with self.assertRaises(AccessError):
            d_rows.with_user(self.user_e).read(["segment_to"])
        # the Overview's segment sizes count only what the reader sees
        segments = self.env["relationship.overview"].with_user(self.user_e)._segments(REFERENCE)
        self.assertEqual([(size["name"], size["count"]) for size in segments["sizes"]],
                         [("Need Attention", 1), ("Hibernating", 2)])

    def test_overview_worst_movements(self):
        Partner, Overview = self.env["res.partner"], self.env["relationship.overview"]
        Partner._rfm_recompute(REFERENCE)
        self.assertEqual(Overview._segments(REFERENCE)["falls"]["count"], 0)
        self.env["relationship.interaction"].create(
            [{"partner_id": self.a.id, "subject": "back", "date": at(0)}] * 10)
        Partner._rfm_recompute(REFERENCE)
        falls = Overview._segments(REFERENCE)["falls"]
        self.assertEqual(falls["count"], 3)
        self.assertEqual(self.Transition.search_count(falls["domain"]), 3)
        self.assertEqual(Overview.with_user(self.user_e)._segments(REFERENCE)["falls"]["count"], 0)

    def test_source_over_another_model(self):
        """E-mails the customer sent (mail.message, author, date) count next to the interactions."""
        self.env["ir.config_parameter"].set_param("customer_relationship.auto_capture", "False")
        Message = self.env["mail.message"]
        contact = self.env["res.partner"].create({"name": "A's buyer", "parent_id": self.a.id})
        Message.create([{"model": "res.partner", "res_id": self.a.id, "message_type": "email", "author_id": contact.id,
                         "date": at(days), "body": "order"} for days in (5, 6)])
        Message.create({"model": "res.partner", "res_id": self.a.id, "message_type": "comment",
                        "author_id": contact.id, "date": at(1), "body": "a note, not an e-mail"})
        self.env["relationship.rfm.source"].create({
            "name": "E-mails received",
            "model_id": self.env["ir.model"]._get_id("mail.message"),
            "partner_field_id": self.env["ir.model.fields"]._get("mail.message", "author_id").id,
            "date_field_id": self.env["ir.model.fields"]._get("mail.message", "date").id,
            "domain": "[('message_type', '=', 'email')]",
            "window_days": 30,
        })
        self.env["res.partner"]._rfm_recompute(REFERENCE)
        # A: 1 interaction 50 days ago, and 2 e-mails 5 and 6 days ago: now the latest of D's five
        self.assertEqual((self.a.rfm_last_date, self.a.rfm_recency, self.a.rfm_frequency, self.a.rfm_r_score),
                         (date(2026, 5, 10), 5, 3, 5))
        # R orders B (40 days), C, D, E (10), A (5); F orders A (3 events, id before C) then C (3), D, E: B stays 1
        self.assertEqual([(p.rfm_r_score, p.rfm_f_score) for p in self.a | self.b | self.c | self.d | self.e],
                         [(5, 2), (1, 1), (2, 3), (3, 4), (4, 5)])

    def test_sources_are_defined_by_administrators_only(self):
        source = self.env.ref("customer_relationship.rfm_source_interactions")
        self.assertEqual(source.with_user(self.user_manager).read(["name"])[0]["name"], "Interactions")
        with self.assertRaises(AccessError):
            source.with_user(self.user_manager).write({"domain": "[('channel', '=', 'visit')]"})
        with self.assertRaises(AccessError):
            source.with_user(self.user_manager).copy()
        fields_of = self.env["ir.model.fields"]._get
        base = {"name": "Bad", "model_id": self.env["ir.model"]._get_id("relationship.interaction"),
                "partner_field_id": fields_of("relationship.interaction", "partner_id").id,
                "date_field_id": fields_of("relationship.interaction", "date").id}
        Source = self.env["relationship.rfm.source"]
        refused = [
            ("must link to a contact", {"partner_field_id": fields_of("relationship.interaction", "user_id").id}),
            ("not a stored field of the right type", {"date_field_id": fields_of("relationship.interaction",
                                                                                 "subject").id}),
            ("not a stored field of the right type", {"amount_field_id": fields_of("res.partner", "color").id}),
            ("is not valid for", {"domain": "[('no_such_field', '=', 1)]"}),
            ("list of conditions", {"domain": "{}"}),
        ]
        for message, vals in refused:
            with self.subTest(message=message), self.assertRaises(ValidationError) as caught:
                Source.create(dict(base, **vals))
            self.assertIn(message, str(caught.exception))
        self.assertFalse(Source.search([("name", "=", "Bad")]))

    def test_recompute_now_for_managers_only(self):
        action = self.env.ref("customer_relationship.action_rfm_recompute_now")
        result = action.with_user(self.user_manager).run()
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(self.a.rfm_segment, "hibernating")
        with self.assertRaises(AccessError):
            action.with_user(self.user_rel).run()
        with self.assertRaises(AccessError):
            self.Transition.with_user(self.user_rel)._recompute_now()

    def test_cron_uses_today(self):
        self.env.ref("customer_relationship.ir_cron_rfm_recompute").method_direct_trigger()
        self.assertEqual((self.e.rfm_recency, self.e.rfm_segment), (10, "champions"))
        self.assertEqual(self.Transition.search([("partner_id", "=", self.e.id)]).date, REFERENCE)

    def test_bulk_action_schedules_activities(self):
        self.env["res.partner"]._rfm_recompute(REFERENCE)
        todo = self.env.ref("mail.mail_activity_data_todo")
        Wizard = self.env["relationship.segment.activity.wizard"].with_user(self.user_d)
        selected = Wizard.with_context(active_model="res.partner", active_ids=(self.a | self.b | self.c).ids)
        wizard = selected.with_context(active_ids=(self.a | self.b).ids).create(
            {"activity_type_id": todo.id, "summary": "Win back"})
        self.assertEqual((wizard.segment, wizard.restrict_to_selection, wizard.partner_count),
                         ("hibernating", True, 2))
        wizard = selected.create({"segment": "hibernating", "activity_type_id": todo.id, "summary": "Win back"})
        self.assertEqual(wizard.partner_count, 2, "C is selected but Need Attention")
        wizard.action_schedule()
        activities = self.env["mail.activity"].search([("res_model", "=", "res.partner"),
                                                       ("activity_type_id", "=", todo.id),
                                                       ("summary", "=", "Win back")])
        self.assertEqual(sorted(activities.mapped("res_id")), sorted((self.a | self.b).ids))
        self.assertEqual(activities.user_id, self.user_d)
        again = selected.create({"segment": "hibernating", "activity_type_id": todo.id})
        with self.assertRaisesRegex(UserError, "nothing was scheduled"):
            again.action_schedule()
        # the whole segment, without a selection: the user of E only reaches E's partners
        whole = self.env["relationship.segment.activity.wizard"].with_user(self.user_e).create(
            {"segment": "hibernating", "activity_type_id": todo.id})
        self.assertFalse(whole.restrict_to_selection)
        self.assertEqual(whole._target_partners(), (self.c2 | self.d2).with_user(self.user_e))
