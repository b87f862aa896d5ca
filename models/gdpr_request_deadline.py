from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

from .res_company import PRIVACY_REGIMES

# KVKK art. 13(2): the controller concludes the application within thirty days at the latest, free of charge.
KVKK_DAYS = 30


class GdprRequest(models.Model):
    """The law a request answers to and its deadline: GDPR art. 12(3), or KVKK (Law No. 6698) art. 13.

    Kept apart from gdpr_request.py (intake and workflow), like res_partner_rfm.py beside res_partner.py.
    """

    _inherit = "gdpr.request"

    # The company's law when the request was registered: changing the company's setting later does not
    # rewrite the deadlines and letters of requests already received under the former law.
    regime = fields.Selection(
        PRIVACY_REGIMES, string="Data Protection Law", compute="_compute_regime", store=True, precompute=True,
        readonly=True, index=True, tracking=True)
    extension_months = fields.Selection(
        [("0", "None"), ("1", "1 month"), ("2", "2 months")], string="Extension", default="0",
        required=True, tracking=True,
        help="GDPR art. 12(3): complex or numerous requests may be extended by up to two further months. "
             "KVKK has no extension.")
    extension_reason = fields.Text()
    date_extension_notified = fields.Date(
        string="Extension Notified On", help="The person must be told of the extension within the first month.")
    date_deadline = fields.Date(
        string="Deadline", compute="_compute_date_deadline", store=True, index=True, tracking=True)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    overdue_notified = fields.Boolean(copy=False, readonly=True)
    reminder_sent = fields.Boolean(copy=False, readonly=True)
    # The type names the right; the article citing it depends on the law (the labels are regime-neutral).
    legal_reference = fields.Char(compute="_compute_legal_reference")

    @api.depends("company_id")
    def _compute_regime(self):
        # Only the company: the company's own setting is read once, at intake (see the field's comment).
        for request in self:
            request.regime = (request.company_id or self.env.company).gdpr_regime or "gdpr"

    @api.depends("request_type", "regime")
    def _compute_legal_reference(self):
        references = self._legal_references()
        for request in self:
            request.legal_reference = references[request.regime or "gdpr"].get(request.request_type, False)

    def _legal_references(self):
        """{regime: {request type: the article giving the right}}: GDPR art. 15-21, KVKK art. 11(1)."""
        return {
            "gdpr": {
                "access": _("GDPR art. 15"), "rectification": _("GDPR art. 16"), "erasure": _("GDPR art. 17"),
                "restriction": _("GDPR art. 18"), "portability": _("GDPR art. 20"), "objection": _("GDPR art. 21"),
            },
            "kvkk": {
                "access": _("KVKK art. 11(1)(a) to (ç)"),
                "rectification": _("KVKK art. 11(1)(d), and (f) for the recipients"),
                "erasure": _("KVKK art. 11(1)(e) and art. 7, and (f) for the recipients"),
                "restriction": _("No such right under KVKK (GDPR art. 18): answered under KVKK art. 13"),
                "portability": _("No such right under KVKK (GDPR art. 20): the data is given under KVKK "
                                 "art. 11(1)(b)"),
                "objection": _("KVKK art. 11(1)(g): against a result of solely automated analysis"),
            },
        }

    @api.depends("date_received", "extension_months", "regime")
    def _compute_date_deadline(self):
        for request in self:
            if not request.date_received:
                request.date_deadline = False
            elif request.regime == "kvkk":
                request.date_deadline = request.date_received + timedelta(days=KVKK_DAYS)
            else:
                # relativedelta keeps the day or falls back to the last day of a shorter month (31/1 -> 28/2).
                months = 1 + int(request.extension_months or 0)
                request.date_deadline = request.date_received + relativedelta(months=months)

    @api.constrains("extension_months", "extension_reason", "date_extension_notified", "date_received", "regime")
    def _check_extension(self):
        for request in self.filtered(lambda r: r.extension_months != "0"):
            if request.regime == "kvkk":
                raise ValidationError(_(
                    "Request %(name)s falls under KVKK: it must be answered within thirty days of receipt "
                    "(Law No. 6698, art. 13) and cannot be extended.", name=request.name))
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

    def _regime_label(self):
        """“GDPR” or “KVKK”, as the reminders and letters name the law."""
        return dict(self._fields["regime"]._description_selection(self.env)).get(self.regime or "gdpr")

    # ------------------------------------------------------------------
    # Daily cron: reminders and overdue
    # ------------------------------------------------------------------
    @api.model
    def _cron_deadline_reminders(self):
        # sudo: a setting read by the cron, whoever runs it
        days = int(self.env["ir.config_parameter"].sudo().get_param(
            "customer_relationship.gdpr_reminder_days", 7) or 0)
        today = fields.Date.context_today(self)
        # A request without officer reminds its company's default officer (Settings).
        open_domain = [("state", "not in", ("done", "rejected")),
                       "|", ("user_id", "!=", False), ("company_id.gdpr_officer_id", "!=", False)]
        soon = self.search(open_domain + [
            ("reminder_sent", "=", False), ("date_deadline", ">=", today),
            ("date_deadline", "<=", today + relativedelta(days=days))])
        for request in soon:
            request.activity_schedule(
                "mail.mail_activity_data_todo", date_deadline=request.date_deadline,
                user_id=request._reminder_officer().id,
                summary=_("%(law)s request %(name)s is due on %(date)s", law=request._regime_label(),
                          name=request.name, date=request.date_deadline))
        soon.sudo().write({"reminder_sent": True})  # sudo: a workflow marker, never written by users
        overdue = self.search([("is_overdue", "=", True), ("overdue_notified", "=", False)])
        for request in overdue:
            request.activity_schedule(
                "mail.mail_activity_data_todo", date_deadline=today,
                user_id=(request._reminder_officer() or self.env.ref("base.user_admin", raise_if_not_found=False)
                         or self.env.user).id,
                summary=_("%(law)s request %(name)s is overdue since %(date)s", law=request._regime_label(),
                          name=request.name, date=request.date_deadline))
        overdue.sudo().write({"overdue_notified": True})  # sudo: a workflow marker, never written by users

    def _reminder_officer(self):
        return self.user_id or self.company_id.gdpr_officer_id
