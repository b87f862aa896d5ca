"""Where RFM figures are kept (make bench P8): relationship.rfm.score, read by the partner's rfm_* fields.

Company D has five partners A..E whose scores are their positions (see test_rfm_transitions): A (1, 1)
Hibernating, B (2, 2) Hibernating, C (3, 3) Need Attention, D (4, 4) Loyal Customers, E (5, 5) Champions.
F has no event: no scores. Company E has one partner, G, with E's history: alone in its company, (1, 1).
"""
from datetime import date
from datetime import datetime
from datetime import timedelta
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import freeze_time
from odoo.tests import new_test_user
from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools.sql import column_exists

from ..models.relationship_rfm_score import RelationshipRfmScore
from .common import RelationshipCase

REFERENCE = date(2026, 5, 15)


def at(days_before):
    return datetime.combine(REFERENCE - timedelta(days=days_before), datetime.min.time()) + timedelta(hours=9)


@tagged("post_install", "-at_install")
@freeze_time("2026-05-15 12:00:00")
class TestRfmStorage(RelationshipCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_d = cls.env["res.company"].create({"name": "RFM Storage D"})
        cls.company_e = cls.env["res.company"].create({"name": "RFM Storage E"})
        Partner = cls.env["res.partner"].with_context(relationship_no_pipeline=True)
        cls.partners = Partner.create([{"name": f"D {name}", "is_company": True, "company_id": cls.company_d.id}
                                       for name in "ABCDEF"])
        cls.g = Partner.create({"name": "E G", "is_company": True, "company_id": cls.company_e.id})
        histories = [*zip(cls.partners[:5], [(50, 1), (40, 2), (30, 3), (20, 4), (10, 5)], strict=True),
                     (cls.g, (10, 5))]
        cls.env["relationship.interaction"].create([
            {"partner_id": partner.id, "subject": "event", "date": at(recency + k)}
            for partner, (recency, frequency) in histories for k in range(frequency)])
        cls.mine = [("id", "in", (cls.partners | cls.g).ids)]
        cls.user_d = new_test_user(
            cls.env, "rfm_storage_d", groups="base.group_user,customer_relationship.group_relationship_user",
            company_id=cls.company_d.id, company_ids=[Command.set(cls.company_d.ids)])

    def test_partner_rows_are_not_written(self):
        """The figures are in relationship_rfm_score, not on res_partner: scoring rewrites no partner row."""
        self.assertFalse(column_exists(self.env.cr, "res_partner", "rfm_segment"))
        self.env.flush_all()
        self.env.cr.execute("SELECT xmin::text FROM res_partner WHERE id IN %s ORDER BY id", [tuple(self.partners.ids)])
        before = self.env.cr.fetchall()
        self.assertEqual(self.env["res.partner"]._rfm_recompute(REFERENCE), (6, 6))
        self.env.cr.execute("SELECT xmin::text FROM res_partner WHERE id IN %s ORDER BY id", [tuple(self.partners.ids)])
        self.assertEqual(self.env.cr.fetchall(), before)
        scores = self.env["relationship.rfm.score"].search([("partner_id", "in", self.partners.ids)])
        segments = ["hibernating", "hibernating", "need_attention", "loyal", "champions"]
        self.assertEqual([(s.partner_id, s.r_score, s.f_score, s.segment) for s in scores], [
            (partner, n, n, segment)
            for n, (partner, segment) in enumerate(zip(self.partners[:5], segments, strict=True), start=1)])
        e = self.partners[4]
        self.assertEqual((e.rfm_last_date, e.rfm_recency, e.rfm_frequency), (date(2026, 5, 5), 10, 5))

    def test_search_like_a_stored_column(self):
        """Partners without scores have empty figures, as an empty column would: every operator agrees."""
        Partner = self.env["res.partner"]
        Partner._rfm_recompute(REFERENCE)
        a, b, c, d, e, f = self.partners
        cases = [
            ([("rfm_segment", "=", "hibernating")], a | b | self.g),
            ([("rfm_segment", "=", False)], f),
            ([("rfm_segment", "!=", False)], a | b | c | d | e | self.g),
            ([("rfm_segment", "!=", "hibernating")], c | d | e | f),
            ([("rfm_segment", "in", ["loyal", "champions"])], d | e),
            ([("rfm_segment", "not in", ["hibernating", False])], c | d | e),
            ([("rfm_r_score", ">=", 4)], d | e),
            ([("rfm_f_score", "=", 0)], f),  # an empty number is 0, as Odoo searches integer columns
            ([("rfm_frequency", ">", 3)], d | e | self.g),
            ([("rfm_last_date", "=", "2026-05-05")], e | self.g),
            ([("rfm_m_score", "=", False)], a | b | c | d | e | f | self.g),  # no amount: no M
            (["|", ("rfm_segment", "=", "champions"), ("name", "=", "D A")], a | e),
        ]
        for domain, expected in cases:
            with self.subTest(domain=domain):
                self.assertEqual(Partner.search(domain + self.mine), expected)

    def test_group_by_order_and_field_description(self):
        Partner = self.env["res.partner"]
        Partner._rfm_recompute(REFERENCE)
        groups = dict(Partner._read_group(self.mine, ["rfm_segment"], ["__count"]))
        self.assertEqual(groups, {"hibernating": 3, "need_attention": 1, "loyal": 1, "champions": 1, False: 1})
        by_company = Partner._read_group(self.mine + [("rfm_segment", "!=", False)],
                                         ["company_id", "rfm_r_score"], ["__count"])
        self.assertEqual(sorted((company.id, r, count) for company, r, count in by_company), sorted(
            [(self.company_d.id, n, 1) for n in range(1, 6)] + [(self.company_e.id, 1, 1)]))
        # the search view's group-by, through the web client's own call
        web = Partner.web_read_group(self.mine, ["rfm_segment"], ["rfm_segment"])
        self.assertEqual({g["rfm_segment"]: g["rfm_segment_count"] for g in web["groups"]}[
            "hibernating"], 3)
        ordered = Partner.search(self.mine + [("company_id", "=", self.company_d.id)], order="rfm_f_score desc, id")
        self.assertEqual(ordered.ids, self.partners[5:].ids + self.partners[4::-1].ids)  # no score: NULLS FIRST
        description = Partner.fields_get(["rfm_segment", "rfm_r_score"], ["groupable", "sortable", "searchable"])
        for name in ("rfm_segment", "rfm_r_score"):
            self.assertEqual(description[name], {"groupable": True, "sortable": True, "searchable": True})

    def test_a_row_written_meanwhile_is_not_inserted_twice(self):
        """Two recomputations at once both insert the row of a partner scored for the first time.

        The second one's snapshot does not see the first one's row, so its statement takes the partner for
        unknown; UNIQUE(partner_id) then raised an IntegrityError, which Odoo does not retry. With ON CONFLICT
        DO NOTHING, REPEATABLE READ turns it into a serialization failure, which Odoo retries. Two
        transactions cannot be shown here (the fixtures are not committed), so the statement is made blind
        to partner A's existing row, as the concurrent snapshot would be: the insert must skip it quietly.
        """
        Partner = self.env["res.partner"]
        Partner._rfm_recompute(REFERENCE)
        a = self.partners[0]
        statement = RelationshipRfmScore._statement

        def blind_to_a(score, *args):
            sql = statement(score, *args)
            code = sql.code.replace("FULL JOIN relationship_rfm_score o",
                                    f"FULL JOIN (SELECT * FROM relationship_rfm_score WHERE partner_id <> {a.id}) o")
            self.assertNotEqual(code, sql.code, "the statement still reads the known rows there")
            return SQL(code, *sql.params)

        with patch.object(RelationshipRfmScore, "_statement", autospec=True, side_effect=blind_to_a):
            _moved, updated = Partner._rfm_recompute(REFERENCE)
        self.assertEqual(updated, 0, "A's row is counted as neither inserted nor updated")
        scores = self.env["relationship.rfm.score"].search([("partner_id", "=", a.id)])
        self.assertEqual((len(scores), scores.segment), (1, "hibernating"))

    def test_scores_follow_partner_rules_and_are_not_writable(self):
        """A user of company D sees D's partners' segments only, and cannot forge a row of scores."""
        self.env["res.partner"]._rfm_recompute(REFERENCE)
        as_d = self.env["res.partner"].with_user(self.user_d)
        self.assertEqual(as_d.search([("rfm_segment", "=", "hibernating")] + self.mine),
                         self.partners[0] | self.partners[1])
        self.assertEqual(dict(as_d._read_group(self.mine, ["rfm_segment"], ["__count"]))["hibernating"], 2)
        Score = self.env["relationship.rfm.score"].with_user(self.user_d)
        self.assertEqual(Score.search([("partner_id", "in", (self.partners | self.g).ids)]).partner_id,
                         self.partners[:5], "company E's scores are not readable from company D")
        with self.assertRaises(AccessError):
            Score.create({"partner_id": self.partners[5].id, "segment": "champions"})
        with self.assertRaises(AccessError):
            Score.search([("partner_id", "=", self.partners[0].id)]).write({"segment": "champions"})
        with self.assertRaises(AccessError):
            Score.search([("partner_id", "=", self.partners[0].id)]).unlink()

    def test_figures_of_partner_columns_are_carried_over(self):
        """Development builds stored the figures on res_partner: an update moves them, then drops the columns.

        Moved as they were, the next run changes nothing and logs no transition.
        """
        Partner, Score = self.env["res.partner"], self.env["relationship.rfm.score"]
        Partner._rfm_recompute(REFERENCE)
        cr = self.env.cr
        cr.execute("""
            ALTER TABLE res_partner ADD COLUMN rfm_last_date date, ADD COLUMN rfm_frequency int,
                ADD COLUMN rfm_monetary float8, ADD COLUMN rfm_r_score int, ADD COLUMN rfm_f_score int,
                ADD COLUMN rfm_m_score int, ADD COLUMN rfm_segment varchar;
            UPDATE res_partner p SET rfm_last_date = s.last_date, rfm_frequency = s.frequency,
                   rfm_monetary = s.monetary, rfm_r_score = s.r_score, rfm_f_score = s.f_score,
                   rfm_m_score = s.m_score, rfm_segment = s.segment
              FROM relationship_rfm_score s WHERE s.partner_id = p.id;
            DELETE FROM relationship_rfm_score;
        """)
        Score.invalidate_model()
        Score.init()
        self.assertFalse(column_exists(cr, "res_partner", "rfm_segment"))
        self.assertFalse(column_exists(cr, "res_partner", "rfm_last_date"))
        Partner.invalidate_model()
        self.assertEqual(self.partners.mapped("rfm_segment"),
                         ["hibernating", "hibernating", "need_attention", "loyal", "champions", False])
        self.assertEqual(Partner._rfm_recompute(REFERENCE), (0, 0))
        Score.init()  # the columns are gone: nothing to do on the next update
        self.assertEqual(Score.search_count([("partner_id", "in", self.partners.ids)]), 5)
