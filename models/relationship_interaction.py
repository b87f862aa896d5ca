from datetime import timedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

CHANNELS = [
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("meeting", "Meeting"),
    ("video", "Video Call"),
    ("chat", "Chat"),
    ("social", "Social Media"),
    ("visit", "Visit"),
    ("letter", "Letter"),
    ("other", "Other"),
]


class RelationshipInteraction(models.Model):
    _name = "relationship.interaction"
    _description = "Customer Interaction"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _rec_name = "subject"

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", tracking=True)
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True, string="Customer Company")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True, tracking=True)
    channel = fields.Selection(CHANNELS, required=True, default="phone", tracking=True)
    direction = fields.Selection(
        [("inbound", "Inbound"), ("outbound", "Outbound")], required=True, default="outbound")
    subject = fields.Char(required=True, tracking=True)
    notes = fields.Html()
    outcome = fields.Selection(
        [("positive", "Positive"), ("neutral", "Neutral"), ("negative", "Negative")], tracking=True)
    duration = fields.Float(string="Duration (hours)")
    user_id = fields.Many2one("res.users", string="Responsible", default=lambda self: self.env.user, index=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    source = fields.Selection(
        [("manual", "Manual"), ("email", "E-mail (captured)"), ("import", "Import")],
        required=True, default="manual", readonly=True)
    message_id = fields.Many2one("mail.message", string="Captured Message", ondelete="set null", readonly=True)

    _sql_constraints = [
        ("message_partner_unique", "UNIQUE(message_id, partner_id)",
         "This e-mail has already been logged as an interaction for this partner."),
        ("duration_positive", "CHECK(duration >= 0)",
         "The duration cannot be negative: enter the time spent in hours, or 0."),
    ]

    @api.constrains("duration", "date")
    def _check_duration_and_date(self):
        limit = fields.Datetime.now() + timedelta(days=1)
        for interaction in self:
            if interaction.duration < 0:
                raise ValidationError(_("The duration cannot be negative: enter the time spent in hours, or 0."))
            if interaction.date and interaction.date > limit:
                raise ValidationError(_(
                    "The interaction “%(subject)s” is dated more than one day in the future: "
                    "log interactions when they happen, and plan future ones as activities.",
                    subject=interaction.subject))

    @api.constrains("partner_id")
    def _check_partner_usable(self):
        for partner in self.partner_id:
            if not partner.active:
                raise ValidationError(_(
                    "%(partner)s is archived: restore the contact before logging an interaction.",
                    partner=partner.display_name))
        self.partner_id._check_gdpr_not_restricted(_("log an interaction"))
