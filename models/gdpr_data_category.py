from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class GdprDataCategory(models.Model):
    """The processing register: GDPR art. 30 records of processing activities, KVKK's processing inventory
    (VERBİS). One line per category of personal data: what is held, why, on which legal basis, who receives
    it, how long it is kept and where it comes from. The access answer to a person is written from it, and
    the export names its files after it."""

    _name = "gdpr.data.category"
    _description = "Processing Register: Category of Personal Data"
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, id"

    name = fields.Char(string="Category", required=True, translate=True, tracking=True,
                       help="As the person reads it in their answer, e.g. “Contact details”.")
    code = fields.Char(required=True, tracking=True, help="A short key of the category, unique in the company.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    model_ids = fields.Many2many(
        "ir.model", string="Records", domain=[("transient", "=", False)],
        help="The kinds of records holding this category: the export of a person's data files their records "
             "under the category's name.")
    data_held = fields.Text(
        required=True, translate=True, tracking=True,
        help="The personal data of the category, e.g. name, e-mail, phone, postal address.")
    purposes = fields.Text(required=True, translate=True, tracking=True, help="Why the data is processed.")
    legal_basis = fields.Text(
        required=True, translate=True, tracking=True,
        help="GDPR art. 6(1) (and art. 9 for special categories); KVKK art. 5 (and art. 6).")
    recipients = fields.Text(
        translate=True, tracking=True,
        help="Groups of recipients, in the country or abroad (GDPR art. 15(1)(c), KVKK art. 11(1)(ç)).")
    retention = fields.Char(
        string="Retention Period", required=True, translate=True, tracking=True,
        help="How long the data is kept, or the criteria that decide it.")
    source = fields.Text(translate=True, tracking=True, help="Where the data comes from when not from the person.")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    retention_rule_ids = fields.One2many(
        "gdpr.retention.rule", "category_id", string="Retention Rules", context={"active_test": False},
        help="The rules that destroy or anonymise this category's data once its retention period is over.")

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "Each category of the register needs its own code."),
    ]

    @api.constrains("model_ids", "company_id", "active")
    def _check_one_category_per_model(self):
        """A kind of record belongs to one category: the export files each record once."""
        for category in self.filtered("active"):
            others = self.search([("id", "!=", category.id), ("company_id", "=", category.company_id.id),
                                  ("model_ids", "in", category.model_ids.ids)], limit=1)
            if others:
                shared = (category.model_ids & others.model_ids)[:1]
                raise ValidationError(_(
                    "“%(model)s” already belongs to the category “%(other)s”: a kind of record belongs to one "
                    "category of the register.", model=shared.name, other=others.name))

    @api.model
    def _by_model(self, company):
        """{model name: category} of the company's register, in two queries whatever its size."""
        # sudo: the answer and the export read the register for the officer's request, and ir.model too
        categories = self.sudo().search([("company_id", "=", company.id)])
        return {model.model: category for category in categories for model in category.model_ids}
