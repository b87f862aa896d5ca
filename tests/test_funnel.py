from datetime import datetime
from datetime import timedelta

from odoo.tests import freeze_time

from .test_pipeline_stages import PipelineCase

MEASURES = ["entered_count:sum", "progressed_count:sum", "conversion:avg", "lost_count:sum", "days_in_stage:avg",
            "stale_count:sum", "partner_id:count_distinct"]


class FunnelStoryCase(PipelineCase):
    """The hand-built history the funnel tests read (no test here)."""

    def _story(self):
        """4 partners enter New; 3 go on (2 to Talk, 1 straight to Won); 1 of Talk goes on to Won; 1 falls
        back; then c churns (Won -> Gone). Open rows count their days up to the database clock, so the
        story is told up to today."""
        day0 = datetime.now().replace(microsecond=0) - timedelta(days=20)
        with freeze_time(day0):
            a, b, c, d = self._partners(4)
        with freeze_time(day0 + timedelta(days=2)):
            (a | b).write({"stage_id": self.talk.id})
            c.stage_id = self.won
        with freeze_time(day0 + timedelta(days=6)):
            a.stage_id = self.won
            b.stage_id = self.new
        with freeze_time(day0 + timedelta(days=10)):
            c.stage_id = self.gone
        return a, b, c, d


class TestFunnel(FunnelStoryCase):
    def _figures(self, pipeline=None):
        self.env.flush_all()
        rows = self.env["relationship.funnel.report"]._read_group(
            [("pipeline_id", "=", (pipeline or self.pipeline).id)], ["stage_id"], MEASURES)
        # open rows count up to the database clock: two reads a moment apart differ by microseconds
        return {stage.name: [round(v, 4) if isinstance(v, float) else v for v in values] for stage, *values in rows}

    def test_funnel_figures_on_a_hand_built_history(self):
        self._story()
        figures = self._figures()
        # New: a, b, c, d entered, then b again -> 5 entries by 4 partners; a, b, c went on (3 of 5 = 60 %).
        # Days: a 2, b 2, c 2, d 20 (still there), b again 14 (still there) -> 40 / 5 = 8.
        # Stale (10 days allowed): d and b, still in New after 20 and 14 days.
        self.assertEqual(figures["New"][:4], [5, 3, 60.0, 0])
        self.assertAlmostEqual(figures["New"][4], 8.0, places=2)
        self.assertEqual(figures["New"][5:], [2, 4])
        # Talk: a and b entered; a went on to Won, b went back -> 50 %; 4 days each.
        self.assertEqual(figures["Talk"][:4], [2, 1, 50.0, 0])
        self.assertAlmostEqual(figures["Talk"][4], 4.0, places=2)
        # Won: c (8 days, then churned: lost, not "went on") and a (14 days so far).
        self.assertEqual(figures["Won"][:4], [2, 0, 0.0, 1])
        self.assertAlmostEqual(figures["Won"][4], 11.0, places=2)
        # Gone: c since 10 days; nothing after a lost stage.
        self.assertEqual(figures["Gone"][:4], [1, 0, 0.0, 0])

    def test_reordering_stages_does_not_change_past_figures(self):
        self._story()
        before = self._figures()
        # Talk now comes after Won: the moves already made keep the order they were made in
        self.talk.sequence = 5
        self.env.invalidate_all()
        self.assertEqual(self._figures(), before)

    def test_pipelines_apart_and_lifecycle_by_default(self):
        self._story()
        partner = self.env["res.partner"].with_context(relationship_no_pipeline=True).create({"name": "Onboarded"})
        onboarding = self._join(partner, self.other)
        onboarding.stage_id = self.live
        self.assertEqual(set(self._figures(self.other)), {"Kickoff", "Live"})
        self.assertEqual(self._figures(self.other)["Kickoff"][:3], [1, 1, 100.0])
        # the menu opens the lifecycle pipeline's funnel, stage by stage, not pipeline totals
        action = self.env.ref("customer_relationship.action_relationship_funnel_report")
        self.assertIn("'search_default_lifecycle': 1", action.context)
        self._make_lifecycle(self.pipeline)
        self.env.flush_all()
        Report = self.env["relationship.funnel.report"]
        lifecycle_rows = Report.search([("is_lifecycle", "=", True)])
        self.assertEqual(lifecycle_rows.pipeline_id, self.pipeline)
        pivot = Report.get_views([(False, "pivot")])["views"]["pivot"]["arch"]
        self.assertIn('<field name="stage_id" type="row"/>', pivot)
        self.assertNotIn('name="pipeline_id"', pivot)
        graph = Report.get_views([(False, "graph")])["views"]["graph"]["arch"]
        self.assertNotIn("order=", graph, "bars follow the stage order, not the counts")
        # stages read in sequence order: the graph's groups
        groups = Report.read_group([("pipeline_id", "=", self.pipeline.id)], ["entered_count:sum"], ["stage_id"])
        self.assertEqual([g["stage_id"][1] for g in groups], ["New", "Talk", "Won", "Gone"])

    def test_funnel_filters_by_period_and_tag(self):
        tag = self.env["res.partner.category"].create({"name": "VIP Funnel"})
        with freeze_time("2026-01-01 00:00:00"):
            vip = self._partners(1, category_id=[(6, 0, tag.ids)])
            self._partners(1)
        with freeze_time("2026-02-01 00:00:00"):
            vip.stage_id = self.talk
        Report = self.env["relationship.funnel.report"]
        self.env.flush_all()
        self.assertEqual(Report.search_count([("pipeline_id", "=", self.pipeline.id),
                                              ("partner_id.category_id", "in", tag.ids)]), 2)
        self.assertEqual(Report.search_count([("pipeline_id", "=", self.pipeline.id),
                                              ("date_enter", ">=", "2026-01-15")]), 1)
