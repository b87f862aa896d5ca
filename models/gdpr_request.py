import csv
import io
import json
import zipfile
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo import tools
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


EXPORT_SCHEMA = "customer_relationship.gdpr_export/1"
PARTNER_EXPORT_FIELDS = [
    "name", "parent_id", "is_company", "type", "email", "phone", "mobile", "street", "street2", "zip", "city",
    "state_id", "country_id", "vat", "website", "function", "title", "lang", "comment", "active",
    "relationship_stage_id", "gdpr_restricted", "gdpr_objected",
    "create_date", "write_date",
]
# Models handled by name below; privacy_lookup's query finds the others.
OWN_MODELS = {
    "res.partner", "res.users", "relationship.interaction", "relationship.pipeline.membership",
    "relationship.stage.history", "gdpr.consent",
    "mail.activity", "mail.message", "mail.followers", "ir.attachment", "gdpr.request", "privacy.log",
    "gdpr.suppression", "mail.tracking.value", "mail.notification",
}


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
    export_attachment_id = fields.Many2one("ir.attachment", string="Export", readonly=True, copy=False)
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

    def action_send_answer(self):
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

    # ------------------------------------------------------------------
    # Execution
    # ------------------------------------------------------------------
    def action_execute(self):
        self._check_open()
        self._check_identity_verified()
        for request in self:
            if not request.partner_id:
                raise UserError(_(
                    "Link request %(name)s to the person's contact (Data Subject) before executing it.",
                    name=request.name))
            # Taken before execution: erasure clears them.
            label = (request.partner_id.name, request.partner_id.email or request.requester_email)
            request.state = "in_progress"
            details = getattr(request, "_execute_" + request.request_type)()
            request._log_privacy(details, *label)
            request.state = "done"
        return True

    def _log_privacy(self, details, name=None, email=None):
        """privacy.log masks the name and e-mail itself."""
        self.env["privacy.log"].sudo().create({
            "anonymized_name": name or self.partner_id.name or "-",
            "anonymized_email": email or self.partner_id.email or self.requester_email or "unknown@unknown.invalid",
            "execution_details": _("%(request)s (%(type)s): %(details)s", request=self.name,
                                   type=self.request_type, details=details),
        })

    def _execute_access(self):
        self.action_export()
        return _("data exported")

    _execute_portability = _execute_access

    def _execute_restriction(self):
        self.partner_id.sudo().gdpr_restricted = True
        self.result = Markup("<p>%s</p>") % _("Processing of %(partner)s is restricted.",
                                              partner=self.partner_id.display_name)
        return _("processing restricted")

    def action_lift_restriction(self):
        for request in self.filtered("partner_id"):
            request.partner_id.sudo().gdpr_restricted = False
            request.message_post(body=_("Restriction of processing lifted by %(user)s.", user=self.env.user.name))
            request._log_privacy(_("restriction lifted"))
        return True

    def _execute_objection(self):
        partner = self.partner_id.sudo()
        if partner.email:
            self.env["mail.blacklist"].sudo()._add(partner.email, message=_("GDPR objection %(name)s", name=self.name))
        partner.gdpr_objected = True
        self.result = Markup("<p>%s</p>") % _(
            "%(partner)s objected to processing; the e-mail is on the blacklist.", partner=partner.display_name)
        return _("objection recorded, e-mail blacklisted")

    def _execute_rectification(self):
        changes = self.rectification_values or {}
        if not isinstance(changes, dict) or not changes:
            raise UserError(_("Enter the corrections of %(name)s as field: new value pairs first.", name=self.name))
        partner = self.partner_id.sudo()
        unknown = [name for name in changes if name not in partner._fields or partner._fields[name].readonly]
        if unknown:
            raise UserError(_("These contact fields cannot be corrected: %(fields)s.", fields=", ".join(unknown)))
        before = partner.read(list(changes))[0]
        partner.write(changes)
        rows = Markup("").join(
            Markup("<li>%s: %s &#8594; %s</li>") % (partner._fields[name].string, before[name], value)
            for name, value in changes.items())
        self.result = Markup("<p>%s</p><ul>%s</ul>") % (_("Corrected fields:"), rows)
        return _("%(count)s field(s) rectified", count=len(changes))

    # ------------------------------------------------------------------
    # Export (access, portability)
    # ------------------------------------------------------------------
    def action_download_export(self):
        self.ensure_one()
        if not self.export_attachment_id:
            raise UserError(_("Request %(name)s has no export yet: execute it first.", name=self.name))
        return {"type": "ir.actions.act_url", "target": "download",
                "url": f"/web/content/{self.export_attachment_id.id}?download=true"}

    def action_export(self):
        self.ensure_one()
        self._check_identity_verified()
        document = self._export_document()
        attachment = self.env["ir.attachment"].create({
            "name": f"{self.name.replace('/', '_')}_export.zip",
            "raw": self._export_zip(document),
            "mimetype": "application/zip",
            "res_model": self._name,
            "res_id": self.id,
        })
        self.export_attachment_id = attachment
        counts = Markup("").join(
            Markup("<li>%s: %s</li>") % (model, len(rows)) for model, rows in document["records"].items())
        self.result = Markup("<p>%s</p><ul>%s</ul>") % (
            _("Export %(file)s attached:", file=attachment.name), counts)
        return attachment

    def _export_document(self):
        records = self._collect_records()
        return {
            "schema": EXPORT_SCHEMA,
            "generated_at": fields.Datetime.to_string(fields.Datetime.now()),
            "request": {"name": self.name, "type": self.request_type,
                        "date_received": fields.Date.to_string(self.date_received)},
            "subject": next((row for row in records["res.partner"] if row["id"] == self.partner_id.id), {}),
            "records": records,
        }

    def _subject_partners(self):
        partner = self.partner_id.sudo().with_context(active_test=False)
        return partner | partner.child_ids

    def _collect_records(self):
        """Every stored record about the person, one read per model whatever the number of records."""
        env = self.env(su=True, context=dict(self.env.context, active_test=False))
        ids = self._subject_partners().ids
        on_partner = [("res_model", "=", "res.partner"), ("res_id", "in", ids)]
        specs = {
            "res.partner": ([("id", "in", ids)], PARTNER_EXPORT_FIELDS),
            "relationship.interaction": ([("partner_id", "in", ids)], [
                "date", "partner_id", "channel", "direction", "subject", "notes", "outcome", "duration", "user_id"]),
            "relationship.pipeline.membership": ([("partner_id", "in", ids)], [
                "partner_id", "pipeline_id", "stage_id", "active", "user_id", "date_entered", "date_stage_entered"]),
            "relationship.stage.history": ([("partner_id", "in", ids)], [
                "partner_id", "pipeline_id", "stage_id", "previous_stage_id", "date_enter", "date_leave"]),
            "gdpr.consent": ([("partner_id", "in", ids)], [
                "partner_id", "purpose", "legal_basis", "state", "date_given", "date_withdrawn", "source",
                "proof_note"]),
            "mail.activity": (on_partner, [
                "res_model", "res_id", "activity_type_id", "summary", "note", "date_deadline", "user_id"]),
            "mail.message": (
                ["|", "&", ("model", "=", "res.partner"), ("res_id", "in", ids), ("author_id", "in", ids)],
                ["date", "model", "res_id", "message_type", "subject", "body", "author_id", "email_from"]),
            "mail.followers": ([("partner_id", "in", ids)], ["res_model", "res_id", "partner_id"]),
            "ir.attachment": (on_partner, ["name", "mimetype", "file_size", "res_model", "res_id", "create_date"]),
        }
        records = {model: env[model].search_read(domain, field_names) for model, (domain, field_names) in
                   specs.items()}
        records.update(self._collect_lookup_records(env))
        return {model: [self._json_row(row) for row in rows] for model, rows in records.items()}

    def _lookup_references(self, env):
        """{model name: ids} of other models pointing to the person, from privacy_lookup's single query."""
        partner = self.partner_id.sudo()
        email = partner.email or self.requester_email
        if not email:
            return {}
        wizard = env["privacy.lookup.wizard"].create({"name": partner.name, "email": email})
        env.flush_all()
        env.cr.execute(wizard._get_query())
        rows = env.cr.dictfetchall()
        wizard.unlink()  # it holds the plain name and e-mail
        grouped = defaultdict(list)
        for row in rows:
            grouped[row["res_model_id"]].append(row["res_id"])
        names = {m.id: m.model for m in env["ir.model"].browse(list(grouped))}
        return {names[model_id]: ids for model_id, ids in grouped.items() if names[model_id] not in OWN_MODELS}

    def _collect_lookup_records(self, env):
        result = {}
        for model_name, res_ids in self._lookup_references(env).items():
            model = env[model_name]
            field_names = [
                name for name, field in model._fields.items()
                if field.store and field.type not in ("binary", "one2many", "many2many")
                and name not in models.MAGIC_COLUMNS]
            result[model_name] = model.browse(res_ids).read(field_names)
        return result

    @staticmethod
    def _json_row(row):
        """Many2one values become {"id", "name"}; dates become ISO strings."""
        clean = {}
        for key, value in row.items():
            if isinstance(value, tuple) and len(value) == 2:
                value = {"id": value[0], "name": value[1]}
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            elif isinstance(value, bytes):
                value = None
            clean[key] = value
        return clean

    @staticmethod
    def _export_zip(document):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("data.json", json.dumps(document, indent=2, ensure_ascii=False, default=str))
            for model, rows in document["records"].items():
                if not rows:
                    continue
                text = io.StringIO()
                writer = csv.DictWriter(text, fieldnames=list(rows[0]))
                writer.writeheader()
                for row in rows:
                    writer.writerow({key: value["name"] if isinstance(value, dict) else value
                                     for key, value in row.items()})
                archive.writestr(f"{model}.csv", text.getvalue())
        return buffer.getvalue()

    # ------------------------------------------------------------------
    # Erasure (art. 17)
    # ------------------------------------------------------------------
    def _erasure_targets(self):
        """[(model, records, action, reason)] for the subject; legal holds turn any action into "keep"."""
        self.ensure_one()
        env = self.env(su=True, context=dict(self.env.context, active_test=False))
        partner = self.partner_id.with_env(env)
        ids = partner.ids
        on_partner = [("res_model", "=", "res.partner"), ("res_id", "in", ids)]
        email = partner.email or self.requester_email
        targets = [
            ("res.partner", partner.filtered(lambda p: p.active or p.email or p.name != p._gdpr_anonymous_name()),
             "anonymise", _("name, contact details, address, VAT, image cleared; archived")),
            ("res.partner.bank", partner.bank_ids, "delete", _("bank accounts of the person")),
        ]
        for model, domain, reason in [
            ("relationship.interaction", [("partner_id", "in", ids)], _("interactions with the person")),
            ("relationship.stage.history", [("partner_id", "in", ids)], _("pipeline history")),
            ("relationship.pipeline.membership", [("partner_id", "in", ids)], _("places in pipelines")),
            ("gdpr.consent", [("partner_id", "in", ids)], _("consents; the suppression list replaces them")),
            ("mail.activity", on_partner, _("activities on the contact")),
            ("mail.message", ["|", "&", ("model", "=", "res.partner"), ("res_id", "in", ids),
                              ("author_id", "in", ids)],
             _("messages on the contact and written by the person, with their tracking values")),
            ("ir.attachment", on_partner, _("files attached to the contact")),
            ("mail.followers", [("partner_id", "in", ids)], _("subscriptions of the person")),
            ("mail.blacklist", [("email", "=", tools.email_normalize(email or "") or "-")],
             _("blacklist entry; the suppression list keeps only a hash")),
        ]:
            targets.append((model, env[model].search(domain), "delete", reason))
        for model, res_ids in self._lookup_references(env).items():
            if model == "mail.blacklist":
                continue
            targets.append((model, env[model].browse(res_ids), "review", _(
                "still linked to the anonymised contact; review its own copies of the person's data")))
        hold = set(self.env["res.config.settings"]._gdpr_legal_hold_model_names())
        return [(model, records, "keep" if model in hold else action,
                 _("legal hold: kept for the legal retention period") if model in hold else reason)
                for model, records, action, reason in targets]

    def _erasure_table(self, targets, title):
        labels = {"anonymise": _("Anonymise"), "delete": _("Delete"), "keep": _("Keep (legal hold)"),
                  "review": _("Keep (review)")}
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>") % (
                model, labels[action], len(records), reason)
            for model, records, action, reason in targets if records)
        kept = Markup("").join(
            Markup("<li>%s: %s</li>") % (model, ", ".join(map(str, records.ids)))
            for model, records, action, _reason in targets if records and action in ("keep", "review"))
        head = Markup("<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>") % (
            _("Model"), _("Action"), _("Records"), _("Why"))
        html = Markup("<p>%s</p><table class='table table-sm'>%s%s</table>") % (title, head, rows)
        if kept:
            html += Markup("<p>%s</p><ul>%s</ul>") % (_("Records kept:"), kept)
        return html

    def _erasure_preview_counts(self):
        """{model: {action: count}} of what an erasure would do now."""
        counts = defaultdict(dict)
        for model, records, action, _reason in self._erasure_targets():
            counts[model][action] = counts[model].get(action, 0) + len(records)
        return dict(counts)

    def action_preview_erasure(self):
        for request in self:
            if not request.partner_id:
                raise UserError(_("Link request %(name)s to the person's contact first.", name=request.name))
            request.erasure_preview = request._erasure_table(
                request._erasure_targets(), _("What erasing %(name)s would do:", name=request.name))
        return True

    def _execute_erasure(self):
        partner = self.partner_id.sudo().with_context(active_test=False)
        if partner.user_ids:
            raise UserError(_(
                "%(partner)s is the contact of the user %(users)s: archive or delete the user account first, "
                "then execute the erasure.", partner=partner.display_name,
                users=", ".join(partner.user_ids.mapped("login"))))
        targets = self._erasure_targets()
        email = partner.email or self.requester_email
        for model, records, action, _reason in targets:
            if not records or action != "delete":
                continue
            if model == "mail.message":
                self.env["mail.tracking.value"].sudo().search([("mail_message_id", "in", records.ids)]).unlink()
            records.unlink()
        if any(model == "res.partner" and action == "anonymise" and records for model, records, action, _r in targets):
            partner._gdpr_anonymise()
        if email:
            self.env["gdpr.suppression"]._suppress(email, self)
        self._gdpr_mask_requests(partner)
        self.result = self._erasure_table(targets, _("Erasure done:"))
        return _("erased: %(summary)s", summary=", ".join(
            f"{action} {len(records)} {model}" for model, records, action, _r in targets if records))

    def _gdpr_mask_requests(self, partner):
        """The requests about the person keep their reference and outcome, not the person's identity."""
        requests = self.sudo().with_context(active_test=False).search([("partner_id", "=", partner.id)]) | self.sudo()
        Log = self.env["privacy.log"]
        for request in requests:
            vals = {}
            if request.requester_name and "*" not in request.requester_name:
                vals["requester_name"] = Log._anonymize_name(request.requester_name)
            if request.requester_email and "*" not in request.requester_email:
                vals["requester_email"] = str(Log._anonymize_email(request.requester_email))
            if vals:
                request.with_context(tracking_disable=True).write(vals)
        fields_ = self.env["ir.model.fields"].sudo().search([
            ("model", "=", self._name), ("name", "in", ("requester_name", "requester_email", "partner_id"))])
        self.env["mail.tracking.value"].sudo().search([
            ("field_id", "in", fields_.ids), ("mail_message_id.model", "=", self._name),
            ("mail_message_id.res_id", "in", requests.ids)]).unlink()
        self.env["ir.attachment"].sudo().search([
            ("res_model", "=", self._name), ("res_id", "in", requests.ids),
            ("name", "=like", "%\\_export.zip")]).unlink()
