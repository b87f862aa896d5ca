from datetime import timedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import date_utils

CARD_CODES = [
    ("kpi_acquisition", "Acquisition (this quarter)"),
    ("kpi_retention_rate", "Retention rate (this quarter)"),
    ("kpi_churn_rate", "Churn rate (this quarter)"),
    ("kpi_growth_rate", "Growth rate (this quarter)"),
    ("interactions_week", "Interactions this week"),
    ("stale_partners", "Stale partners"),
    ("gdpr_open", "Open GDPR requests"),
    ("goals_at_risk", "Goals at risk"),
]
# The partners each KPI card counts (relationship.kpi STAGE_SETS): the list it opens matches its figure.
KPI_PARTNERS = {
    "kpi_acquisition": "new", "kpi_retention_rate": "retained", "kpi_churn_rate": "lost", "kpi_growth_rate": "end",
}


class RelationshipDashboardCard(models.Model):
    """One card of the Relationship Overview; figures are computed on read, with the reader's rights."""

    _name = "relationship.dashboard.card"
    _description = "Relationship Overview Card"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(CARD_CODES, required=True)
    sequence = fields.Integer(default=10)
    group_id = fields.Many2one("res.groups", help="Only members of this group see the card.")
    value_display = fields.Char(compute="_compute_figures", string="Figure")
    detail = fields.Char(compute="_compute_figures")
    alert = fields.Boolean(compute="_compute_figures", help="The figure needs someone's attention.")

    @api.model
    def _quarter(self):
        today = fields.Date.context_today(self)
        return date_utils.start_of(today, "quarter"), today

    def _compute_figures(self):
        for card in self:
            value, detail, alert = getattr(card, "_figure_" + card.code)()
            card.value_display, card.detail, card.alert = value, detail, alert

    def _kpi_figure(self):
        kpi = self.env.ref("customer_relationship." + self.code, raise_if_not_found=False)
        if not kpi:
            return "–", "", False
        date_from, date_to = self._quarter()
        value = kpi.compute_value(date_from, date_to)
        shown = f"{value:.1f} %" if kpi.unit == "percent" else f"{value:.0f}"
        return shown, _("since %(date)s", date=fields.Date.to_string(date_from)), False

    _figure_kpi_acquisition = _figure_kpi_retention_rate = _kpi_figure
    _figure_kpi_churn_rate = _figure_kpi_growth_rate = _kpi_figure

    def _figure_interactions_week(self):
        today = fields.Date.context_today(self)
        week_start = date_utils.start_of(today, "week")
        Interaction = self.env["relationship.interaction"]
        this_week = Interaction.search_count([("date", ">=", week_start)])
        last_week = Interaction.search_count(
            [("date", ">=", week_start - timedelta(days=7)), ("date", "<", week_start)])
        return str(this_week), _("%(count)s last week", count=last_week), this_week < last_week

    def _figure_stale_partners(self):
        count = self.env["relationship.pipeline.membership"].search_count([("is_stale", "=", True)])
        return str(count), _("longer in their stage than allowed"), bool(count)

    def _figure_gdpr_open(self):
        Request = self.env["gdpr.request"]
        open_domain = [("state", "not in", ("done", "rejected"))]
        count = Request.search_count(open_domain)
        overdue = Request.search_count(open_domain + [("is_overdue", "=", True)])
        soon = Request.search_count(open_domain + [
            ("is_overdue", "=", False),
            ("date_deadline", "<=", fields.Date.context_today(self) + timedelta(days=7))])
        return str(count), _("%(overdue)s overdue, %(soon)s due within 7 days", overdue=overdue, soon=soon), \
            bool(overdue)

    def _figure_goals_at_risk(self):
        count = self.env["relationship.goal"].search_count(self._goals_at_risk_domain())
        return str(count), _("active goals at risk or off track"), bool(count)

    @api.model
    def _goals_at_risk_domain(self):
        return [("state", "=", "active"), ("status", "in", ("at_risk", "off_track"))]

    def _kpi_partner_ids(self):
        kpi = self.env.ref("customer_relationship." + self.code)
        date_from, date_to = self._quarter()
        return kpi.with_context(active_test=False)._stage_partner_ids(
            KPI_PARTNERS[self.code], date_from, date_to)

    def action_open(self):
        """The filtered list behind the card: exactly the records its figure counts."""
        self.ensure_one()
        targets = {
            "interactions_week": ("relationship.interaction", [
                ("date", ">=", date_utils.start_of(fields.Date.context_today(self), "week"))], "list,graph,form"),
            "stale_partners": ("relationship.pipeline.membership", [("is_stale", "=", True)], "list,kanban,form"),
            "gdpr_open": ("gdpr.request", [("state", "not in", ("done", "rejected"))], "list,form"),
            "goals_at_risk": ("relationship.goal", self._goals_at_risk_domain(), "kanban,list,form"),
        }
        context = {"search_default_group_by_week": 1} if self.code == "interactions_week" else {}
        if self.code in KPI_PARTNERS:
            targets[self.code] = ("res.partner", [("id", "in", self._kpi_partner_ids())], "list,kanban,form")
            context = {"active_test": False}  # a partner archived since keeps counting in the figure
        model, domain, modes = targets[self.code]
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": model,
            "domain": domain,
            "views": [(False, mode) for mode in modes.split(",")],
            "context": context,
        }
