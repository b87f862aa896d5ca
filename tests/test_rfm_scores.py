"""RFM scores and segments on a hand-built history of 27 partners (issue 19, Done-when 1-4, 6, 7).

Reference day 2026-06-30, window 365 days (2025-07-01 .. 2026-06-30). Partner Pn (created in this order, so
ids ascend with n) has `frequency` interactions: the last one `recency` days before the reference day with
duration monetary - (frequency - 1) hours, the others on the days before it with 1 hour each. The source
is the interactions, with the duration as amount. 27 partners: ntile(5) makes groups of 6, 6, 5, 5, 5.

Worked out by hand (ties broken by partner id, ascending, within the value's order):
- R, ordered by last day (oldest first): P1..P6 -> 1, P7..P12 -> 2, P13..P17 -> 3, P18..P22 -> 4,
  P23..P27 -> 5. P11, P12 and P13 share 90 days: P11 and P12 land in group 2, P13 opens group 3.
- F, ordered by count: 1 event: P1 P2 P4 P10 P22 P25 (positions 1-6 -> 1); 2 events: P3 P6 P11 P15 P16 P20
  (7-12 -> 2) and P27 (13 -> 3, tie broken); 3: P5 P13 P14 P24 (14-17 -> 3); 4: P8 P18, 5: P7 P19, 6: P9
  (18-22 -> 4) and P21 (23 -> 5, tie broken); 7: P17, 8: P12, 9: P23, 10: P26 (24-27 -> 5).
- M, ordered by amount: 1: P1 P2 P10 P22, 2: P4 P11 (1-6 -> 1); 2: P15 P16 P20 P27, 3: P5 P13 (7-12 -> 2);
  3: P24, 4: P3 P18, 5: P7, 6: P9 (13-17 -> 3); 6: P21, 7: P17, 8: P8, 9: P23, 10: P6 (18-22 -> 4);
  10: P26, 16: P12, 20: P25, 30: P14, 50: P19 (23-27 -> 5).
"""
from datetime import date
from datetime import datetime
from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import freeze_time
from odoo.tests import tagged

from ..models.res_partner_rfm import SEGMENT_MAP
from .common import RelationshipCase

REFERENCE = date(2026, 6, 30)
# (recency days, frequency, monetary) of P1..P27
HISTORY = [
    (300, 1, 1), (300, 1, 1), (250, 2, 4), (200, 1, 2), (200, 3, 3), (180, 2, 10),
    (150, 5, 5), (150, 4, 8), (120, 6, 6), (100, 1, 1), (90, 2, 2), (90, 8, 16),
    (90, 3, 3), (60, 3, 30), (45, 2, 2), (30, 2, 2), (30, 7, 7),
    (20, 4, 4), (14, 5, 50), (10, 2, 2), (7, 6, 6), (7, 1, 1),
    (3, 9, 9), (2, 3, 3), (1, 1, 20), (0, 10, 10), (0, 2, 2),
]
# (R, F, M, segment) of P1..P27, from the orderings in the docstring and the segment map of the issue
EXPECTED = [
    (1, 1, 1, "hibernating"), (1, 1, 1, "hibernating"), (1, 2, 3, "hibernating"), (1, 1, 1, "hibernating"),
    (1, 3, 2, "at_risk"), (1, 2, 4, "hibernating"),
    (2, 4, 3, "at_risk"), (2, 4, 4, "at_risk"), (2, 4, 3, "at_risk"), (2, 1, 1, "hibernating"),
    (2, 2, 1, "hibernating"), (2, 5, 5, "cant_lose"),
    (3, 3, 2, "need_attention"), (3, 3, 5, "need_attention"), (3, 2, 2, "about_to_sleep"),
    (3, 2, 2, "about_to_sleep"), (3, 5, 4, "loyal"),
    (4, 4, 3, "loyal"), (4, 4, 5, "loyal"), (4, 2, 2, "potential_loyalists"), (4, 5, 4, "loyal"),
    (4, 1, 1, "promising"),
    (5, 5, 4, "champions"), (5, 3, 3, "potential_loyalists"), (5, 1, 5, "new_customers"), (5, 5, 5, "champions"),
    (5, 3, 2, "potential_loyalists"),
]


