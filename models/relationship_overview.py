from collections import Counter
from datetime import datetime
from datetime import time
from datetime import timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL
from odoo.tools import date_utils

# The Overview's KPI tiles, in display order: xml id of the built-in KPI, and the partners its figure counts
# (the keys of relationship.kpi's stage sets), so each tile opens exactly those partners.
KPI_TILES = [
    ("kpi_acquisition", "new"),
    ("kpi_retention_rate", "retained"),
    ("kpi_churn_rate", "lost"),
    ("kpi_growth_rate", "end"),
]
TREND_MONTHS = 12
WEEKS = 12
LIST_LIMIT = 5
GDPR_SOON_DAYS = 7


class RelationshipOverview(models.AbstractModel):
    """The Relationship Overview: the whole dashboard in one call, computed with the caller's rights.

    Every figure comes with the model and domain of the records behind it, so the client opens exactly them.
    The number of queries does not depend on the amount of data (tests/test_overview.py counts them).
    """

    _name = "relationship.overview"
    _description = "Relationship Overview"

    @api.model
    def get_dashboard(self):
        """Everything the Overview shows. Each section is left out when the user may not read its records."""
        today = fields.Date.context_today(self)
        return {
            "today": fields.Date.to_string(today),
            "tiles": self._tiles(today),
            "funnel": self._funnel(),
            "interactions": self._interactions(today),
            "attention": self._attention(),
            "gdpr": self._gdpr(today),
            "goals": self._goals(),
            "segments": self._segments(today),
        }

    # ------------------------------------------------------------------
    # KPI tiles
    # ------------------------------------------------------------------
    @api.model
    def _periods(self, today):
        """This quarter so far, the previous quarter, and the last TREND_MONTHS months (the current one so far)."""
        quarter = date_utils.start_of(today, "quarter")
        previous = quarter - relativedelta(months=3)
        months = []
        for back in range(TREND_MONTHS - 1, -1, -1):
            start = date_utils.start_of(today, "month") - relativedelta(months=back)
            months.append((start, min(today, date_utils.end_of(start, "month"))))
        return (quarter, today), (previous, quarter - timedelta(days=1)), months

    @api.model
    def _tiles(self, today):
        if not self.env["relationship.kpi"].has_access("read"):
            return []
        kpis = [(self.env.ref(f"customer_relationship.{xmlid}", raise_if_not_found=False), which)
                for xmlid, which in KPI_TILES]
        # a KPI of another company, or archived, is not shown
        kpis = [(kpi, which) for kpi, which in kpis if kpi and kpi.has_access("read") and kpi.active]
        if not kpis:
            return []
        Kpi = self.env["relationship.kpi"].with_context(active_test=False)
        current, previous, months = self._periods(today)
        # The four stage KPIs share their figures (S, E, N, L): one query for every period and tile.
        periods = [current, previous, *months]
        figures = dict(zip(periods, Kpi._stage_figures_many(periods), strict=True))
        return [{
            "key": kpi.builtin_key,
            "kpi_id": kpi.id,
            "which": which,
            "name": kpi.name,
            "unit": kpi.unit,
            "lower_is_better": kpi.direction == "lower_is_better",
            "value": Kpi._stage_formula(kpi.builtin_key, figures[current]),
            "previous": Kpi._stage_formula(kpi.builtin_key, figures[previous]),
            "date_from": fields.Date.to_string(current[0]),
            "date_to": fields.Date.to_string(current[1]),
            "trend": [{"date": fields.Date.to_string(start),
                       "value": Kpi._stage_formula(kpi.builtin_key, figures[(start, end)])}
                      for start, end in months],
        } for kpi, which in kpis]

    @api.model
    def _kpi_partner_ids(self, kpi, which, date_from, date_to):
        """The partners the tile's figure counts (relationship.kpi computes them, as it computes the figure)."""
        return kpi.with_context(active_test=False)._stage_partner_ids(which, date_from, date_to)

    # ------------------------------------------------------------------
    # Sections
    # ------------------------------------------------------------------
    @api.model
    def _funnel(self):
        """Partners per stage of the lifecycle pipeline, in stage order, lost stages included."""
        Partner, Pipeline = self.env["res.partner"], self.env["relationship.pipeline"]
        if not (Partner.has_access("read") and Pipeline.has_access("read")):
            return False
        pipeline = self._lifecycle_pipeline()
        if not pipeline:
            return False
        stages = pipeline.stage_ids.sorted(lambda stage: (stage.sequence, stage.id))
        counts = self._funnel_counts(stages)
        return {
            "pipeline": pipeline.display_name,
            "stages": [{
                "id": stage.id, "name": stage.name, "stage_type": stage.stage_type,
                "count": counts.get(stage.id, 0), "domain": [("relationship_stage_id", "=", stage.id)],
            } for stage in stages],
        }

    @api.model
    def _funnel_counts(self, stages):
        """{stage id: partners the user sees whose lifecycle stage it is}: one query from the flagged
        memberships' index, the partners' record rules and active filter as a subquery (make bench, OV)."""
        partners = self.env["res.partner"]._search([])
        self.env["relationship.pipeline.membership"].flush_model(["is_current_lifecycle", "stage_id", "partner_id"])
        self.env.cr.execute(SQL("""
            SELECT m.stage_id, COUNT(*) FROM relationship_pipeline_membership m
             WHERE m.is_current_lifecycle AND m.stage_id IN %s AND m.partner_id IN %s
             GROUP BY m.stage_id
        """, tuple(stages.ids) or (None,), partners.subselect()))
        return dict(self.env.cr.fetchall())

    @api.model
    def _lifecycle_pipeline(self):
        return self.env["relationship.pipeline"]._get_lifecycle()

    @api.model
    def _interactions(self, today):
        """Interactions per week (from Monday, in the user's time zone) and channel, over the last WEEKS weeks."""
        Interaction = self.env["relationship.interaction"]
        if not Interaction.has_access("read"):
            return False
        first = date_utils.start_of(today, "week") - timedelta(weeks=WEEKS - 1)
        weeks = [first + timedelta(weeks=index) for index in range(WEEKS)]
        # Days, not weeks: how read_group cuts weeks depends on the language (Sunday or Monday first).
        # At most 7 x WEEKS x channels rows, whatever the number of interactions.
        rows = Interaction._read_group([("date", ">=", self._utc(first))], ["date:day", "channel"], ["__count"])
        counts = Counter()
        for day, channel, count in rows:
            counts[(date_utils.start_of(day.date(), "week"), channel)] += count
        labels = dict(Interaction._fields["channel"]._description_selection(self.env))
        used = [key for key in labels if any(channel == key for _week, channel in counts)]
        return {
            "model": "relationship.interaction",
            "weeks": [fields.Date.to_string(week) for week in weeks],
            "channels": [{
                "key": key, "name": labels[key],
                "counts": [counts.get((week, key), 0) for week in weeks],
                "domains": [[("date", ">=", self._utc(week)), ("date", "<", self._utc(week + timedelta(weeks=1))),
                             ("channel", "=", key)] for week in weeks],
            } for key in used],
            "total": sum(counts.values()),
        }

    @api.model
    def _utc(self, day):
        """Midnight of ``day`` in the user's time zone (the one read_group groups by), as a UTC string."""
        zone = pytz.timezone(self.env.context.get("tz") or "UTC")
        return fields.Datetime.to_string(zone.localize(datetime.combine(day, time.min)).astimezone(pytz.utc))

    @api.model
    def _attention(self):
        """Pipeline memberships longer in their stage than its allowed days, longest first (every pipeline)."""
        Membership = self.env["relationship.pipeline.membership"]
        if not Membership.has_access("read"):
            return False
        domain = [("is_stale", "=", True)]
        # the first few only: reading every stale membership to show five cost 0.2 s at 17,000 (make bench, OV)
        stale = Membership.search(domain, order="date_stage_entered, id", limit=LIST_LIMIT)
        return {
            "model": "relationship.pipeline.membership", "count": Membership.search_count(domain), "domain": domain,
            "records": [{"id": membership.id, "name": membership.partner_id.display_name,
                         "pipeline": membership.pipeline_id.name, "stage": membership.stage_id.name,
                         "days": membership.days_in_stage}
                        for membership in stale],
        }

    @api.model
    def _gdpr(self, today):
        """Open privacy requests by deadline, for Privacy Officers only."""
        Request = self.env["gdpr.request"]
        if not (self.env.user.has_group("customer_relationship.group_privacy_officer")
                and Request.has_access("read")):
            return False
        open_domain = [("state", "not in", ("done", "rejected"))]
        soon = fields.Date.to_string(today + timedelta(days=GDPR_SOON_DAYS))
        domains = {
            "open": open_domain,
            "overdue": [*open_domain, ("is_overdue", "=", True)],
            "soon": [*open_domain, ("is_overdue", "=", False), ("date_deadline", "<=", soon)],
        }
        requests = Request.search(open_domain, order="date_deadline, id")
        overdue = requests.filtered("is_overdue")
        due_soon = requests.filtered(lambda r: not r.is_overdue and r.date_deadline and
                                     r.date_deadline <= today + timedelta(days=GDPR_SOON_DAYS))
        return {
            "model": "gdpr.request",
            "counts": {"open": len(requests), "overdue": len(overdue), "soon": len(due_soon)},
            "domains": domains,
            "records": [{"id": request.id, "name": request.display_name, "subject": request.requester_name,
                         "deadline": fields.Date.to_string(request.date_deadline), "overdue": request.is_overdue}
                        for request in requests[:LIST_LIMIT]],
        }

    @api.model
    def _goals(self):
        Goal = self.env["relationship.goal"]
        if not Goal.has_access("read"):
            return False
        domain = [("state", "=", "active"), ("status", "in", ("at_risk", "off_track"))]
        goals = Goal.search(domain, order="status desc, date_deadline, id")
        return {
            "model": "relationship.goal", "count": len(goals), "domain": domain,
            "records": [{"id": goal.id, "name": goal.name, "status": goal.status,
                         "progress": goal.progress, "expected": goal.expected_progress}
                        for goal in goals[:LIST_LIMIT]],
        }

    @api.model
    def _segments(self, today):
        """Customers per RFM segment, best segment first, and this quarter's falls to a worse segment."""
        Partner, Transition = self.env["res.partner"], self.env["relationship.segment.transition"]
        if not (Partner.has_access("read") and Transition.has_access("read")):
            return False
        labels = dict(Partner._fields["rfm_segment"]._description_selection(self.env))
        # From the scored rows (indexed by segment) to the partners, not from every partner to its scores:
        # the partners the caller may read (record rules, archived left out) are a subquery in their rights.
        # sudo: the rows carry no rule of their own here; the partner subquery is what limits the count,
        # exactly as the Contacts filter "Segment" counts (make bench, OV).
        sizes = dict(self.env["relationship.rfm.score"].sudo()._read_group(
            [("segment", "!=", False), ("partner_id", "in", Partner._search([]))], ["segment"], ["__count"]))
        falls = [("date", ">=", fields.Date.to_string(date_utils.start_of(today, "quarter"))), ("movement", "<", 0)]
        return {
            "sizes": [{"key": key, "name": label, "count": sizes[key], "domain": [("rfm_segment", "=", key)]}
                      for key, label in labels.items() if key in sizes],
            "falls": {"model": "relationship.segment.transition", "domain": falls,
                      "count": Transition.search_count(falls)},
        }

    # ------------------------------------------------------------------
    # Opening a tile
    # ------------------------------------------------------------------
    @api.model
    def action_open_kpi(self, kpi_id, which, date_from, date_to):
        """The partners a KPI tile counts: computed with the caller's rights, like the figure itself."""
        kpi = self.env["relationship.kpi"].browse(int(kpi_id)).exists()
        known = {(self.env.ref(f"customer_relationship.{xmlid}").id, key) for xmlid, key in KPI_TILES}
        if (kpi.id, which) not in known:
            return False
        kpi.check_access("read")
        date_from, date_to = kpi._check_period(date_from, date_to)
        return {
            "type": "ir.actions.act_window",
            "name": _("%(kpi)s: the partners counted", kpi=kpi.name),
            "res_model": "res.partner",
            "domain": [("id", "in", self._kpi_partner_ids(kpi, which, date_from, date_to))],
            "views": [(False, "list"), (False, "kanban"), (False, "form")],
            "context": {"active_test": False},  # a partner archived since keeps counting in the figure
        }
