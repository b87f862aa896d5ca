from datetime import date

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.fields import Command

REQUEST_TYPES = [
    ("access", "Access"),
    ("rectification", "Rectification"),
    ("erasure", "Erasure"),
    ("restriction", "Restriction"),
    ("portability", "Portability"),
    ("objection", "Objection"),
]
CHANNELS = [
    ("email", "E-mail"),
    ("web", "Web Form"),
    ("phone", "Phone"),
    ("letter", "Letter"),
    ("in_person", "In Person"),
]
OFFICER = "customer_relationship.group_privacy_officer"
# Set only by the workflow itself (under sudo): never through create or write by anyone.
WORKFLOW_FIELDS = {
    "name", "state", "identity_verified", "identity_verified_by", "identity_verified_on", "result",
    "export_file", "export_filename", "export_attachment_id", "registered_by_id", "overdue_notified",
    "reminder_sent", "line_ids", "regime", "subject_erasure", "date_plan",
}
# GDPR took effect on 25 May 2018; nothing older is a GDPR request (and old dates only hide typing errors).
FIRST_DATE = date(2018, 5, 25)


class GdprRequest(models.Model):
    """Intake and workflow of a request. The law and the deadline live in gdpr_request_deadline.py; planning
    and executing in gdpr_request_execution.py; finding the data, the export and the erasure in
    gdpr_subject_finder.py, gdpr_data_export.py and gdpr_data_erasure.py."""

    _name = "gdpr.request"
    _description = "GDPR Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_deadline, id"

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    registered_by_id = fields.Many2one("res.users", readonly=True, copy=False, index=True)
    partner_id = fields.Many2one("res.partner", string="Data Subject", index=True, tracking=True)
    requester_name = fields.Char(required=True, tracking=True)
    requester_email = fields.Char(tracking=True)
    request_type = fields.Selection(REQUEST_TYPES, required=True, tracking=True, index=True)
    channel = fields.Selection(CHANNELS, required=True, default="email")
    date_received = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    user_id = fields.Many2one(
        "res.users", string="Privacy Officer", tracking=True, index=True,
        domain=lambda self: [("groups_id", "in", self.env.ref(OFFICER).id)])
    identity_verified = fields.Boolean(readonly=True, tracking=True, copy=False)
    identity_method = fields.Selection(
        [("id_document", "Identity Document"), ("account", "Logged-in Customer Account"),
         ("email_confirmation", "Confirmation from Known E-mail"), ("in_person", "In Person"),
         ("other", "Other")], tracking=True)
    identity_verified_by = fields.Many2one("res.users", readonly=True, copy=False)
    identity_verified_on = fields.Datetime(readonly=True, copy=False)
    # A field attachment: ir.attachment checks the field's groups, so only officers read the file.
    export_file = fields.Binary(attachment=True, readonly=True, copy=False, groups=OFFICER)
    export_filename = fields.Char(readonly=True, copy=False)
    export_attachment_id = fields.Many2one("ir.attachment", string="Export", readonly=True, copy=False,
                                           groups=OFFICER)
    state = fields.Selection(
        [("new", "New"), ("verified", "Identity Verified"), ("in_progress", "In Progress"),
         ("done", "Done"), ("rejected", "Rejected")], default="new", required=True, tracking=True,
        index=True, copy=False, readonly=True)
    rejection_reason = fields.Text(tracking=True)
    complaint_right_informed = fields.Boolean(
        string="Told of Right to Complain",
        help="GDPR art. 12(4): when refusing, tell the person they may complain to a supervisory authority. "
             "KVKK art. 14: to the Personal Data Protection Board, within thirty days of the answer and at the "
             "latest sixty days after the application.")
    result = fields.Html(readonly=True, copy=False, sanitize_attributes=False)
    line_ids = fields.One2many("gdpr.request.line", "request_id", string="Plan", readonly=True)
    line_count = fields.Integer(compute="_compute_line_count")
    date_plan = fields.Datetime(string="Plan Found On", readonly=True, copy=False,
                                help="An erasure is confirmed against the plan found last.")
    rectification_values = fields.Json(copy=False, help="Field changes to apply to the partner.")
    # Kept by the request when the erasure deleted or anonymised the contact (partner_id may be empty then).
    subject_erasure = fields.Selection(
        [("anonymised", "Anonymised"), ("deleted", "Deleted")], string="Contact after Erasure", readonly=True,
        copy=False)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)

    # ------------------------------------------------------------------
    # Intake: only officers create and write; the workflow fields only the workflow sets
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]  # the caller's dicts stay as they were
        for vals in vals_list:
            self._check_input(vals)
        # sudo: the reference is drawn from the addon's sequence whoever registers (users cannot write sequences)
        sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = sequence.next_by_code("gdpr.request") or "/"
            vals.setdefault("registered_by_id", self.env.uid)
            if not vals.get("user_id"):
                # the company's default officer (Settings) is responsible for a request nobody was assigned to
                company = self.env["res.company"].browse(vals.get("company_id") or self.env.company.id)
                vals["user_id"] = company.gdpr_officer_id.id
        return super().create(vals_list)

    def write(self, vals):
        self._check_input(vals)
        return super().write(vals)

    @api.model
    def _check_input(self, vals):
        """Refuse forged workflow values and bad input before anything is written."""
        forged = WORKFLOW_FIELDS & set(vals) - ({"name"} if vals.get("name", "/") == "/" else set())
        if "line_ids" in forged and self._is_plan_review(vals["line_ids"]):
            forged.discard("line_ids")  # the officer's decisions on the plan, checked again by the lines
        if forged and not self.env.su:
            raise AccessError(_(
                "%(fields)s of a GDPR request are set by its workflow only.",
                fields=", ".join(sorted(self._fields[name].string for name in forged))))
        for fname in ("requester_name", "requester_email"):
            if vals.get(fname) and not isinstance(vals[fname], str):
                raise ValidationError(_("“%(field)s” must be text.", field=self._fields[fname].string))
        if vals.get("date_received"):
            self._check_date_received(vals["date_received"])
        email = vals.get("requester_email")
        if email and (len(self.env["gdpr.suppression"]._addresses(email)) != 1
                      or self.env["gdpr.suppression"]._invalid_addresses(email)):
            raise ValidationError(_(
                "“%(email)s” is not one e-mail address: enter the requester's single address, or leave it empty.",
                email=vals["requester_email"]))
        if "requester_name" in vals and not any(char.isalnum() for char in vals["requester_name"] or ""):
            raise ValidationError(_("Enter the requester's name: “%(name)s” has no letters.",
                                    name=vals["requester_name"] or ""))

    @api.model
    def _is_plan_review(self, commands):
        return all(
            isinstance(command, (list, tuple)) and (
                command[0] == Command.LINK
                or (command[0] == Command.UPDATE and set(command[2]) <= {"included", "action", "reason"}))
            for command in commands)

    @api.model
    def _check_date_received(self, value):
        try:
            received = fields.Date.to_date(value)
        except ValueError:
            received = None
        today = fields.Date.context_today(self)
        if not received or not FIRST_DATE <= received <= today:
            raise ValidationError(_(
                "The date received must be between %(start)s and today (%(today)s); “%(date)s” is not.",
                start=FIRST_DATE, today=today, date=value))

    def _check_officer(self):
        if not (self.env.su or self.env.user.has_group(OFFICER)):
            raise AccessError(_("Only a Privacy Officer may process GDPR requests."))

    @api.model
    def _get_mail_message_access(self, res_ids, operation, model_name=None):
        # The chatter holds the officers' notes: reading it needs the right to process the request.
        return "write" if operation == "read" else super()._get_mail_message_access(res_ids, operation, model_name)

    @api.depends("line_ids")
    def _compute_line_count(self):
        for request in self:
            request.line_count = len(request.line_ids)

    # ------------------------------------------------------------------
    # Identity (art. 12(6)) and workflow
    # ------------------------------------------------------------------
    def action_verify_identity(self):
        self._check_officer()
        for request in self:
            if request.state != "new":
                raise UserError(_("Request %(name)s is not new: its identity check is already done.",
                                  name=request.name))
            if not request.identity_method:
                raise UserError(_("Choose how the identity of %(name)s's requester was checked first.",
                                  name=request.name))
        # sudo: identity fields are workflow fields (WORKFLOW_FIELDS), refused to create/write for everyone
        self.sudo().write({
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

    def _check_subject(self):
        for request in self.filtered(lambda r: not r.partner_id):
            raise UserError(_(
                "Link request %(name)s to the person's contact (Data Subject) before executing it.",
                name=request.name))
        # The finder reads everything about the person: the officer must at least see the contact
        # (a contact of a company they do not work for is not theirs to search).
        self.partner_id.check_access("read")

    def action_reject(self):
        self._check_officer()
        self._check_open()
        for request in self:
            if not (request.rejection_reason or "").strip():
                raise UserError(_("Write why request %(name)s is refused before rejecting it.", name=request.name))
            if not request.complaint_right_informed and request.regime == "kvkk":
                raise UserError(_(
                    "Tell the person that they may complain to the Personal Data Protection Board within thirty "
                    "days of the answer and at the latest sixty days after the application (KVKK art. 14), and "
                    "tick “Told of Right to Complain” before rejecting %(name)s.", name=request.name))
            if not request.complaint_right_informed:
                raise UserError(_(
                    "Tell the person of their right to complain to a supervisory authority (GDPR art. 12(4)) "
                    "and tick “Told of Right to Complain” before rejecting %(name)s.", name=request.name))
        self.sudo().write({"state": "rejected"})  # sudo: state is a workflow field; officer checked above
        return True

    def action_reset_to_new(self):
        self._check_officer()
        # sudo: state is a workflow field; the officer was checked above
        self.filtered(lambda r: r.state == "rejected").sudo().write({"state": "new"})
        return True

    def action_send_answer(self):
        self._check_officer()
        self.ensure_one()
        if not self.requester_email or "*" in self.requester_email:
            raise UserError(_(
                "Request %(name)s has no usable requester e-mail (it is masked after an erasure): answer "
                "through the channel the person used and print the summary.", name=self.name))
        template = self.env.ref("customer_relationship.mail_template_gdpr_answer")
        return {
            "type": "ir.actions.act_window", "res_model": "mail.compose.message", "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": self._name, "default_res_ids": self.ids, "default_template_id": template.id,
                "default_composition_mode": "comment", "force_email": True,
            },
        }