def at(days_before, hour=10):
    return datetime.combine(REFERENCE - timedelta(days=days_before), datetime.min.time()) + timedelta(hours=hour)


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30 12:00:00")
class TestRfmScores(RelationshipCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "RFM Hand-built"})
        Partner = cls.env["res.partner"].with_context(relationship_no_pipeline=True)
        cls.partners = Partner.browse()
        for index in range(len(HISTORY)):
            cls.partners |= Partner.create({"name": f"P{index + 1}", "is_company": True, "company_id": cls.company.id})
        # P26 is a company: one of its ten events is logged on its contact person
        cls.contact = Partner.create({"name": "P26 contact", "parent_id": cls.partners[25].id,
                                      "company_id": cls.company.id})
        cls.archived = Partner.create({"name": "Archived", "is_company": True, "company_id": cls.company.id})
        vals = []
        for partner, (recency, frequency, monetary) in zip(cls.partners, HISTORY, strict=True):
            vals.append({"partner_id": partner.id, "subject": "last", "date": at(recency),
                         "duration": monetary - (frequency - 1)})
            vals += [{"partner_id": partner.id, "subject": "earlier", "date": at(recency + k), "duration": 1.0}
                     for k in range(1, frequency)]
        vals[-11]["partner_id"] = cls.contact.id  # an "earlier" event of P26 (P27 has the last two rows)
        first = cls.partners[0].id
        vals += [
            # outside the window (the day before its first day) and after the reference day: not counted
            {"partner_id": first, "subject": "too old", "date": at(365), "duration": 100.0},
            {"partner_id": first, "subject": "tomorrow", "date": at(-1, hour=8), "duration": 100.0},
        ]
        vals += [{"partner_id": cls.archived.id, "subject": "busy", "date": at(0), "duration": 99.0}] * 12
        cls.env["relationship.interaction"].create(vals)
        cls.archived.action_archive()
        cls.source = cls.env.ref("customer_relationship.rfm_source_interactions")
        cls.source.amount_field_id = cls.env["ir.model.fields"]._get("relationship.interaction", "duration")

    def test_segment_map_is_the_issue_table(self):
        """Every (R, F) pair has exactly one segment; rows R = 5 .. 1, columns F = 1 .. 5, copied from the issue."""
        grid = [
            ["new_customers", "potential_loyalists", "potential_loyalists", "champions", "champions"],
            ["promising", "potential_loyalists", "potential_loyalists", "loyal", "loyal"],
            ["about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"],
            ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"],
            ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"],
        ]
        for r_score in range(1, 6):
            for f_score in range(1, 6):
                found = [name for rs, fs, name in SEGMENT_MAP if r_score in rs and f_score in fs]
                self.assertEqual(found, [grid[5 - r_score][f_score - 1]], f"R={r_score} F={f_score}")

    def test_history_fixture(self):
        self.assertEqual(len(HISTORY), 27)
        self.assertEqual(self.partners.ids, sorted(self.partners.ids))
        self.assertEqual(self.contact.commercial_partner_id, self.partners[25])

    def test_hand_worked_scores_and_segments(self):
        self.env["res.partner"]._rfm_recompute(REFERENCE)
        rows = zip(self.partners, HISTORY, EXPECTED, strict=True)
        for number, (partner, history, expected) in enumerate(rows, start=1):
            with self.subTest(partner=f"P{number}"):
                recency, frequency, monetary = history
                self.assertEqual(
                    (partner.rfm_recency, partner.rfm_frequency, partner.rfm_monetary,
                     partner.rfm_r_score, partner.rfm_f_score, partner.rfm_m_score, partner.rfm_segment),
                    (recency, frequency, float(monetary), *expected))
        self.assertEqual(self.partners[0].rfm_last_date, date(2025, 9, 3))  # 300 days before 2026-06-30
        # contacts roll up to their company; archived partners get no score
        self.assertFalse(self.contact.rfm_segment)
        self.assertFalse(self.archived.rfm_segment)

    def test_segment_sizes(self):
        self.env["res.partner"]._rfm_recompute(REFERENCE)
        sizes = dict(self.env["res.partner"]._read_group(
            [("company_id", "=", self.company.id), ("rfm_segment", "!=", False)], ["rfm_segment"], ["__count"]))
        self.assertEqual(sizes, {
            "hibernating": 7, "at_risk": 4, "cant_lose": 1, "need_attention": 2, "about_to_sleep": 2, "loyal": 4,
            "potential_loyalists": 3, "promising": 1, "champions": 2, "new_customers": 1})

    def test_without_amount_monetary_is_empty(self):
        """The default source (interactions, no amount): R and F only."""
        self.source.amount_field_id = False
        self.env["res.partner"]._rfm_recompute(REFERENCE)
        p25 = self.partners[24]
        self.assertEqual((p25.rfm_r_score, p25.rfm_f_score, p25.rfm_m_score, p25.rfm_monetary, p25.rfm_segment),
                         (5, 1, 0, 0.0, "new_customers"))
        self.env.cr.execute("SELECT m_score, monetary FROM relationship_rfm_score WHERE partner_id = %s", [p25.id])
        self.assertEqual(self.env.cr.fetchone(), (None, None))

    def test_segments_as_filter_and_goal_scope(self):
        self.env["res.partner"]._rfm_recompute(REFERENCE)
        mine = [("company_id", "=", self.company.id)]
        at_risk = self.env["res.partner"].search([("rfm_segment", "=", "at_risk"), *mine])
        self.assertEqual(at_risk, self.partners[4] | self.partners[6] | self.partners[7] | self.partners[8])
        # "raise retention of At Risk customers": the goal's partner filter takes the segment. The filter is
        # evaluated with its author's rights (issue 14), so the manager works for the hand-built company.
        self.user_manager.sudo().company_ids |= self.company
        goal = self.env["relationship.goal"].with_user(self.user_manager).create({
            "name": "Talk to At Risk customers",
            "kpi_id": self.env.ref("customer_relationship.kpi_interaction_count").id,
            "date_start": "2025-07-01", "date_deadline": "2026-06-30",
            "partner_domain": f"[('rfm_segment', '=', 'at_risk'), ('company_id', '=', {self.company.id})]",
        })
        # measured like the cron does (as superuser); the manager's own rights hide company C's partners
        goal = goal.sudo()
        _key, scope = goal._scope()
        # P5, P7, P8 and P9 have 3 + 5 + 4 + 6 interactions in the year
        self.assertEqual(goal.kpi_id.compute_value("2025-07-01", "2026-06-30", **scope), 18.0)

    def test_recompute_is_idempotent_and_scores_are_not_writable(self):
        Partner = self.env["res.partner"]
        moved, updated = Partner._rfm_recompute(REFERENCE)
        self.assertGreaterEqual(updated, 27)
        self.assertEqual(Partner._rfm_recompute(REFERENCE), (0, 0))
        with self.assertRaises(UserError):
            self.partners[0].with_user(self.user_manager).write({"rfm_segment": "champions"})
        with self.assertRaises(UserError):
            Partner.with_user(self.user_rel).create({"name": "Forged", "rfm_r_score": 5})
        self.assertEqual(self.partners[0].rfm_segment, "hibernating")

    def test_query_count_does_not_grow_with_partners(self):
        """The recomputation is a fixed number of queries (one statement), for 27 or 127 partners."""
        Partner = self.env["res.partner"]
        Partner._rfm_recompute(REFERENCE - timedelta(days=1))
        with self.assertQueryCount(3):
            Partner._rfm_recompute(REFERENCE)
        more = Partner.with_context(relationship_no_pipeline=True).create(
            [{"name": f"More {i}", "company_id": self.company.id} for i in range(100)])
        self.env["relationship.interaction"].create(
            [{"partner_id": partner.id, "subject": "more", "date": at(i % 40)} for i, partner in enumerate(more)])
        Partner._rfm_recompute(REFERENCE - timedelta(days=1))
        with self.assertQueryCount(3):
            Partner._rfm_recompute(REFERENCE)
        self.assertEqual(len(Partner.search([("id", "in", more.ids), ("rfm_segment", "!=", False)])), 100)
