from odoo import api
from odoo import fields
from odoo import models

PARAM = "customer_relationship."


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    relationship_auto_capture = fields.Boolean(
        string="Capture E-mails as Interactions",
        help="E-mails sent or received through the chatter become interactions of the partners concerned.")
    relationship_default_cadence_days = fields.Integer(
        string="Default Contact Cadence (days)", config_parameter=PARAM + "default_cadence_days",
        help="Days after which a partner without interaction needs attention; 0 means no cadence.")
    relationship_pipeline_new_companies = fields.Boolean(
        string="Put New Companies in the Lifecycle Pipeline")
    relationship_pipeline_new_contacts = fields.Boolean(
        string="Put New Individuals in the Lifecycle Pipeline")
    relationship_default_pipeline_id = fields.Many2one(
        "relationship.pipeline", string="Lifecycle Pipeline",
        compute="_compute_relationship_default_pipeline_id", inverse="_inverse_relationship_default_pipeline_id",
        readonly=False)
    gdpr_legal_hold_model_ids = fields.Many2many(
        "ir.model", string="Models under Legal Hold",
        compute="_compute_gdpr_legal_hold_model_ids", inverse="_inverse_gdpr_legal_hold_model_ids",
        readonly=False,
        help="Records of these models that concern a person are kept when the person asks for erasure.")
    gdpr_reminder_days = fields.Integer(
        string="GDPR Reminder (days before deadline)", config_parameter=PARAM + "gdpr_reminder_days")
    gdpr_officer_id = fields.Many2one(related="company_id.gdpr_officer_id", readonly=False)
    gdpr_regime = fields.Selection(related="company_id.gdpr_regime", readonly=False)
    gdpr_destruction_interval_months = fields.Integer(
        string="Periodic Destruction Every (months)",
        compute="_compute_gdpr_destruction_interval_months", inverse="_inverse_gdpr_destruction_interval_months",
        readonly=False,
        help="How often the retention rules run. KVKK's regulation on erasure, destruction and anonymisation "
             "requires periodic destruction at most every six months.")

    # Booleans stored as "True"/"False" so that a missing parameter keeps the documented default.
    _BOOL_PARAMS = {
        "relationship_auto_capture": ("auto_capture", True),
        "relationship_pipeline_new_companies": ("pipeline_new_companies", True),
        "relationship_pipeline_new_contacts": ("pipeline_new_contacts", False),
    }

    @api.model
    def get_values(self):
        res = super().get_values()
        params = self.env["ir.config_parameter"].sudo()
        for field, (key, default) in self._BOOL_PARAMS.items():
            res[field] = params.get_param(PARAM + key, str(default)) == "True"
        return res

    def set_values(self):
        res = super().set_values()
        params = self.env["ir.config_parameter"].sudo()
        for field, (key, _default) in self._BOOL_PARAMS.items():
            params.set_param(PARAM + key, str(bool(self[field])))
        return res

    @api.depends("company_id")
    def _compute_relationship_default_pipeline_id(self):
        for settings in self:
            settings.relationship_default_pipeline_id = self.env["relationship.pipeline"]._get_lifecycle(
                settings.company_id)

    def _inverse_relationship_default_pipeline_id(self):
        Pipeline = self.env["relationship.pipeline"]
        for settings in self:
            chosen = settings.relationship_default_pipeline_id
            current = Pipeline.search(
                [("is_lifecycle", "=", True), ("company_id", "in", [settings.company_id.id, False])])
            (current - chosen).write({"is_lifecycle": False})
            if chosen and not chosen.is_lifecycle:
                chosen.is_lifecycle = True

    @api.model
    def _gdpr_legal_hold_model_names(self):
        value = self.env["ir.config_parameter"].sudo().get_param(PARAM + "gdpr_legal_hold_models", "")
        return [name.strip() for name in value.split(",") if name.strip()]

    def _compute_gdpr_legal_hold_model_ids(self):
        models_ = self.env["ir.model"].sudo().search([("model", "in", self._gdpr_legal_hold_model_names())])
        for settings in self:
            settings.gdpr_legal_hold_model_ids = models_

    def _inverse_gdpr_legal_hold_model_ids(self):
        for settings in self:
            self.env["ir.config_parameter"].sudo().set_param(
                PARAM + "gdpr_legal_hold_models", ",".join(settings.gdpr_legal_hold_model_ids.mapped("model")))

    def _gdpr_destruction_cron(self):
        # sudo: Settings (administrators) read and reschedule the retention rules' scheduled action
        return self.env["ir.cron"].sudo()._gdpr_retention_cron()

    def _gdpr_destruction_months(self):
        """The interval in months; 0 when an administrator set it in other units on the scheduled action."""
        cron = self._gdpr_destruction_cron()
        return cron.interval_number if cron and cron.interval_type == "months" else 0

    def _compute_gdpr_destruction_interval_months(self):
        months = self._gdpr_destruction_months()
        for settings in self:
            settings.gdpr_destruction_interval_months = months

    def _inverse_gdpr_destruction_interval_months(self):
        current = self._gdpr_destruction_months()
        for settings in self:
            # unchanged: saving other settings keeps an interval set in weeks or days (0 here)
            if settings.gdpr_destruction_interval_months != current:
                # the 1-6 months check, shared with Privacy > Destruction Interval
                self._gdpr_destruction_cron()._gdpr_set_destruction_months(
                    settings.gdpr_destruction_interval_months)
