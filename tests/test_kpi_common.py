"""Fixtures shared by the KPI and goal tests (no test here)."""
from contextlib import contextmanager

from odoo.tests import freeze_time

from .common import RelationshipCase


@contextmanager
def raises(case, exception, pattern):
    """assertRaisesRegex inside a savepoint (Odoo's assertRaises), so a refused write leaves nothing behind."""
    with case.assertRaises(exception) as caught:
        yield caught
    case.assertRegex(str(caught.exception), pattern)


@freeze_time("2026-04-15 12:00:00")
class KpiCase(RelationshipCase):
    """The lifecycle pipeline of our own, and partners whose stage histories are written by real moves.

    Period used by most tests: 2026-01-01 .. 2026-03-31, i.e. from 2026-01-01 00:00 to 2026-04-01 00:00.
    - A: customer since 2025-06-01 -> customer at start and end
    - B: customer 2025-05-01, lost 2026-02-10 -> leaves (L)
    - C: open 2025-10-01, customer 2026-02-01 -> new (N)
    - D: customer 2025-03-01, lost 2026-01-15, customer again 2026-03-01 -> leaves and comes back
    - E: open since 2025-12-01 -> never a customer
    - F: open 2025-11-01, customer 2026-04-05 (after the period)
    - G: customer at exactly 2026-01-01 00:00 -> customer at the start (date_enter <= start)
    - H: customer on 2026-03-31 23:00 -> new (N)
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Stage = cls.env["relationship.stage"]
        cls.env.ref("customer_relationship.pipeline_customer_lifecycle").is_lifecycle = False
        cls.pipeline = cls.env["relationship.pipeline"].create({"name": "KPI test pipeline", "is_lifecycle": True})
        cls.other_pipeline = cls.env["relationship.pipeline"].create({"name": "KPI other pipeline"})
        cls.open, cls.customer, cls.lost = Stage.create([
            {"name": "Prospect", "pipeline_id": cls.pipeline.id, "stage_type": "open", "sequence": 1},
            {"name": "Customer", "pipeline_id": cls.pipeline.id, "stage_type": "customer", "sequence": 2},
            {"name": "Lost", "pipeline_id": cls.pipeline.id, "stage_type": "lost", "sequence": 3},
        ])
        cls.other_customer = Stage.create(
            {"name": "Other customer", "pipeline_id": cls.other_pipeline.id, "stage_type": "customer"})
        partners = cls.env["res.partner"].with_context(relationship_no_pipeline=True).create(
            [{"name": f"KPI partner {letter}", "company_id": cls.env.company.id} for letter in "ABCDEFGH"])
        cls.p = dict(zip("ABCDEFGH", partners, strict=True))
        cls.partners = partners
        opn, cus, lst = cls.open, cls.customer, cls.lost
        cls._history("A", [(cus, "2025-06-01")])
        cls._history("B", [(cus, "2025-05-01"), (lst, "2026-02-10")])
        cls._history("C", [(opn, "2025-10-01"), (cus, "2026-02-01")])
        cls._history("D", [(cus, "2025-03-01"), (lst, "2026-01-15"), (cus, "2026-03-01")])
        cls._history("E", [(opn, "2025-12-01")])
        cls._history("F", [(opn, "2025-11-01"), (cus, "2026-04-05")])
        cls._history("G", [(cus, "2026-01-01 00:00:00")])
        cls._history("H", [(cus, "2026-03-31 23:00:00")])
        cls.domain_all = [("id", "in", partners.ids)]
        cls.kpis = {key: cls.env.ref("customer_relationship.kpi_" + key) for key in (
            "acquisition", "retention_rate", "churn_rate", "growth_rate", "interaction_count")}

    @classmethod
    def _history(cls, letter, moves):
        """Move the partner through (stage, date) as users do: it joins the stage's pipeline at the first date."""
        Membership = cls.env["relationship.pipeline.membership"]
        membership = Membership.browse()
        for stage, date in moves:
            with freeze_time(date if " " in date else date + " 09:00:00"):
                if membership:
                    membership.stage_id = stage
                else:
                    membership = Membership.create({"partner_id": cls.p[letter].id, "stage_id": stage.id})
        return membership
