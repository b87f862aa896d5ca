from collections import Counter

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

from .filter_text import parse_filter

NUMERIC_TYPES = ("integer", "float", "monetary")
DATE_TYPES = ("date", "datetime")
BUILTINS = [
    ("acquisition", "Customer Acquisition"),
    ("retention_rate", "Retention Rate"),
    ("churn_rate", "Churn Rate"),
    ("growth_rate", "Growth Rate"),
    ("interaction_count", "Interaction Count"),
]
# What a KPI measures in other models: only administrators define it (README, "Who defines what is measured").
DEFINITION_FIELDS = ("model_id", "domain", "date_field_id", "partner_field_id", "aggregate", "field_id")
# Built-in KPIs come with the addon's data (loaded as superuser): nobody makes a KPI built-in.
BUILTIN_FIELDS = ("kind", "builtin_key")


class RelationshipKpi(models.Model):
    """A relationship KPI; every figure of the addon's goals is computed by this model and only by it.

    This file holds the definition, who may change it and its validation; relationship_kpi_compute.py
    computes the interaction and custom figures, relationship_kpi_stage.py the stage figures,
    relationship_kpi_goal.py the goals' arithmetic.

    Built-in stage KPIs, with S = customers at the start of the period, E = customers at its end,
    N = customers at the end who were not at the start, L = customers at the start who are not at
    the end (a partner is a customer at instant t when a stage-history row of the measured pipelines,
    the lifecycle ones by default, is in a customer stage, entered at or before t and not left by t):
    acquisition = N; retention = (S - L) / S x 100; churn = L / S x 100; growth = (E - S) / S x 100;
    every rate is 0.0 when S = 0.
    """

    _name = "relationship.kpi"
    _inherit = ["relationship.shared.config.mixin"]
    _description = "Relationship KPI"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short unique code, used in exports and formulas.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one("res.company", index=True, help="Leave empty to share the KPI with all companies.")
    kind = fields.Selection(
        [("builtin", "Built-in"), ("custom", "Custom")], required=True, default="custom", readonly=True)
    builtin_key = fields.Selection(BUILTINS, readonly=True, help="Which built-in formula this KPI uses.")
    unit = fields.Selection(
        [("percent", "Percent"), ("count", "Count"), ("amount", "Amount")], required=True, default="count")
    direction = fields.Selection(
        [("higher_is_better", "Higher is better"), ("lower_is_better", "Lower is better")],
        required=True, default="higher_is_better")
    # Custom KPIs
    model_id = fields.Many2one("ir.model", ondelete="cascade",
                               domain=[("transient", "=", False)])
    model_name = fields.Char(related="model_id.model", string="Model Name")
    domain = fields.Char(default="[]", help="Only records matching this filter are counted.")
    date_field_id = fields.Many2one(
        "ir.model.fields", ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', 'in', ('date', 'datetime')), ('store', '=', True)]",
        help="The record is counted in a period when this date falls in it.")
    partner_field_id = fields.Many2one(
        "ir.model.fields", ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', '=', 'many2one'), ('relation', '=', 'res.partner'),"
               " ('store', '=', True)]",
        help="Lets goals restrict this KPI to the partners of their scope.")
    aggregate = fields.Selection(
        [("count", "Count"), ("sum", "Sum"), ("average", "Average")], default="count")
    field_id = fields.Many2one(
        "ir.model.fields", string="Measured Field", ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', 'in', ('integer', 'float', 'monetary')),"
               " ('store', '=', True)]")
    goal_count = fields.Integer(compute="_compute_goal_count", string="Goals")
    can_edit_definition = fields.Boolean(compute="_compute_can_edit_definition")

    _sql_constraints = [
        ("code_unique", "UNIQUE(code, company_id)", "Another KPI already uses this code: choose a unique code."),
    ]

    def _compute_goal_count(self):
        counts = dict(self.env["relationship.goal"]._read_group([("kpi_id", "in", self.ids)], ["kpi_id"], ["__count"]))
        for kpi in self:
            kpi.goal_count = counts.get(kpi, 0)

    def _compute_can_edit_definition(self):
        self.can_edit_definition = self.env.is_system()

    # ------------------------------------------------------------------
    # Who defines what is measured
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_definition_rights(vals, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._check_definition_rights(vals)
        return super().write(vals)

    @api.model
    def _check_definition_rights(self, vals, creating=False):
        """Managers use KPIs in goals; what a KPI counts in other models is the administrators' choice.

        A custom KPI computed for a goal counts records whatever the rights of the goal's readers (as
        gamification's goal definitions do), so defining one publishes figures: administrators only.
        """
        if self.env.su:
            return
        made_builtin = vals.get("kind", "custom") != "custom" or vals.get("builtin_key") if creating \
            else any(name in vals for name in BUILTIN_FIELDS)
        if made_builtin:
            raise AccessError(_("Built-in KPIs come with the application: a KPI cannot be made built-in, nor "
                                "can its formula be changed. Create a custom KPI instead."))
        if (creating or any(name in vals for name in DEFINITION_FIELDS)) and not self.env.is_system():
            raise AccessError(_("Only administrators define what a KPI measures (its model, filter, date, partner "
                                "and measured fields, and how they are totalled). Ask an administrator, then use "
                                "the KPI in your goals."))

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------
    @api.constrains("kind", "builtin_key")
    def _check_kind(self):
        for kpi in self:
            if (kpi.kind == "builtin") != bool(kpi.builtin_key):
                raise ValidationError(_("The KPI “%(kpi)s” must be either built-in with a formula, or custom without "
                                        "one.", kpi=kpi.name))

    @api.constrains("kind", "model_id", "domain", "date_field_id", "aggregate", "field_id", "partner_field_id")
    def _check_custom_definition(self):
        # Model and field metadata (ir.model) is readable by administrators only: managers configure KPIs.
        for kpi in self.sudo().filtered(lambda k: k.kind == "custom"):
            kpi._check_custom_one()

    def _check_custom_one(self):
        if not self.model_id or self.model_id.model not in self.env:  # model_id 0 over RPC has no model
            raise ValidationError(_("The custom KPI “%(kpi)s” needs a model to measure.", kpi=self.name))
        self._check_field(self.date_field_id, DATE_TYPES, _("Date Field"), _("a date or date-time field"))
        if self.aggregate in ("sum", "average"):
            self._check_field(self.field_id, NUMERIC_TYPES, _("Measured Field"), _("a number field"))
        if self.partner_field_id:
            self._check_field(self.partner_field_id, ("many2one",), _("Partner Field"), _("a link to a contact"))
        try:
            self.env[self.model_id.model].sudo(False)._search(self._custom_domain())
        except Exception as error:  # noqa: BLE001 - any parse or field error means the filter is unusable
            raise ValidationError(_(
                "The filter of the KPI “%(kpi)s” is not valid for %(model)s: %(error)s. "
                "Fix it with the domain editor.", kpi=self.name, model=self.model_id.name, error=error,
            )) from error

    def _check_field(self, field, types, label, what):
        if not field:
            raise ValidationError(_("The KPI “%(kpi)s” needs a %(label)s: choose %(what)s of %(model)s.",
                                    kpi=self.name, label=label, what=what, model=self.model_id.name))
        model_field = self.env[self.model_id.model]._fields.get(field.name)
        if field.model_id != self.model_id or field.ttype not in types or not (model_field and model_field.store):
            raise ValidationError(_(
                "The %(label)s “%(field)s” of the KPI “%(kpi)s” must be %(what)s stored on %(model)s.",
                label=label, field=field.field_description, kpi=self.name, what=what, model=self.model_id.name))
        if model_field.groups:
            # goals show the figure to every relationship user, outside the field's groups
            raise ValidationError(_(
                "The %(label)s “%(field)s” of the KPI “%(kpi)s” is restricted to some groups of users, so its "
                "figures cannot be shown in goals: choose another field.",
                label=label, field=field.field_description, kpi=self.name))

    def _custom_domain(self):
        return parse_filter(
            self.domain,
            lambda error: _("The filter of the KPI “%(kpi)s” cannot be read: %(error)s.", kpi=self.name, error=error),
            lambda: _("The filter of the KPI “%(kpi)s” must be a list of conditions.", kpi=self.name))

    @api.constrains("code", "company_id")
    def _check_code_unique(self):
        # the SQL constraint lets two shared KPIs (company_id NULL) have the same code
        same_codes = self.search([("code", "in", self.mapped("code")), ("active", "in", (True, False))])
        uses = Counter((other.code, other.company_id.id) for other in same_codes)  # each KPI counts itself once
        for kpi in self:
            if uses[(kpi.code, kpi.company_id.id)] > 1:
                raise ValidationError(_("Another KPI already uses the code “%(code)s”: choose a unique code.",
                                        code=kpi.code))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_builtin(self):
        if any(kpi.kind == "builtin" for kpi in self):
            raise UserError(_("Built-in KPIs cannot be deleted: archive them instead."))
