from dateutil.relativedelta import relativedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

REQUEST_TYPES = [
    ("access", "Access (art. 15)"),
    ("rectification", "Rectification (art. 16)"),
    ("erasure", "Erasure (art. 17)"),
    ("restriction", "Restriction (art. 18)"),
    ("portability", "Portability (art. 20)"),
    ("objection", "Objection (art. 21)"),
]
CHANNELS = [
    ("email", "E-mail"),
    ("web", "Web Form"),
    ("phone", "Phone"),
    ("letter", "Letter"),
    ("in_person", "In Person"),
]


class GdprRequest(models.Model):
    _name = "gdpr.request"
    _description = "GDPR Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_deadline, id"

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    partner_id = fields.Many2one("res.partner", string="Data Subject", index=True, tracking=True)
    requester_name = fields.Char(required=True, tracking=True)
    requester_email = fields.Char(tracking=True)
    request_type = fields.Selection(REQUEST_TYPES, required=True, tracking=True, index=True)
    channel = fields.Selection(CHANNELS, required=True, default="email")
    date_received = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    extension_months = fields.Selection(
        [("0", "None"), ("1", "1 month"), ("2", "2 months")], string="Extension", default="0",
        required=True, tracking=True,
        help="GDPR art. 12(3): complex or numerous requests may be extended by up to two months.")
    extension_reason = fields.Text()
    date_extension_notified = fields.Date(
        string="Extension Notified On", help="The person must be told of the extension within the first month.")
    date_deadline = fields.Date(
        string="Deadline", compute="_compute_date_deadline", store=True, index=True, tracking=True)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    overdue_notified = fields.Boolean(copy=False, readonly=True)
    reminder_sent = fields.Boolean(copy=False, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Privacy Officer", tracking=True, index=True,
        domain=lambda self: [("groups_id", "in", self.env.ref("customer_relationship.group_privacy_officer").id)])
    identity_verified = fields.Boolean(readonly=True, tracking=True, copy=False)
    identity_method = fields.Selection(
        [("id_document", "Identity Document"), ("account", "Logged-in Customer Account"),
         ("email_confirmation", "Confirmation from Known E-mail"), ("in_person", "In Person"),
         ("other", "Other")], tracking=True)
    identity_verified_by = fields.Many2one("res.users", readonly=True, copy=False)
    identity_verified_on = fields.Datetime(readonly=True, copy=False)
    state = fields.Selection(
        [("new", "New"), ("verified", "Identity Verified"), ("in_progress", "In Progress"),
         ("done", "Done"), ("rejected", "Rejected")], default="new", required=True, tracking=True,
        index=True, copy=False)
    rejection_reason = fields.Text(tracking=True)
    complaint_right_informed = fields.Boolean(
        string="Told of Right to Complain",
        help="GDPR art. 12(4): when refusing, tell the person they may complain to a supervisory authority.")
    result = fields.Html(readonly=True, copy=False, sanitize_attributes=False)
    erasure_preview = fields.Html(readonly=True, copy=False)
    rectification_values = fields.Json(copy=False, help="Field changes to apply to the partner.")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)

    @api.model_create_multi
    def create(self, vals_list):
        sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = sequence.next_by_code("gdpr.request") or "/"
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Deadline (art. 12(3))
    # ------------------------------------------------------------------
    @api.depends("date_received", "extension_months")
    def _compute_date_deadline(self):
        for request in self:
            if not request.date_received:
                request.date_deadline = False
                continue
            # relativedelta keeps the day or falls back to the last day of a shorter month (31/1 -> 28/2).
            months = 1 + int(request.extension_months or 0)
            request.date_deadline = request.date_received + relativedelta(months=months)

    @api.constrains("extension_months", "extension_reason", "date_extension_notified", "date_received")
    def _check_extension(self):
        for request in self.filtered(lambda r: r.extension_months != "0"):
            if not (request.extension_reason or "").strip():
                raise ValidationError(_(
                    "Request %(name)s is extended: write the reason for the extension.", name=request.name))
            if not request.date_extension_notified:
                raise ValidationError(_(
                    "Request %(name)s is extended: enter the date the person was told of the extension.",
                    name=request.name))
            first_month_end = request.date_received + relativedelta(months=1)
            if not request.date_received <= request.date_extension_notified <= first_month_end:
                raise ValidationError(_(
                    "The extension of %(name)s must be notified within the first month, between %(start)s "
                    "and %(end)s; it was notified on %(date)s.", name=request.name,
                    start=request.date_received, end=first_month_end, date=request.date_extension_notified))

    @api.depends("date_deadline", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for request in self:
            request.is_overdue = bool(
                request.state not in ("done", "rejected") and request.date_deadline
                and request.date_deadline < today)

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Filter overdue requests with “is set” or “is not set” only."))
        today = fields.Date.context_today(self)
        domain = [("state", "not in", ("done", "rejected")), ("date_deadline", "<", today)]
        if (operator == "=") != bool(value):
            return ["!", "&", *domain]
        return domain

    # ------------------------------------------------------------------
    # Identity (art. 12(6)) and workflow
    # ------------------------------------------------------------------
    def action_verify_identity(self):
        for request in self:
            if request.state != "new":
                raise UserError(_("Request %(name)s is not new: its identity check is already done.",
                                  name=request.name))
            if not request.identity_method:
                raise UserError(_("Choose how the identity of %(name)s's requester was checked first.",
                                  name=request.name))
        self.write({
            "identity_verified": True, "identity_verified_by": self.env.uid,
            "identity_verified_on": fields.Datetime.now(), "state": "verified",
        })
        return True

    def _check_identity_verified(self):
        unverified = self.filtered(lambda r: not r.identity_verified)
        if unverified:
            raise UserError(_(
                "The identity of the requester of %(names)s is not verified: check it (GDPR art. 12(6)) "
                "before executing the request.", names=", ".join(unverified.mapped("name"))))

    def _check_open(self):
        closed = self.filtered(lambda r: r.state in ("done", "rejected"))
        if closed:
            raise UserError(_("Request %(names)s is already closed.", names=", ".join(closed.mapped("name"))))

    def action_reject(self):
        self._check_open()
        for request in self:
            if not (request.rejection_reason or "").strip():
                raise UserError(_("Write why request %(name)s is refused before rejecting it.", name=request.name))
            if not request.complaint_right_informed:
                raise UserError(_(
                    "Tell the person of their right to complain to a supervisory authority (GDPR art. 12(4)) "
                    "and tick “Told of Right to Complain” before rejecting %(name)s.", name=request.name))
        self.write({"state": "rejected"})
        return True

    def action_reset_to_new(self):
        self.filtered(lambda r: r.state == "rejected").write({"state": "new"})
        return True

    # ------------------------------------------------------------------
    # Daily cron: reminders and overdue
    # ------------------------------------------------------------------
    @api.model
    def _cron_deadline_reminders(self):
        days = int(self.env["ir.config_parameter"].sudo().get_param(
            "customer_relationship.gdpr_reminder_days", 7) or 0)
        today = fields.Date.context_today(self)
        open_domain = [("state", "not in", ("done", "rejected")), ("user_id", "!=", False)]
        soon = self.search(open_domain + [
            ("reminder_sent", "=", False), ("date_deadline", ">=", today),
            ("date_deadline", "<=", today + relativedelta(days=days))])
        for request in soon:
            request.activity_schedule(
                "mail.mail_activity_data_todo", date_deadline=request.date_deadline, user_id=request.user_id.id,
                summary=_("GDPR request %(name)s is due on %(date)s", name=request.name,
                          date=request.date_deadline))
        soon.write({"reminder_sent": True})
        overdue = self.search([("is_overdue", "=", True), ("overdue_notified", "=", False)])
        for request in overdue:
            request.activity_schedule(
                "mail.mail_activity_data_todo", date_deadline=today,
                user_id=(request.user_id or self.env.ref("base.user_admin", raise_if_not_found=False)
                         or self.env.user).id,
                summary=_("GDPR request %(name)s is overdue since %(date)s", name=request.name,
                          date=request.date_deadline))
        overdue.write({"overdue_notified": True})
