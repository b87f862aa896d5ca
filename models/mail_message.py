import logging
from collections import defaultdict

from odoo import _
from odoo import api
from odoo import models
from odoo import tools

_logger = logging.getLogger(__name__)

CAPTURED_TYPES = ("email", "comment", "email_outgoing")


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model_create_multi
    def create(self, vals_list):
        messages = super().create(vals_list)
        if self.env["ir.config_parameter"].sudo().get_param("customer_relationship.auto_capture", "True") == "True":
            # Incoming e-mails always count; posts only when sent to partners, never internal notes.
            candidates = messages.filtered(
                lambda m: m.message_type == "email" or (
                    m.message_type in CAPTURED_TYPES and m.partner_ids
                    and not (m.is_internal or m.subtype_id.internal)))
            if candidates:
                candidates._relationship_capture(new=True)
        return messages

    def _relationship_capture(self, new=False):
        """Log e-mails as interactions of the external partners concerned; never stops the mail itself.

        ``new``: the messages were just created, so none of them can be logged yet.
        """
        try:
            with self.env.cr.savepoint():
                vals_list = self._relationship_capture_values(new)
                if vals_list:
                    self.env["relationship.interaction"].sudo().with_context(
                        tracking_disable=True, mail_create_nolog=True).create(vals_list)
        except Exception:  # noqa: BLE001 - a capture failure must never block the e-mail
            _logger.exception("Could not log e-mails %s as interactions", self.ids)

    def _relationship_capture_values(self, new=False):
        concerned = {}
        for message in self:
            partners = message.author_id | message.partner_ids
            if message.model == "res.partner" and message.res_id:
                partners |= self.env["res.partner"].browse(message.res_id)
            concerned[message] = partners
        record_companies = self._relationship_record_companies()
        everyone = self.env["res.partner"].union(*concerned.values()).sudo()
        # Colleagues are not customers; archived, restricted or objecting partners get no new interactions.
        eligible = everyone.filtered(lambda p: p.active and not p.gdpr_restricted and not p.gdpr_objected
                                     and not any(not user.share for user in p.user_ids))
        existing = set() if new else set(self.env["relationship.interaction"].sudo().search_fetch(
            [("message_id", "in", self.ids)], ["message_id", "partner_id"]).mapped(
            lambda i: (i.message_id.id, i.partner_id.id)))
        vals_list = []
        for message, partners in concerned.items():
            for partner in partners & eligible:
                if (message.id, partner.id) in existing:
                    continue
                vals_list.append({
                    "partner_id": partner.id,
                    "date": message.date,
                    "channel": "email",
                    "direction": "inbound" if partner == message.author_id else "outbound",
                    "subject": message._relationship_capture_subject(),
                    "source": "email",
                    "message_id": message.id,
                    "user_id": message.author_id.user_ids[:1].id if message.author_id != partner else False,
                    # only that company sees it: the partner's, else the record's, else the poster's
                    "company_id": partner.company_id.id or record_companies.get(message) or self.env.company.id,
                })
        return vals_list

    def _relationship_record_companies(self):
        """{message: company id of the record it is posted on}, one read per model."""
        by_model = defaultdict(list)
        for message in self:
            field = self.env[message.model]._fields.get("company_id") if message.model in self.env else None
            if message.res_id and field and field.type == "many2one" and field.comodel_name == "res.company":
                by_model[message.model].append(message.res_id)
        companies = {}
        for model, ids in by_model.items():
            # sudo: the record's company decides who sees the interaction, whoever posted the message
            for record in self.env[model].sudo().browse(ids).exists():
                companies[(model, record.id)] = record.company_id.id
        return {message: companies.get((message.model, message.res_id)) for message in self}

    def _relationship_capture_subject(self):
        preview = tools.html2plaintext(self.body or "").strip().split("\n")[0][:80]
        return self.subject or self.record_name or preview or _("E-mail")
