from datetime import timedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from .relationship_kpi import DATE_TYPES
from .relationship_kpi import NUMERIC_TYPES


class RelationshipRfmSource(models.Model):
    """Where the events of the RFM scores come from: any model with a partner, a date and maybe an amount.

    Defined by administrators only (the access decision of issue 14), like custom KPIs. The scoring
    itself lives in res_partner_rfm.py; a source only turns its records into per-partner figures.
    """

    _name = "relationship.rfm.source"
    _description = "RFM Event Source"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True,
        help="Only this company's records count (when the model has a company). Empty: every company's.")
    model_id = fields.Many2one("ir.model", required=True, ondelete="cascade", domain=[("transient", "=", False)])
    model_name = fields.Char(related="model_id.model", string="Model Name")
    domain = fields.Char(default="[]", help="Only records matching this filter are events.")
    partner_field_id = fields.Many2one(
        "ir.model.fields", required=True, ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', '=', 'many2one'), ('relation', '=', 'res.partner'),"
               " ('store', '=', True)]",
        help="The customer of the event; events of a contact count for its company.")
    date_field_id = fields.Many2one(
        "ir.model.fields", required=True, ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', 'in', ('date', 'datetime')), ('store', '=', True)]",
        help="When the event happened.")
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
        for source in self:
            if not (source.model_id.model in self.env and source.partner_field_id and source.date_field_id):
                raise ValidationError(_(
                    "The RFM source “%(rfm_source)s” needs a model, a partner field and a date field.",
                    rfm_source=source.name))
            source._check_field(source.partner_field_id, ("many2one",), _("Partner Field"))
            if source.partner_field_id.relation != "res.partner":
                raise ValidationError(_("The Partner Field of the RFM source “%(rfm_source)s” must link to a contact.",
                                        rfm_source=source.name))
            source._check_field(source.date_field_id, DATE_TYPES, _("Date Field"))
            if source.amount_field_id:
                source._check_field(source.amount_field_id, NUMERIC_TYPES, _("Amount Field"))
            try:
                self.env[source.model_id.model]._search(source._event_domain())
            except Exception as error:  # noqa: BLE001 - any parse or field error means the filter is unusable
                raise ValidationError(_(
                    "The filter of the RFM source “%(rfm_source)s” is not valid for %(model)s: %(error)s.",
                    rfm_source=source.name, model=source.model_id.name, error=error)) from error

    def _check_field(self, field, types, label):
        model_field = self.env[self.model_id.model]._fields.get(field.name)
        if field.model_id != self.model_id or field.ttype not in types or not (model_field and model_field.store):
            raise ValidationError(_(
                "The %(label)s “%(field)s” of the RFM source “%(rfm_source)s” is not a stored field of the "
                "right type on %(model)s.",
                label=label, field=field.field_description, rfm_source=self.name, model=self.model_id.name))

    def _event_domain(self):
        try:
            domain = safe_eval(self.domain or "[]")
        except Exception as error:  # noqa: BLE001
            raise ValidationError(_("The filter of the RFM source “%(rfm_source)s” cannot be read: %(error)s.",
                                    rfm_source=self.name, error=error)) from error
        if not isinstance(domain, list | tuple):
            raise ValidationError(_("The filter of the RFM source “%(rfm_source)s” must be a list of conditions.",
                                    rfm_source=self.name))
        return list(domain)

    # ------------------------------------------------------------------
    # Events -> per-partner figures
    # ------------------------------------------------------------------
    def _events_query(self, reference_date):
        """This source's events of the window, one row per commercial partner: last day, count, amount.

        The filter runs under the caller's environment: the recomputation calls it as superuser,
        because sources are defined by administrators only.
        """
        self.ensure_one()
        Model = self.env[self.model_id.model].with_context(active_test=False)
        date_name, partner_name = self.date_field_id.name, self.partner_field_id.name
        start = reference_date - timedelta(days=self.window_days - 1)
        if self.date_field_id.ttype == "date":
            period = [(date_name, ">=", start), (date_name, "<=", reference_date)]
        else:
            period = [(date_name, ">=", fields.Datetime.to_datetime(start)),
                      (date_name, "<", fields.Datetime.to_datetime(reference_date + timedelta(days=1)))]
        domain = self._event_domain() + period + [(partner_name, "!=", False)]
        if self.company_id and "company_id" in Model._fields and Model._fields["company_id"].store:
            domain.append(("company_id", "=", self.company_id.id))
        names = [date_name, partner_name] + ([self.amount_field_id.name] if self.amount_field_id else [])
        Model.flush_model(names)
        query = Model._search(domain)
        amount = SQL.identifier(query.table, self.amount_field_id.name) if self.amount_field_id else SQL("NULL")
        events = query.select(
            SQL("%s AS partner_id", SQL.identifier(query.table, partner_name)),
            SQL("%s::date AS day", SQL.identifier(query.table, date_name)),
            SQL("%s::numeric AS amount", amount))
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
