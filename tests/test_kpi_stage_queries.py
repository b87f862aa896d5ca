import random
from datetime import date
from datetime import datetime
from datetime import timedelta

from odoo.tests import freeze_time

from .test_kpi_common import KpiCase

# Months and quarters around the random history below, one period before it and one after it.
PERIODS = [
    (date(2025, 1, 1), date(2025, 3, 31)), (date(2025, 4, 1), date(2025, 6, 30)),
    (date(2025, 7, 1), date(2025, 9, 30)), (date(2025, 10, 1), date(2025, 12, 31)),
    (date(2025, 5, 1), date(2025, 5, 31)), (date(2025, 6, 1), date(2025, 6, 30)),
    (date(2025, 8, 12), date(2025, 8, 12)), (date(2025, 2, 1), date(2026, 1, 31)),
    (date(2024, 1, 1), date(2024, 1, 31)), (date(2026, 2, 1), date(2026, 2, 28)),
]


class TestKpiStageQueries(KpiCase):
    """The stage figures against a count made by hand on random histories, and their query counts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Stage = cls.env["relationship.stage"]
        # a second customer stage (customer to customer is no change) and a second pipeline: measuring both,
        # a partner may be a customer twice at once
        cls.vip = Stage.create({"name": "VIP", "pipeline_id": cls.pipeline.id, "stage_type": "customer",
                                "sequence": 4})
        cls.second = cls.env["relationship.pipeline"].create({"name": "KPI second pipeline"})
        cls.second_open, cls.second_customer = Stage.create([
            {"name": "Trial", "pipeline_id": cls.second.id, "stage_type": "open", "sequence": 1},
            {"name": "Subscriber", "pipeline_id": cls.second.id, "stage_type": "customer", "sequence": 2},
        ])
        rng = random.Random(20)
        Partner = cls.env["res.partner"].with_context(relationship_no_pipeline=True)
        cls.random_partners = Partner.create([{"name": f"KPI random {index}"} for index in range(24)])
        first_day = datetime(2024, 12, 1, 9, 0)
        for partner in cls.random_partners:
            cls._random_path(partner, cls.pipeline, [cls.open, cls.customer, cls.lost, cls.vip], first_day, rng)
            if rng.random() < 0.4:
                cls._random_path(partner, cls.second, [cls.second_open, cls.second_customer], first_day, rng)
        # and moves exactly at the bounds of the quarters: leaving at a start, entering at a start or an end
        edges = Partner.create([{"name": f"KPI edge {index}"} for index in range(3)])
        for partner, moves in zip(edges, [
            [(cls.customer, "2025-01-15 10:00:00"), (cls.lost, "2025-04-01 00:00:00")],
            [(cls.open, "2025-02-01 10:00:00"), (cls.customer, "2025-07-01 00:00:00")],
            [(cls.customer, "2025-04-01 00:00:00"), (cls.lost, "2025-06-30 23:00:00"),
             (cls.vip, "2025-10-01 00:00:00")],
        ], strict=True):
            membership = cls.env["relationship.pipeline.membership"]
            for stage, when in moves:
                with freeze_time(when):
                    if membership:
                        membership.stage_id = stage
                    else:
                        membership = membership.create({"partner_id": partner.id, "stage_id": stage.id})
        cls.random_partners |= edges
        cls.random_domain = [("id", "in", cls.random_partners.ids)]

    @classmethod
    def _random_path(cls, partner, pipeline, stages, first_day, rng):
        """1 to 5 moves at random instants over 14 months, some exactly at midnight (a period's bound)."""
        instants = sorted(first_day + timedelta(days=rng.randint(0, 420), hours=rng.choice([0, -9, 3]))
                          for _move in range(rng.randint(1, 5)))
        membership = cls.env["relationship.pipeline.membership"]
        for instant in instants:
            stage = rng.choice(stages)
            with freeze_time(instant):
                if membership:
                    membership.stage_id = stage
                else:
                    membership = membership.create({"partner_id": partner.id, "pipeline_id": pipeline.id,
                                                    "stage_id": stage.id})
        if rng.random() < 0.2:  # removed from the pipeline: it stops being a customer there
            with freeze_time(instants[-1] + timedelta(days=30)):
                membership.action_archive()

    def _by_hand(self, pipelines, date_from, date_to):
        """S, E, N, L and the partners at both ends, read row by row from the history."""
        start = datetime.combine(date_from, datetime.min.time())
        end = datetime.combine(date_to + timedelta(days=1), datetime.min.time())
        rows = self.env["relationship.stage.history"].search([
            ("partner_id", "in", self.random_partners.ids), ("stage_type", "=", "customer"),
            ("pipeline_id", "in", pipelines.ids)])
        at_start = {row.partner_id.id for row in rows
                    if row.date_enter <= start and (not row.date_leave or row.date_leave > start)}
        at_end = {row.partner_id.id for row in rows
                  if row.date_enter < end and (not row.date_leave or row.date_leave >= end)}
        figures = {"S": len(at_start), "E": len(at_end), "N": len(at_end - at_start), "L": len(at_start - at_end)}
        return figures, at_start, at_end

    def test_figures_match_a_count_by_hand(self):
        """The lifecycle pipeline alone (the default), and both pipelines at once."""
        both = self.pipeline | self.second
        self.assertTrue(self.env["relationship.stage.history"].search_count([
            ("partner_id", "in", self.random_partners.ids), ("pipeline_id", "=", self.second.id)]))
        for pipelines, pipeline_ids in ((self.pipeline, None), (both, both.ids)):
            self._check_periods(pipelines, {"partner_domain": self.random_domain, "pipeline_ids": pipeline_ids})

    def _check_periods(self, pipelines, scope):
        Kpi = self.kpis["acquisition"]
        many = Kpi._stage_figures_many(PERIODS, **scope)
        self.assertTrue(any(figures["N"] and figures["L"] for figures in many), "the history moves both ways")
        # more periods than one query holds (two bits each in a bigint): split, same figures
        self.assertEqual(Kpi._stage_figures_many(PERIODS * 4, **scope), many * 4)
        for period, figures in zip(PERIODS, many, strict=True):
            expected, at_start, at_end = self._by_hand(pipelines, *period)
            self.assertEqual(figures, expected, period)
            self.assertEqual(Kpi._stage_figures(*period, **scope), expected, period)
            ids = {which: set(Kpi._stage_partner_ids(which, *period, **scope))
                   for which in ("start", "end", "new", "lost", "retained")}
            self.assertEqual(ids, {"start": at_start, "end": at_end, "new": at_end - at_start,
                                   "lost": at_start - at_end, "retained": at_start & at_end}, period)

    def test_one_query_for_any_number_of_periods_and_partners(self):
        Kpi = self.kpis["acquisition"]
        Kpi._stage_figures_many(PERIODS, partner_domain=self.random_domain)  # warm the caches
        self.env.flush_all()
        with self.assertQueryCount(1):
            small = Kpi._stage_figures_many(PERIODS, partner_domain=self.random_domain)
        more = self.env["res.partner"].with_context(relationship_no_pipeline=True).create(
            [{"name": f"KPI random bulk {index}"} for index in range(60)])
        with freeze_time("2025-03-01 10:00:00"):
            memberships = self.env["relationship.pipeline.membership"].create([
                {"partner_id": partner.id, "stage_id": self.customer.id} for partner in more])
        with freeze_time("2025-06-15 10:00:00"):
            memberships[:20].write({"stage_id": self.lost.id})
        everyone = [("id", "in", (self.random_partners | more).ids)]
        self.env.flush_all()
        with self.assertQueryCount(1):
            large = Kpi._stage_figures_many(PERIODS, partner_domain=everyone)
        # Q2 2025: the 60 became customers before it and 20 of them left in it
        self.assertEqual((large[1]["S"] - small[1]["S"], large[1]["L"] - small[1]["L"]), (60, 20))
