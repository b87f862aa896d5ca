from datetime import timedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL

from .relationship_kpi import NUMERIC_TYPES


class RelationshipRfmSource(models.Model):
    """Where the events of the RFM scores come from: any model with a partner, a date and maybe an amount.

    Defined by administrators only (the access decision of issue 14), like custom KPIs. The scoring
    itself lives in res_partner_rfm.py; a source only turns its records into per-partner figures.
    """

    _name = "relationship.rfm.source"
    _inherit = ["relationship.record.source.mixin"]
    _description = "RFM Event Source"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True,
        help="Only this company's records count (when the model has a company). Empty: every company's.")
    amount_field_id = fields.Many2one(
        "ir.model.fields", ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', 'in', ('integer', 'float', 'monetary')),"
               " ('store', '=', True)]",
        help="Summed into the Monetary value. Empty: this source adds to Recency and Frequency only.")
    window_days = fields.Integer(
        string="Analysis Window (days)", required=True, default=365,
        help="Only events of the last this many days, the reference day included, count.")

    _sql_constraints = [
        ("window_days_positive", "CHECK(window_days > 0)",
         "The analysis window of an RFM source must be at least one day."),
    ]

    # ------------------------------------------------------------------
    # Validation (the same rules as custom KPIs)
    # ------------------------------------------------------------------
    @api.constrains("model_id", "domain", "partner_field_id", "date_field_id", "amount_field_id")
    def _check_definition(self):
        self._check_source_definition()
        for source in self.filtered("amount_field_id"):
            source._check_source_field(source.amount_field_id, NUMERIC_TYPES, _("Amount Field"))

    # ------------------------------------------------------------------
    # Events -> per-partner figures
    # ------------------------------------------------------------------
    def _events_query(self, reference_date):
        """This source's events of the window, one row per commercial partner: last day, count, amount.

        The filter runs under the caller's environment: the recomputation calls it as superuser,
        because sources are defined by administrators only.
        """
        self.ensure_one()
        date_name = self.date_field_id.name
        start = reference_date - timedelta(days=self.window_days - 1)
        if self.date_field_id.ttype == "date":
            period = [(date_name, ">=", start), (date_name, "<=", reference_date)]
        else:
            period = [(date_name, ">=", fields.Datetime.to_datetime(start)),
                      (date_name, "<", fields.Datetime.to_datetime(reference_date + timedelta(days=1)))]
        amount_name = self.amount_field_id.name
        query = self._source_query(period, self.company_id, [amount_name] if amount_name else [])
        partner, date = self._source_columns(query)
        amount = SQL.identifier(query.table, amount_name) if amount_name else SQL("NULL")
        events = query.select(
            SQL("%s AS partner_id", partner), SQL("%s::date AS day", date), SQL("%s::numeric AS amount", amount))
        # Grouped per partner first, then per commercial partner: the join to res_partner reads one row per
        # partner with events, not one per event (make bench P8).
        return SQL("""
            SELECT p.commercial_partner_id AS partner_id, MAX(e.last_day) AS last_day,
                   SUM(e.frequency) AS frequency, SUM(e.monetary) AS monetary
              FROM (SELECT e.partner_id, MAX(e.day) AS last_day, COUNT(*) AS frequency, SUM(e.amount) AS monetary
                      FROM (%s) e
                     GROUP BY e.partner_id) e
              JOIN res_partner p ON p.id = e.partner_id
             GROUP BY p.commercial_partner_id
        """, events)

    @api.model
    def _cron_recompute(self):
        self.env["res.partner"]._rfm_recompute()
