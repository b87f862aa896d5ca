from odoo.exceptions import UserError
from odoo.fields import Date
from odoo.tests import freeze_time

from .test_kpi_common import KpiCase
from .test_kpi_common import raises

Q1 = ("2026-01-01", "2026-03-31")


class TestKpiBuiltin(KpiCase):

    def value(self, key, period=Q1, domain=None, **kwargs):
        return self.kpis[key].compute_value(*period, partner_domain=domain or self.domain_all, **kwargs)

    def test_stage_figures_by_hand(self):
        # start customers: A, B, D (left 01-15 but after the start), G (entered exactly at the start) -> S = 4
        # end customers: A, C, D (came back 03-01), G, H -> E = 5; new: C, H -> N = 2; lost: B -> L = 1
        figures = self.kpis["acquisition"]._stage_figures(*map(Date.to_date, Q1), partner_domain=self.domain_all)
        self.assertEqual(figures, {"S": 4, "E": 5, "N": 2, "L": 1})
        self.assertEqual(self.value("acquisition"), 2.0)
        self.assertAlmostEqual(self.value("retention_rate"), (4 - 1) / 4 * 100)  # 75.0
        self.assertAlmostEqual(self.value("churn_rate"), 1 / 4 * 100)  # 25.0
        self.assertAlmostEqual(self.value("growth_rate"), (5 - 4) / 4 * 100)  # 25.0

    def test_partner_who_leaves_and_comes_back(self):
        only_d = [("id", "=", self.p["D"].id)]
        # within Q1 D leaves and comes back: customer at both ends, neither new nor lost
        self.assertEqual(self.value("acquisition", domain=only_d), 0.0)
        self.assertEqual(self.value("retention_rate", domain=only_d), 100.0)
        self.assertEqual(self.value("churn_rate", domain=only_d), 0.0)
        # January only: D is lost on 01-15 -> churn 100 %
        self.assertEqual(self.value("churn_rate", ("2026-01-01", "2026-01-31"), only_d), 100.0)
        # February to March: D comes back -> acquired again; S = 0 so the rates are 0.0
        self.assertEqual(self.value("acquisition", ("2026-02-01", "2026-03-31"), only_d), 1.0)
        self.assertEqual(self.value("growth_rate", ("2026-02-01", "2026-03-31"), only_d), 0.0)

    def test_no_customer_at_start(self):
        # 2025 Q1: nobody is a customer on 2025-01-01; D becomes one on 2025-03-01 -> S = 0, E = 1, N = 1
        period = ("2025-01-01", "2025-03-31")
        self.assertEqual(self.value("acquisition", period), 1.0)
        for key in ("retention_rate", "churn_rate", "growth_rate"):
            self.assertEqual(self.value(key, period), 0.0, key)

    def test_partner_domain(self):
        abc = [("id", "in", (self.p["A"] | self.p["B"] | self.p["C"]).ids)]
        # S = A, B (2); E = A, C (2); N = C (1); L = B (1)
        self.assertEqual(self.value("acquisition", domain=abc), 1.0)
        self.assertEqual(self.value("retention_rate", domain=abc), 50.0)
        self.assertEqual(self.value("churn_rate", domain=abc), 50.0)
        self.assertEqual(self.value("growth_rate", domain=abc), 0.0)
        # an archived partner keeps counting
        self.p["B"].action_archive()
        self.assertEqual(self.value("churn_rate", domain=abc), 50.0)
        # a filter on another field than the id
        self.assertEqual(self.value("acquisition", domain=[("name", "in", ["KPI partner C", "KPI partner E"])]), 1.0)

    def test_pipeline_scope(self):
        # C also becomes a customer of another pipeline on 2026-02-15; A joins it on 2026-03-01 (open)
        with freeze_time("2026-02-15 09:00:00"):
            self.env["relationship.pipeline.membership"].create(
                {"partner_id": self.p["C"].id, "stage_id": self.other_customer.id})
        self.assertEqual(self.value("acquisition", pipeline_ids=self.other_pipeline.ids), 1.0)
        self.assertEqual(self.value("acquisition", pipeline_ids=self.pipeline.ids), 2.0)
        # the lifecycle pipeline by default; C counts once when both pipelines are measured
        self.assertEqual(self.value("acquisition"), 2.0)
        self.assertEqual(self.value("acquisition", pipeline_ids=(self.pipeline | self.other_pipeline).ids), 2.0)

    def test_another_pipeline_never_changes_the_lifecycle_figures(self):
        """The issue's case: two customers put into a renewal pipeline stayed customers of the lifecycle."""
        before = {key: self.value(key) for key in ("acquisition", "retention_rate", "churn_rate", "growth_rate")}
        with freeze_time("2026-02-20 09:00:00"):
            self.env["relationship.pipeline.membership"].create([
                {"partner_id": self.p[letter].id, "pipeline_id": self.other_pipeline.id} for letter in "AG"])
        after = {key: self.value(key) for key in before}
        self.assertEqual(after, before)
        self.assertEqual(after, {"acquisition": 2.0, "retention_rate": 75.0, "churn_rate": 25.0, "growth_rate": 25.0})

    def test_a_partner_removed_from_the_pipeline_stops_being_a_customer(self):
        member_a = self.p["A"].relationship_membership_ids
        with freeze_time("2026-03-10 09:00:00"):
            member_a.action_archive()
        # S = A, B, D, G (4); E = C, D, G, H (4): A and B lost -> L = 2, N = 2
        figures = self.kpis["acquisition"]._stage_figures(*map(Date.to_date, Q1), partner_domain=self.domain_all)
        self.assertEqual(figures, {"S": 4, "E": 4, "N": 2, "L": 2})
        self.assertEqual(self.value("churn_rate"), 50.0)
        self.assertEqual(self.value("retention_rate"), 50.0)
        self.assertEqual(self.value("growth_rate"), 0.0)
        # a customer until the instant it left: March 1-9 it is still kept
        self.assertEqual(self.value("churn_rate", ("2026-03-01", "2026-03-09"), [("id", "=", self.p["A"].id)]), 0.0)
        self.assertEqual(self.value("churn_rate", ("2026-03-01", "2026-03-10"), [("id", "=", self.p["A"].id)]),
                         100.0)

    def test_partners_behind_each_figure(self):
        kpi = self.kpis["acquisition"]
        period = tuple(map(Date.to_date, Q1))
        ids = {which: kpi._stage_partner_ids(which, *period, partner_domain=self.domain_all)
               for which in ("start", "end", "new", "lost", "retained")}
        p = self.p
        self.assertEqual(ids["start"], sorted((p["A"] | p["B"] | p["D"] | p["G"]).ids))
        self.assertEqual(ids["end"], sorted((p["A"] | p["C"] | p["D"] | p["G"] | p["H"]).ids))
        self.assertEqual(ids["new"], sorted((p["C"] | p["H"]).ids))
        self.assertEqual(ids["lost"], p["B"].ids)
        self.assertEqual(ids["retained"], sorted((p["A"] | p["D"] | p["G"]).ids))

    def test_company_scope(self):
        # the rows carry the partners' company (the current one): another company's goals do not see them
        other_company = self.env["res.company"].create({"name": "KPI other company"})
        self.assertEqual(self.value("acquisition", company_ids=self.env.company.ids), 2.0)
        self.assertEqual(self.value("acquisition", company_ids=other_company.ids), 0.0)
        # a partner moving to the other company takes its history along
        self.p["C"].company_id = other_company
        self.assertEqual(self.value("acquisition", company_ids=self.env.company.ids), 1.0)
        self.assertEqual(self.value("acquisition", company_ids=other_company.ids), 1.0)

    def test_interaction_count(self):
        company = self.env["res.partner"].with_context(relationship_no_pipeline=True).create(
            {"name": "KPI company", "is_company": True})
        contact = self.env["res.partner"].create({"name": "KPI contact", "parent_id": company.id})
        Interaction = self.env["relationship.interaction"]
        a = self.p["A"]
        Interaction.create([
            {"partner_id": a.id, "subject": "first minute", "date": "2026-01-01 00:00:00"},
            {"partner_id": a.id, "subject": "last minute", "date": "2026-03-31 23:59:59"},
            {"partner_id": a.id, "subject": "before", "date": "2025-12-31 23:59:59"},
            {"partner_id": a.id, "subject": "after", "date": "2026-04-01 00:00:00"},
            {"partner_id": contact.id, "subject": "contact", "date": "2026-02-01 10:00:00"},
        ])
        self.assertEqual(self.value("interaction_count", domain=[("id", "=", a.id)]), 2.0)
        # a company counts its contacts' interactions
        self.assertEqual(self.value("interaction_count", domain=[("id", "=", company.id)]), 1.0)
        self.assertEqual(self.value("interaction_count", domain=[("id", "in", (a | company).ids)]), 3.0)
        self.assertEqual(self.value("interaction_count", domain=[("id", "=", self.p["B"].id)]), 0.0)

    def test_period_must_not_end_before_start(self):
        with raises(self, UserError, "cannot end"):
            self.kpis["acquisition"].compute_value("2026-02-01", "2026-01-31")

    def test_fixed_number_of_queries(self):
        """One query per built-in KPI, for 8 partners as for 80."""
        kpis = self.kpis.values()
        for kpi in kpis:
            kpi.compute_value(*Q1, partner_domain=self.domain_all)  # warm the caches
        self.env.flush_all()
        for kpi in kpis:
            with self.assertQueryCount(1):
                kpi.compute_value(*Q1, partner_domain=self.domain_all)
        more = self.env["res.partner"].with_context(relationship_no_pipeline=True).create(
            [{"name": f"KPI bulk {i}"} for i in range(72)])
        with freeze_time("2025-12-01 10:00:00"):
            self.env["relationship.pipeline.membership"].create([
                {"partner_id": partner.id, "stage_id": self.customer.id} for partner in more])
        everyone = [("id", "in", (self.partners | more).ids)]
        self.env.flush_all()
        for kpi in kpis:
            with self.assertQueryCount(1):
                kpi.compute_value(*Q1, partner_domain=everyone)
        # the 72 customers since December are customers at both ends: S = 4 + 72, L = 1
        self.assertAlmostEqual(self.kpis["churn_rate"].compute_value(*Q1, partner_domain=everyone), 1 / 76 * 100)
