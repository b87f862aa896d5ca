import json
import logging
import os
import re
from collections import defaultdict

from markupsafe import Markup

from odoo import _
from odoo import api
from odoo import models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.osv import expression
from odoo.tools.sql import escape_psql

_logger = logging.getLogger(__name__)

SCRUBBED = "[erased]"
MESSAGE_TEXT_FIELDS = ("body", "subject", "email_from", "reply_to", "record_name")
TRACKING_TEXT_FIELDS = ("old_value_char", "new_value_char")
MIN_VALUE_LENGTH = 4  # shorter values ("Li", "12") would scrub unrelated text


class GdprDataErasure(models.AbstractModel):
    """GDPR art. 17: carry out a request's reviewed plan, then remove what the person leaves behind
    everywhere else: tracking values, earlier requests, queued mail, bus rows and attachment files."""

    _name = "gdpr.data.erasure"
    _description = "GDPR: Erase the Data Subject's Records"

    @api.model
    def _erase(self, request):
        env = self.env(su=True, context=dict(self.env.context, active_test=False, tracking_disable=True))
        request = request.with_env(env)
        lines = request.line_ids.filtered("included")
        partners = env["res.partner"].browse(
            [line.res_id for line in lines if line.res_model == "res.partner" and line.action == "anonymise"])
        users = partners.exists().user_ids
        if users:
            raise UserError(_(
                "%(partners)s is the contact of the user %(users)s: archive or delete the user account first, "
                "then execute the erasure.", partners=", ".join(partners.mapped("display_name")),
                users=", ".join(users.mapped("login"))))
        done = self._erase_persons(env, request, partners, self._group(lines), suppress=True)
        request.result = self._summary(request, lines, done)
        return _("erased: %(summary)s", summary=", ".join(
            f"{action} {count} {model}" for model, per_action in sorted(done.items())
            for action, count in sorted(per_action.items())))

    @api.model
    def _erase_persons(self, env, request, partners, grouped, suppress):
        """Carry out {(model, action): ids} for the persons, then clean what they leave behind.

        Shared by requests (``request`` is the request, ``suppress`` puts the addresses on the suppression
        list) and by retention rules (an empty request: no requester, and no suppression, since the person
        did not object). Returns {model: {action: count}}."""
        # Tracking and bus rows are written at commit: write now what is pending, so it can be cleaned.
        self._flush_pending(env)
        values = self._identifying_values(request, partners)
        addresses = self._addresses(request, partners)
        done = defaultdict(lambda: defaultdict(int))
        files = []
        for (model_name, action), ids in grouped.items():
            records = env[model_name].browse(ids).exists()
            if not records or action == "keep":
                done[model_name][action] += len(records)
                continue
            if action == "anonymise":
                self._anonymise(records, partners, values)
            else:
                files += self._files_of(env, records)
                records.unlink()
            done[model_name][action] += len(records)
        files += self._clean_requests(request, partners, addresses, values)
        self._clean_residues(env, partners, values)
        if suppress:
            for address in addresses:
                env["gdpr.suppression"]._suppress(address, request)
        self._flush_pending(env)
        self._clean_residues(env, partners, values)
        self._remove_files(env, files)
        return done

    @api.model
    def _flush_pending(self, env):
        env.flush_all()
        env.cr.precommit.run()
        env.flush_all()

    @staticmethod
    def _group(lines):
        grouped = defaultdict(list)
        for line in lines:
            grouped[(line.res_model, line.action)].append(line.res_id)
        return grouped

    @api.model
    def _identifying_values(self, request, partners):
        """The person's name, e-mails, phones, street, IBANs and references, taken before they are cleared."""
        # The requester's own name only when it is the person's (a masked or already erased one is not).
        values = {request.requester_name, request.requester_email} if partners else set()
        for partner in partners:
            values |= {partner.name, partner.email, partner.phone, partner.mobile, partner.street, partner.street2,
                       partner.ref, partner.company_name, partner.vat, partner.email_normalized}
            values |= set(partner.bank_ids.mapped("acc_number")) | set(partner.bank_ids.mapped("sanitized_acc_number"))
            values |= set(self.env["gdpr.suppression"]._addresses(partner.email))
        return sorted({v.strip() for v in values if v and len(v.strip()) >= MIN_VALUE_LENGTH}, key=len, reverse=True)

    @api.model
    def _addresses(self, request, partners):
        Suppression = self.env["gdpr.suppression"]
        found = []
        for value in [request.requester_email, *partners.mapped("email")]:
            found += [a for a in Suppression._addresses(value) if a not in found]
        return found

    @staticmethod
    def _scrub(text, values):
        if not text or not isinstance(text, str):
            return text
        for value in values:
            text = re.sub(re.escape(value), SCRUBBED, text, flags=re.IGNORECASE)
        return text

    @api.model
    def _anonymise(self, records, partners, values):
        if records._name == "res.partner":
            records._gdpr_anonymise()
            return
        if records._name == "mail.message":
            # The person only received these messages: remove them from the recipients and the text.
            self.env["mail.notification"].sudo().search([
                ("mail_message_id", "in", records.ids), ("res_partner_id", "in", partners.ids)]).unlink()
            for message in records:
                vals = {fname: self._scrub(message[fname], values) for fname in MESSAGE_TEXT_FIELDS}
                vals["partner_ids"] = [Command.unlink(pid) for pid in partners.ids]
                message.write(vals)
            return
        text_fields = [fname for fname, field in records._fields.items()
                       if field.store and field.type in ("char", "text", "html") and not field.compute]
        for record in records:
            record.write({fname: self._scrub(record[fname], values) for fname in text_fields
                          if record[fname] != self._scrub(record[fname], values)})

    @api.model
    def _clean_requests(self, request, partners, addresses, values):
        """Earlier requests of the person keep their reference, type and dates, nothing that identifies them."""
        Request = request.env["gdpr.request"]
        domain = [("partner_id", "in", partners.ids)]
        if addresses:
            domain = ["|", *domain, ("requester_email", "in", addresses)]
        requests = Request.search(domain) | request
        Log = self.env["privacy.log"]
        for each in requests:
            vals = {"rectification_values": False, "export_attachment_id": False, "export_filename": False}
            if each.requester_name and "*" not in each.requester_name:
                vals["requester_name"] = Log._anonymize_name(each.requester_name)
            if each.requester_email and "*" not in each.requester_email:
                vals["requester_email"] = str(Log._anonymize_email(each.requester_email))
            if each != request and each.result:
                vals["result"] = self._scrub(each.result, values)
            each.write(vals)
        requests.line_ids.write({"res_name": False})
        # sudo: the requests' files (ID cards, exports, field attachments) go whoever owns them
        attachments = self.env["ir.attachment"].sudo().search([
            ("res_model", "=", "gdpr.request"), ("res_id", "in", requests.ids)])
        attachments |= self.env["ir.attachment"].sudo().search([
            ("res_model", "=", "gdpr.request"), ("res_id", "in", requests.ids), ("res_field", "!=", False)])
        files = attachments.mapped("store_fname")
        attachments.unlink()
        messages = self.env["mail.message"].sudo().search([("model", "=", "gdpr.request"),
                                                          ("res_id", "in", requests.ids)])
        for message in messages:
            vals = {fname: self._scrub(message[fname], values) for fname in MESSAGE_TEXT_FIELDS}
            message.write({k: v for k, v in vals.items() if v != message[k]})
        return files

    @api.model
    def _clean_residues(self, env, partners, values):
        """Rows that hold the person's values outside any plan line: tracking values, queued mail, bus rows."""
        like = [f"%{escape_psql(value)}%" for value in values]
        if not like:
            return
        # One query per model, whatever the number of values (retention erases many persons at once).
        env["mail.tracking.value"].search(self._any_like(TRACKING_TEXT_FIELDS, like)).unlink()
        env["mail.mail"].search(expression.OR([
            [("recipient_ids", "in", partners.ids)], self._any_like(("email_to", "email_cc", "body_html"), like),
        ])).unlink()
        env["mail.notification"].search([("res_partner_id", "in", partners.ids)]).unlink()
        channels = [json.dumps([env.cr.dbname, "res.partner", pid], separators=(",", ":")) for pid in partners.ids]
        env["bus.bus"].search(expression.OR([
            [("channel", "in", channels)], self._any_like(("message", "channel"), like),
        ])).unlink()

    @staticmethod
    def _any_like(fnames, patterns):
        return expression.OR([[(fname, "=ilike", pattern)] for fname in fnames for pattern in patterns])

    @api.model
    def _files_of(self, env, records):
        """The files of records about to be deleted: an attachment's own, or those attached to the records
        (Odoo deletes such attachments with their record but leaves the files to the garbage collection)."""
        if records._name == "ir.attachment":
            return records.mapped("store_fname")
        # Field attachments too: without a res_field condition, ir.attachment hides them.
        return env["ir.attachment"].search([
            ("res_model", "=", records._name), ("res_id", "in", records.ids),
            "|", ("res_field", "=", False), ("res_field", "!=", False)]).mapped("store_fname")

    @api.model
    def _remove_files(self, env, store_fnames):
        """The files leave the filestore now, not at the next garbage collection (unless another
        attachment still uses the same content)."""
        env.flush_all()
        Attachment = env["ir.attachment"]
        for fname in set(filter(None, store_fnames)):
            if Attachment.search_count([("store_fname", "=", fname)]):
                continue
            path = Attachment._full_path(fname)
            try:
                os.unlink(path)
            except FileNotFoundError:
                continue
            except OSError:
                _logger.exception("Could not remove the erased file %s", path)

    @api.model
    def _summary(self, request, lines, done):
        labels = dict(request.env["gdpr.request.line"]._fields["action"]._description_selection(request.env))
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td></tr>") % (model, labels[action], count)
            for model, per_action in sorted(done.items()) for action, count in sorted(per_action.items()))
        kept = Markup("").join(
            Markup("<li>%s: %s (%s)</li>") % (line.res_model, line.res_id, line.reason or "")
            for line in lines if line.action == "keep")
        head = Markup("<tr><th>%s</th><th>%s</th><th>%s</th></tr>") % (_("Model"), _("Action"), _("Records"))
        html = Markup("<p>%s</p><table class='table table-sm'>%s%s</table>") % (_("Erasure done:"), head, rows)
        if kept:
            html += Markup("<p>%s</p><ul>%s</ul>") % (_("Records kept under a legal hold:"), kept)
        return html
