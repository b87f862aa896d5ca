from datetime import datetime
from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import freeze_time

from .test_funnel import FunnelStoryCase
from .test_pipeline_stages import PipelineCase


class TestLifecycleFlag(PipelineCase):
    """The lifecycle stage read from the flagged membership: same choice, searches and group-bys as a column."""

    def _flagged(self, partners):
        self.env.flush_all()
        return self.Membership.with_context(active_test=False).search(
            [("partner_id", "in", partners.ids), ("is_current_lifecycle", "=", True)])

    def test_own_company_lifecycle_first_then_order(self):
        self._make_lifecycle(self.pipeline)
        company2 = self.env["res.company"].create({"name": "Second Lifecycle Co"})
        second = self.env["relationship.pipeline"].create({
            "name": "Second Lifecycle", "company_id": company2.id, "is_lifecycle": True,
            "stage_ids": [(0, 0, {"name": "Prospect", "sequence": 1})]})
        partner = self.env["res.partner"].with_context(relationship_no_pipeline=True).create(
            {"name": "Of the second company", "company_id": company2.id})
        self._join(partner, self.pipeline, self.won)
        other = self._join(partner, second)
        self.assertEqual(partner.relationship_stage_id, other.stage_id, "its own company's lifecycle first")
        self.assertEqual(self._flagged(partner), other)
        partner.company_id = self.env.company
        self.assertEqual(partner.relationship_stage_id, self.won)
        self.assertEqual(len(self._flagged(partner)), 1)
        # a partner of no company in both: the memberships' order (priority first)
        partner.company_id = False
        other.priority = "3"
        self.assertEqual(partner.relationship_stage_id, other.stage_id)
        # the pipeline stops being a lifecycle: the other one gives the stage
        second.is_lifecycle = False
        self.assertEqual(partner.relationship_stage_id, self.won)
        self.assertEqual(self._flagged(partner).pipeline_id, self.pipeline)

    def test_archiving_and_deleting_move_the_flag(self):
        self._make_lifecycle(self.pipeline)
        member = self._partners(1)
        partner = member.partner_id
        member.action_archive()
        self.assertFalse(partner.relationship_stage_id)
        self.assertFalse(self._flagged(partner))
        member.action_unarchive()
        self.assertEqual(partner.relationship_stage_id, self.new)
        member.unlink()
        self.assertFalse(partner.relationship_stage_id)

    def test_search_group_and_order_as_a_column(self):
        self._make_lifecycle(self.pipeline)
        new, won = self._partners(2)
        won.stage_id = self.won
        outside = self.env["res.partner"].with_context(relationship_no_pipeline=True).create({"name": "Outside"})
        partners = new.partner_id | won.partner_id | outside
        Partner = self.env["res.partner"].with_context(active_test=False)
        scope = [("id", "in", partners.ids)]

        def found(domain):
            return Partner.search(scope + domain)

        self.assertEqual(found([("relationship_stage_id", "=", self.won.id)]), won.partner_id)
        self.assertEqual(found([("relationship_stage_id", "=", False)]), outside)
        self.assertEqual(found([("relationship_stage_id", "!=", False)]), new.partner_id | won.partner_id)
        self.assertEqual(found([("relationship_stage_id", "!=", self.new.id)]), won.partner_id | outside)
        self.assertEqual(found([("relationship_stage_id.stage_type", "=", "customer")]), won.partner_id)
        self.assertEqual(found([("relationship_stage_type", "=", "customer")]), won.partner_id)
        counts = dict(Partner._read_group(scope, ["relationship_stage_id"], ["__count"]))
        self.assertEqual(counts, {self.new: 1, self.won: 1, self.env["relationship.stage"]: 1})
        ordered = Partner.search(scope, order="relationship_stage_id, id")
        self.assertEqual(ordered.mapped("relationship_stage_id"), self.new | self.won)
        self.assertEqual(ordered[-1], outside, "no stage sorts last, as an empty column does")

    def test_the_flag_is_not_written_by_users(self):
        self._make_lifecycle(self.pipeline)
        member = self._partners(1)
        for user in (self.user_rel, self.user_manager):
            with self.assertRaisesRegex(UserError, "lifecycle stage follows"):
                member.with_user(user).write({"is_current_lifecycle": False})
            with self.assertRaisesRegex(UserError, "lifecycle stage follows"):
                self.Membership.with_user(user).create({
                    "partner_id": self.env["res.partner"].create({"name": "X"}).id,
                    "pipeline_id": self.other.id, "is_current_lifecycle": True})
        self.assertTrue(self._flagged(member.partner_id))

    def test_an_employee_without_pipeline_rights_reads_the_stage(self):
        # the stage was a column of the partner: whoever reads the partner reads it
        self._make_lifecycle(self.pipeline)
        member = self._partners(1)
        partner = member.partner_id.with_user(self.user_internal)
        self.assertEqual(partner.relationship_stage_id.id, self.new.id)
        self.assertEqual(partner.search_count([("id", "=", partner.id), ("relationship_stage_id", "=", self.new.id)]),
                         1)


