from datetime import datetime
from datetime import timedelta

from odoo.fields import Date
from odoo.tests import freeze_time

from .test_kpi_common import KpiCase
from .test_pipeline_stages import PipelineCase

MEASURES = ["entered_count:sum", "progressed_count:sum", "conversion:avg", "lost_count:sum", "loss_rate:avg",
            "days_in_stage:avg", "stale_count:sum"]


class TestFunnelBySource(PipelineCase):
    """Partners carry a UTM source; the funnel analysis splits by it, at a fixed number of queries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Source = cls.env["utm.source"]
        cls.search_engine, cls.referral = Source.create([{"name": "CR test search"}, {"name": "CR test referral"}])

    def _story(self, count=1):
        """Per ``count``: 3 partners from search (1 won, 1 lost after winning, 1 still new, stale), 2 from
        referrals (both won), 1 without a source (still talking)."""
        day0 = datetime.now().replace(microsecond=0) - timedelta(days=30)
        with freeze_time(day0):
            search = self._partners(3 * count, source_id=self.search_engine.id)
            referral = self._partners(2 * count, source_id=self.referral.id)
            unknown = self._partners(count)
        with freeze_time(day0 + timedelta(days=4)):
            (search[:2 * count] | referral).write({"stage_id": self.won.id})
            unknown.stage_id = self.talk
        with freeze_time(day0 + timedelta(days=10)):
            search[count:2 * count].write({"stage_id": self.gone.id})
        self.env.flush_all()

    def _by_source(self, domain=()):
        rows = self.env["relationship.funnel.report"]._read_group(
            [("pipeline_id", "=", self.pipeline.id), *domain], ["source_id"], MEASURES)
        return {source.name or "none": [round(v, 2) if isinstance(v, float) else v for v in values]
                for source, *values in rows}

    def test_the_partner_form_and_search_offer_the_source(self):
        Partner = self.env["res.partner"]
        form = Partner.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="source_id"', form)
        search = Partner.get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn("'group_by': 'source_id'", search)
        self.assertTrue(Partner._fields["source_id"].index)
        self._story()
        self.assertEqual(Partner.search_count([("source_id", "=", self.referral.id)]), 2)

    def test_funnel_split_by_source(self):
        self._story()
        # New only (conversion of entering partners, before they went anywhere): 3 search partners entered New,
        # 2 went on to Won (66.67 %); both referrals went on (100 %); the one without a source went to Talk.
        figures = self._by_source([("stage_id", "=", self.new.id)])
        self.assertEqual({name: values[:5] for name, values in figures.items()}, {
            "CR test search": [3, 2, 66.67, 0, 0.0],
            "CR test referral": [2, 2, 100.0, 0, 0.0],
            "none": [1, 1, 100.0, 0, 0.0],
        })
        # the search partner still in New is stale (10 days allowed, 30 spent)
        self.assertEqual(figures["CR test search"][6], 1)
        self.assertEqual(figures["CR test referral"][6], 0)
        # Won: search 2 entered, 1 went to Gone (50 % lost); referral 2 entered, none lost
        won = self._by_source([("stage_id", "=", self.won.id)])
        self.assertEqual(won["CR test search"][:5], [2, 0, 0.0, 1, 50.0])
        self.assertEqual(won["CR test referral"][:5], [2, 0, 0.0, 0, 0.0])
        # days in stage: referrals won on day 4 and are still there (26 days): 26.0
        self.assertAlmostEqual(won["CR test referral"][5], 26.0, places=1)

    def test_counted_measures_equal_the_rows_summed_and_averaged(self):
        """The pivot counts flags instead of summing the rows' numbers: the figures are the same."""
        self._story(2)
        Report = self.env["relationship.funnel.report"]
        domain = [("pipeline_id", "=", self.pipeline.id)]
        rows = Report.search_read(domain, ["stage_id", *{spec.split(":")[0] for spec in MEASURES}])
        for stage, *values in Report._read_group(domain, ["stage_id"], MEASURES):
            mine = [row for row in rows if row["stage_id"][0] == stage.id]
            for spec, value in zip(MEASURES, values, strict=True):
                name, aggregator = spec.split(":")
                column = [row[name] for row in mine]
                expected = sum(column) if aggregator == "sum" else sum(column) / len(column)
                self.assertAlmostEqual(value, expected, places=2, msg=f"{stage.name} {spec}")
        # no row at all: counts are 0 and rates are empty, not a division by zero
        [empty] = Report._read_group([("id", "=", 0)], [], MEASURES)
        self.assertEqual(empty[:2], (0, 0))
        self.assertFalse(empty[2])

    def test_funnel_queries_do_not_grow_with_the_data(self):
        Report = self.env["relationship.funnel.report"]
        self._story(1)
        Report._read_group([], ["stage_id", "source_id"], MEASURES)  # warm the caches
        with self.assertQueryCount(1):
            Report._read_group([], ["pipeline_id", "stage_id"], MEASURES)
        self._story(10)
        with self.assertQueryCount(1):
            Report._read_group([], ["pipeline_id", "stage_id"], MEASURES)
        with self.assertQueryCount(1):
            Report._read_group([], ["source_id"], MEASURES)


class TestAcquisitionBySource(KpiCase):
    """The acquisition KPI of one source: its partner filter (as a goal's partner filter gives it)."""

    def test_acquisition_of_one_source(self):
        Source = self.env["utm.source"]
        linkedin, fair = Source.create([{"name": "CR test LinkedIn"}, {"name": "CR test fair"}])
        # Q1 new customers are C and H (test_kpi_common); C came from LinkedIn, H from the fair, A too
        self.p["C"].source_id = linkedin
        (self.p["H"] | self.p["A"]).source_id = fair
        acquisition = self.kpis["acquisition"]
        self.assertEqual(acquisition.compute_value("2026-01-01", "2026-03-31",
                                                   partner_domain=[("source_id", "=", linkedin.id)]), 1.0)
        self.assertEqual(acquisition.compute_value("2026-01-01", "2026-03-31",
                                                   partner_domain=[("source_id", "=", fair.id)]), 1.0)
        self.assertEqual(acquisition._stage_figures(Date.to_date("2026-01-01"), Date.to_date("2026-03-31"),
                                                    partner_domain=[("source_id", "=", fair.id)]),
                         {"S": 1, "E": 2, "N": 1, "L": 0})
        # a goal counts the customers won from one source
        goal = self.env["relationship.goal"].create({
            "name": "Customers from LinkedIn", "kpi_id": acquisition.id, "target_value": 3,
            "date_start": "2026-01-01", "date_deadline": "2026-03-31",
            "partner_domain": f"[('source_id', '=', {linkedin.id})]"})
        self.assertEqual(goal._partner_domain_list(), [("source_id", "=", linkedin.id)])
        self.assertEqual(acquisition.compute_value(goal.date_start, goal.date_deadline,
                                                   partner_domain=goal._partner_domain_list()), 1.0)
