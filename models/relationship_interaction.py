from datetime import timedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo import tools
from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError

FOLLOW_UP_FIELDS = ("next_activity_type_id", "next_activity_date", "next_activity_summary", "next_activity_user_id")

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
        related="partner_id.commercial_partner_id", store=True, index=True, precompute=True,
        string="Customer Company")
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
    message_id = fields.Many2one("mail.message", string="Captured Message", ondelete="set null", readonly=True,
                                 index="btree_not_null")
    partner_email = fields.Char(
        string="Partner E-mail", store=False,
        help="For imports: the partner is found by this e-mail address when no partner is given.")
    # Follow-up: saving the interaction schedules this activity on the partner.
    next_activity_type_id = fields.Many2one("mail.activity.type", string="Next Step", store=False,
                                            domain="[('res_model', 'in', (False, 'res.partner'))]")
    next_activity_date = fields.Date(string="Next Step Due", store=False)
    next_activity_summary = fields.Char(string="Next Step Summary", store=False)
    next_activity_user_id = fields.Many2one("res.users", string="Next Step Assigned To", store=False)

    _sql_constraints = [
        ("message_partner_unique", "UNIQUE(message_id, partner_id)",
         "This e-mail has already been logged as an interaction for this partner."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        follow_ups = []
        for vals in vals_list:
            self._match_partner_by_email(vals)
            if self.env.context.get("import_file") and vals.get("source", "manual") == "manual":
                vals["source"] = "import"
            follow_ups.append({key: vals.pop(key, False) for key in FOLLOW_UP_FIELDS})
        Partner = self.env["res.partner"]
        pending = Partner._interaction_stats_pending()
        interactions = super().create(vals_list)
        Partner._interaction_stats_add(interactions, pending)
        interactions._schedule_follow_ups(follow_ups)
        return interactions

    @api.model
    def _match_partner_by_email(self, vals):
        email = vals.pop("partner_email", False)
        if vals.get("partner_id") or not email:
            return
        normalized = tools.email_normalize(email)
        partner = self.env["res.partner"].search([("email_normalized", "=", normalized)], limit=1) if normalized \
            else self.env["res.partner"]
        if not partner:
            raise ValidationError(_("No contact has the e-mail address %(email)s: create the contact first, "
                                    "or give the partner's name.", email=email))
        vals["partner_id"] = partner.id

    def _schedule_follow_ups(self, follow_ups):
        """Create the next-step activities on the partners, all at once."""
        model_id = self.env["ir.model"]._get_id("res.partner")
        activities = []
        for interaction, follow_up in zip(self, follow_ups, strict=True):
            if not follow_up["next_activity_type_id"]:
                continue
            activity_type = self.env["mail.activity.type"].browse(follow_up["next_activity_type_id"])
            activities.append({
                "res_model_id": model_id,
                "res_id": interaction.partner_id.id,
                "activity_type_id": activity_type.id,
                "summary": follow_up["next_activity_summary"] or interaction.subject,
                "date_deadline": follow_up["next_activity_date"] or activity_type._get_date_deadline(),
                "user_id": follow_up["next_activity_user_id"] or interaction.user_id.id or self.env.uid,
            })
        if activities:
            self.env["mail.activity"].create(activities)

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
        if not self.env.su:
            # record rules of the user's current companies: no interaction on a partner they cannot see
            Partner = self.env["res.partner"].with_context(active_test=False)
            readable = Partner.search([("id", "in", self.partner_id.ids)])
            if self.partner_id - readable:
                raise AccessError(_("You can log interactions only on contacts you can see in your current "
                                    "companies: switch company, or ask a colleague of the contact's company."))
        for partner in self.partner_id:
            if not partner.active:
                raise ValidationError(_(
                    "%(partner)s is archived: restore the contact before logging an interaction.",
                    partner=partner.display_name))
        self.partner_id._check_gdpr_not_restricted(_("log an interaction"))