class TestStaleDate(PipelineCase):
    """The funnel's stale count reads the stored date a row goes stale, kept right as rows close and SLAs change."""

    def _stale(self):
        self.env.flush_all()
        rows = self.env["relationship.funnel.report"]._read_group(
            [("pipeline_id", "=", self.pipeline.id)], ["stage_id"], ["stale_count:sum"])
        return {stage.name: count for stage, count in rows}

    def test_stale_date_follows_moves_and_sla_changes(self):
        entered = datetime.now().replace(microsecond=0) - timedelta(days=20)
        with freeze_time(entered):
            a, b, c = self._partners(3)
        rows = self.env["relationship.stage.history"].search([("membership_id", "in", (a | b | c).ids)])
        self.assertEqual(set(rows.mapped("date_stale")), {entered + timedelta(days=10)})
        self.assertEqual(self._stale()["New"], 3)
        c.stage_id = self.talk  # Talk has no SLA; the closed New row is stale no more
        self.assertFalse(rows.filtered(lambda r: r.membership_id == c).date_stale)
        self.assertEqual(self._stale(), {"New": 2, "Talk": 0})
        self.new.sla_days = 30
        self.assertEqual(self._stale(), {"New": 0, "Talk": 0})
        self.assertEqual(set(rows.filtered("date_leave").mapped("date_stale")), {False})
        self.talk.sla_days = 1
        self.assertEqual(self._stale(), {"New": 0, "Talk": 0}, "c entered Talk just now")
        self.new.sla_days = 5
        self.assertEqual(self._stale(), {"New": 2, "Talk": 0})
        # the report's list filter reads the same date
        self.assertEqual(self.env["relationship.funnel.report"].search_count(
            [("pipeline_id", "=", self.pipeline.id), ("stale_count", "=", 1)]), 2)
        # every stored date equals its computation from scratch
        stored = {row.id: row.date_stale for row in rows}
        rows.invalidate_recordset(["date_stale"])
        self.env.add_to_compute(rows._fields["date_stale"], rows)
        self.assertEqual({row.id: row.date_stale for row in rows}, stored)


