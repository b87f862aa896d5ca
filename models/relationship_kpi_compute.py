from datetime import date

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError

STAGE_BUILTINS = ("acquisition", "retention_rate", "churn_rate", "growth_rate")
# Any real period lies between these; beyond them the date arithmetic of a period would overflow.
PERIOD_MIN = date(1000, 1, 1)
PERIOD_MAX = date(9000, 12, 31)


class RelationshipKpi(models.Model):
    """compute_value, the one entry point of every KPI figure: its checks, the interaction count and the
    custom KPIs' figures. The stage figures are in relationship_kpi_stage.py.

    Kept apart from relationship_kpi.py (the definition and who may change it).
    """

    _inherit = "relationship.kpi"

    def compute_value(self, date_from, date_to, partner_domain=None, pipeline_ids=None, company_ids=None):
        """Value of this KPI over the days date_from..date_to (both included).

        ``partner_domain`` restricts every figure to matching partners, ``pipeline_ids`` the stage
        KPIs to those pipelines' history (and the other KPIs to those pipelines' partners),
        ``company_ids`` to records of those companies or shared ones (needed under sudo, where record
        rules do not apply). Each KPI costs one query whatever the number of partners.
        """
        if len(self) != 1:
            raise UserError(_("Compute one KPI at a time: this call was made on %(count)s KPIs.", count=len(self)))
        date_from, date_to = self._check_period(date_from, date_to)
        partner_domain = self._check_partner_domain(partner_domain)
        scope = (partner_domain, pipeline_ids, company_ids)
        if self.kind == "custom":
            return self._compute_custom(date_from, date_to, *scope)
        # archived partners keep their history: a filter counts them like the figures without one do
        builtin = self.with_context(active_test=False)
        if self.builtin_key == "interaction_count":
            return builtin._compute_interaction_count(date_from, date_to, *scope)
        if self.builtin_key in STAGE_BUILTINS:
            figures = builtin._stage_figures(date_from, date_to, *scope)
            return self._stage_formula(self.builtin_key, figures)
        raise UserError(_("The KPI “%(kpi)s” has no formula.", kpi=self.name))

    @api.model
    def _check_period(self, date_from, date_to):
        try:
            date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        except (TypeError, ValueError) as error:
            raise UserError(_("A KPI period needs two dates (YYYY-MM-DD): %(error)s.", error=error)) from error
        if not (date_from and date_to):
            raise UserError(_("A KPI period needs a start date and an end date."))
        if date_to < date_from:
            raise UserError(_("A KPI period cannot end (%(end)s) before it starts (%(start)s).",
                              start=date_from, end=date_to))
        if date_from < PERIOD_MIN or date_to > PERIOD_MAX:
            raise UserError(_("A KPI period must lie between %(min)s and %(max)s.", min=PERIOD_MIN, max=PERIOD_MAX))
        return date_from, date_to

    @api.model
    def _check_partner_domain(self, partner_domain):
        """The partner filter as a list, checked with the caller's rights; UserError when malformed."""
        if not partner_domain:
            return None
        if not isinstance(partner_domain, list | tuple):
            raise UserError(_("The partner filter must be a list of conditions, e.g. [('is_company', '=', True)]."))
        try:
            self.env["res.partner"]._search(list(partner_domain))
        except AccessError:
            raise
        except Exception as error:  # noqa: BLE001 - any parse or field error makes the filter unusable
            raise UserError(_("The partner filter %(domain)s is not valid: %(error)s.",
                              domain=partner_domain, error=error)) from error
        return list(partner_domain)

    def _scoped_partner_domain(self, partner_domain, pipeline_ids=None):
        domain = list(partner_domain or [])
        if pipeline_ids:
            in_pipelines = ("relationship_membership_ids", "any", [("pipeline_id", "in", list(pipeline_ids))])
            domain = ["&", in_pipelines, *(domain or [(1, "=", 1)])]
        return domain

    @staticmethod
    def _company_domain(company_ids, field="company_id"):
        return [(field, "in", [*company_ids, False])] if company_ids else []

    def _compute_interaction_count(self, date_from, date_to, partner_domain=None, pipeline_ids=None,
                                   company_ids=None):
        start, end = self._period_instants(date_from, date_to)
        domain = [("date", ">=", start), ("date", "<", end), *self._company_domain(company_ids)]
        scope = self._scoped_partner_domain(partner_domain, pipeline_ids)
        if scope:
            # a company's figures include its contacts' interactions
            domain += ["|", ("partner_id", "any", scope), ("commercial_partner_id", "any", scope)]
        [(count,)] = self.env["relationship.interaction"]._read_group(domain, [], ["__count"])
        return float(count)

    def _compute_custom(self, date_from, date_to, partner_domain=None, pipeline_ids=None, company_ids=None):
        Model = self.env[self.model_id.model]
        date_field = self.date_field_id.name
        if self.date_field_id.ttype == "date":
            domain = [(date_field, ">=", date_from), (date_field, "<=", date_to)]
        else:
            start, end = self._period_instants(date_from, date_to)
            domain = [(date_field, ">=", start), (date_field, "<", end)]
        if company_ids and "company_id" in Model._fields and Model._fields["company_id"].store:
            domain += self._company_domain(company_ids)
        scope = self._scoped_partner_domain(partner_domain, pipeline_ids)
        if scope:
            if not self.partner_field_id:
                raise UserError(_(
                    "The KPI “%(kpi)s” cannot be restricted to a set of partners: set its Partner Field.",
                    kpi=self.name))
            domain.append((self.partner_field_id.name, "any", scope))
        if self.aggregate == "count":
            aggregate = "__count"
        else:
            aggregate = f"{self.field_id.name}:{'sum' if self.aggregate == 'sum' else 'avg'}"
        [(value,)] = Model._read_group(self._custom_domain() + domain, [], [aggregate])
        return float(value or 0.0)
