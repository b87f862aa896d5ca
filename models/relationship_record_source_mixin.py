from odoo import _
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .filter_text import parse_filter

DATE_TYPES = ("date", "datetime")


class RelationshipRecordSourceMixin(models.AbstractModel):
    """Records of another model, each dated and linked to a partner: what RFM sources and stage rules read.

    Administrators only define such sources (README, "Access rights"): they count records of any model, so
    they are evaluated as superuser by the addon's own jobs, never with a user's rights.
    """

    _name = "relationship.record.source.mixin"
    _description = "Source of Dated Partner Records"

    model_id = fields.Many2one("ir.model", required=True, ondelete="cascade", domain=[("transient", "=", False)])
    model_name = fields.Char(related="model_id.model", string="Model Name")
    domain = fields.Char(default="[]", help="Only records matching this filter count.")
    partner_field_id = fields.Many2one(
        "ir.model.fields", required=True, ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', '=', 'many2one'), ('relation', '=', 'res.partner'),"
               " ('store', '=', True)]",
        help="The customer of the record; records of a contact count for its company.")
    date_field_id = fields.Many2one(
        "ir.model.fields", required=True, ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', 'in', ('date', 'datetime')), ('store', '=', True)]",
        help="When the record happened.")

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------
    def _check_source_definition(self):
        """Model, partner field, date field and filter make sense together; ValidationError otherwise."""
        for source in self:
            if not (source.model_id.model in self.env and source.partner_field_id and source.date_field_id):
                raise ValidationError(_("“%(record)s” needs a model, a partner field and a date field.",
                                        record=source.display_name))
            source._check_source_field(source.partner_field_id, ("many2one",), _("Partner Field"))
            if source.partner_field_id.relation != "res.partner":
                raise ValidationError(_("The Partner Field of “%(record)s” must link to a contact.",
                                        record=source.display_name))
            source._check_source_field(source.date_field_id, DATE_TYPES, _("Date Field"))
            try:
                self.env[source.model_id.model]._search(source._source_domain())
            except Exception as error:  # noqa: BLE001 - any parse or field error means the filter is unusable
                raise ValidationError(_("The filter of “%(record)s” is not valid for %(model)s: %(error)s.",
                                        record=source.display_name, model=source.model_id.name,
                                        error=error)) from error

    def _check_source_field(self, field, types, label):
        model_field = self.env[self.model_id.model]._fields.get(field.name)
        if field.model_id != self.model_id or field.ttype not in types or not (model_field and model_field.store):
            raise ValidationError(_(
                "The %(label)s “%(field)s” of “%(record)s” is not a stored field of the right type on %(model)s.",
                label=label, field=field.field_description, record=self.display_name, model=self.model_id.name))

    def _source_domain(self):
        return parse_filter(
            self.domain,
            lambda error: _("The filter of “%(record)s” cannot be read: %(error)s.",
                            record=self.display_name, error=error),
            lambda: _("The filter of “%(record)s” must be a list of conditions.", record=self.display_name))

    # ------------------------------------------------------------------
    # Records -> SQL
    # ------------------------------------------------------------------
    def _source_query(self, extra_domain=(), company=None, extra_names=()):
        """The matching records as an ORM Query (filter, partner set, ``extra_domain``) and its table.

        Runs under the caller's environment: the addon's jobs call it as superuser, because sources are
        defined by administrators only. Archived records count too (an archived won deal was still won),
        unless the filter says otherwise. ``company`` restricts to its records when the model has a company.
        """
        self.ensure_one()
        Model = self.env[self.model_id.model].with_context(active_test=False)
        partner_name, date_name = self.partner_field_id.name, self.date_field_id.name
        domain = self._source_domain() + list(extra_domain) + [(partner_name, "!=", False), (date_name, "!=", False)]
        if company and "company_id" in Model._fields and Model._fields["company_id"].store:
            domain.append(("company_id", "=", company.id))
        Model.flush_model([partner_name, date_name, *extra_names])
        return Model._search(domain)

    def _source_columns(self, query):
        """SQL of the partner column and the date column of ``query`` (a date becomes its midnight)."""
        partner = SQL.identifier(query.table, self.partner_field_id.name)
        date = SQL.identifier(query.table, self.date_field_id.name)
        return partner, SQL("%s::timestamp", date)