class TestFunnelSummary(FunnelStoryCase):
    """The pivot as it opens reads relationship.funnel.summary: its figures equal a recount of the rows."""

    MEASURES = ["__count", "entered_count:sum", "progressed_count:sum", "conversion:avg", "lost_count:sum",
                "loss_rate:avg", "days_in_stage:avg", "stale_count:sum"]

    def _both(self, domain=(), groupby=("pipeline_id", "stage_id")):
        """(from the summary, from the rows) for the same question."""
        Report = self.env["relationship.funnel.report"]
        self.assertTrue(Report._summary_serves(list(domain), groupby, self.MEASURES, ()))
        summary = Report._read_group(list(domain), list(groupby), self.MEASURES)
        # the same question the summary cannot answer (a filter on the entry date, true for every row)
        rows = Report._read_group([*domain, ("date_enter", "!=", False)], list(groupby), self.MEASURES)

        def rounded(result):
            return [tuple(round(v, 4) if isinstance(v, float) else v for v in row) for row in result]
        return rounded(summary), rounded(rows)

    def _assert_recount(self, **kwargs):
        summary, rows = self._both(**kwargs)
        self.assertEqual(summary, rows)
        return summary

    def test_summary_follows_moves_closes_deletes_and_companies(self):
        a, b, _c, d = self._story()
        figures = {stage.name: (count, went_on, conversion)
                   for _pipeline, stage, count, _entered, went_on, conversion, *_rest in self._assert_recount()}
        self.assertEqual(figures["New"], (5, 3, 60.0))  # as TestFunnel reads it from the rows
        b.action_archive()  # leaving closes the row
        d.partner_id.unlink()  # its rows go
        company2 = self.env["res.company"].create({"name": "Funnel Summary Co"})
        a.partner_id.company_id = company2  # the rows follow the partner's company
        self._assert_recount(groupby=("pipeline_id", "stage_id", "company_id"))
        self._assert_recount(domain=[("company_id", "=", company2.id)], groupby=("stage_id",))
        self.new.sla_days = 2
        self._assert_recount(domain=[("pipeline_id", "=", self.pipeline.id)], groupby=("stage_id",))
        # folded into one row per key, the figures stay
        before = self._both()[0]
        self.env["relationship.funnel.summary"]._cron_fold()
        self.assertEqual(self._both()[0], before)
        self.env.cr.execute("SELECT pipeline_id, stage_id, company_id, COUNT(*) FROM relationship_funnel_summary "
                            "GROUP BY 1, 2, 3 HAVING COUNT(*) > 1")
        self.assertFalse(self.env.cr.fetchall())

    def test_a_stage_rule_back_fill_is_summed_too(self):
        self._make_lifecycle(self.pipeline)
        partners = self.env["res.partner"].with_context(relationship_no_pipeline=True).create(
            [{"name": f"Rule {index}"} for index in range(5)])
        self.env.flush_all()
        # the rules' SQL inserts memberships and history rows: the triggers see them as the ORM's
        self.env.cr.execute("""
            INSERT INTO relationship_stage_history (partner_id, pipeline_id, stage_id, stage_type, date_enter,
                                                    duration_days, progressed, moved_to_lost, company_id)
            SELECT id, %s, %s, 'customer', NOW() AT TIME ZONE 'UTC' - INTERVAL '3 days', 0, FALSE, FALSE, company_id
              FROM res_partner WHERE id IN %s
        """, (self.pipeline.id, self.won.id, tuple(partners.ids)))
        summary = self._assert_recount(domain=[("is_lifecycle", "=", True)], groupby=("stage_id",))
        self.assertEqual(summary[0][1], 5)

    def test_other_questions_read_the_rows(self):
        Report = self.env["relationship.funnel.report"]
        measures = ["entered_count:sum"]
        self.assertFalse(Report._summary_serves([("date_enter", ">=", "2026-01-01")], ["stage_id"], measures, ()))
        self.assertFalse(Report._summary_serves([], ["date_enter:month"], measures, ()))
        self.assertFalse(Report._summary_serves([], ["stage_id"], ["partner_id:count_distinct"], ()))
        self.assertFalse(Report._summary_serves([("partner_id.name", "=", "x")], ["stage_id"], measures, ()))
        self.assertTrue(Report._summary_serves([("is_lifecycle", "=", True)], ["stage_id"], measures, ()))
        # the multi-company rule names the company only: a user's pivot reads the summary too
        self.assertTrue(Report.with_user(self.user_rel)._summary_serves([], ["stage_id"], measures, ()))

    def test_a_user_sees_only_the_companies_rows(self):
        company2 = self.env["res.company"].create({"name": "Hidden Funnel Co"})
        self._partners(2)
        self._partners(3, company_id=company2.id)
        Report = self.env["relationship.funnel.report"].with_user(self.user_rel)
        self.env.flush_all()
        counts = dict(Report._read_group([("pipeline_id", "=", self.pipeline.id)], ["stage_id"], ["__count"]))
        self.assertEqual(counts, {self.new: 2})
