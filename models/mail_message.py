import logging
from collections import defaultdict
from datetime import timedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo import tools

_logger = logging.getLogger(__name__)

CAPTURED_TYPES = ("email", "comment", "email_outgoing")


class MailMessage(models.Model):
    _inherit = "mail.message"

    # The interaction this chatter message tells of (relationship_interaction_chatter.py); erased with it.
    relationship_interaction_id = fields.Many2one(
        "relationship.interaction", string="Interaction", readonly=True, ondelete="cascade",
        index="btree_not_null")

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
                # the values just written: reading res_id back from the new records would cost a query each
                res_ids = {message.id: vals.get("res_id") for message, vals in zip(messages, vals_list, strict=True)}
                candidates._relationship_capture(new=True, res_ids=res_ids)
        return messages

    def _relationship_capture(self, new=False, res_ids=None):
        """Log e-mails as interactions of the external partners concerned; never stops the mail itself.

        ``new``: the messages were just created, so none of them can be logged yet.
        Costs one query per call (make bench P4): everything else comes from the records in cache.
        """
        try:
            vals_list = self._relationship_capture_values(new, res_ids or {})
            if vals_list:
                self.env["relationship.interaction"]._create_captured(vals_list, new=new)
        except Exception:  # noqa: BLE001 - a capture failure must never block the e-mail
            _logger.exception("Could not log e-mails %s as interactions", self.ids)

    def _relationship_capture_values(self, new=False, res_ids=None):
        """Values of the interactions the messages give: one per message and eligible partner concerned.

        Works on ids and reads each field once (make bench P4: recordset unions and filters per e-mail
        cost a third of the capture).
        """
        res_ids = res_ids or {}
        concerned = {}
        for message in self:
            author_id = message.author_id.id
            ids = [author_id, *message.partner_ids._ids]
            res_id = message._relationship_res_id(res_ids)
            if message.model == "res.partner" and res_id:
                ids.append(res_id)
            concerned[message] = (author_id, [*dict.fromkeys(filter(None, ids))])  # in order, once each
        record_companies = self._relationship_record_companies(res_ids)
        # sudo: the partners' state decides, whoever posts the message
        everyone = self.env["res.partner"].sudo().browse({pid for _author, ids in concerned.values() for pid in ids})
        # Colleagues are not customers; archived, restricted or objecting partners get no new interactions.
        # partner_share (stored: no internal user) is read with the partner, its users would cost a query
        eligible = {partner.id: partner for partner in everyone
                    if partner.active and not partner.gdpr_restricted and not partner.gdpr_objected
                    and partner.partner_share}
        existing = set() if new else set(self.env["relationship.interaction"].sudo().search_fetch(
            [("message_id", "in", self.ids)], ["message_id", "partner_id"]).mapped(
            lambda i: (i.message_id.id, i.partner_id.id)))
        # an interaction may not be dated more than a day ahead (constraint of relationship.interaction)
        now = fields.Datetime.now()
        latest = now + timedelta(days=1)
        vals_list = []
        for message, (author_id, ids) in concerned.items():
            date = message.date
            if date and date > latest:
                continue
            for partner_id in ids:
                partner = eligible.get(partner_id)
                if partner is None or (message.id, partner_id) in existing:
                    continue
                vals_list.append({
                    "partner_id": partner_id,
                    "commercial_partner_id": partner.commercial_partner_id.id,
                    "date": date or now,
                    "channel": "email",
                    "direction": "inbound" if partner_id == author_id else "outbound",
                    "subject": message._relationship_capture_subject(),
                    "source": "email",
                    "message_id": message.id,
                    "user_id": message._relationship_author_user(partner_id),
                    # only that company sees it: the partner's, else the record's, else the poster's
                    "company_id": partner.company_id.id or record_companies.get(message) or self.env.company.id,
                })
        return vals_list

    def _relationship_record_companies(self, res_ids=None):
        """{message: company id of the record it is posted on}.

        message_post stores it on the message (record_company_id: the record's company, else the poster's);
        messages created otherwise cost one read per model.
        """
        res_ids = res_ids or {}
        companies, by_model = {}, defaultdict(list)
        for message in self:
            if message.record_company_id:
                companies[message] = message.record_company_id.id
                continue
            res_id = message._relationship_res_id(res_ids)
            field = self.env[message.model]._fields.get("company_id") if message.model in self.env else None
            if res_id and field and field.type == "many2one" and field.comodel_name == "res.company":
                by_model[message.model].append((message, res_id))
        for model, pairs in by_model.items():
            # sudo: the record's company decides who sees the interaction, whoever posted the message
            records = self.env[model].sudo().browse([res_id for _message, res_id in pairs]).exists()
            found = {record.id: record.company_id.id for record in records}
            companies.update({message: found.get(res_id) for message, res_id in pairs})
        return companies

    def _relationship_author_user(self, partner_id):
        """The user who wrote to the partner; the poster's own user is known without reading the author's users."""
        author = self.author_id
        if author.id == partner_id:
            return False
        if author == self.env.user.partner_id:
            return self.env.uid
        return author.user_ids[:1].id

    def _relationship_res_id(self, res_ids):
        # the value just written when the caller has it: reading res_id back would cost a query
        try:
            return res_ids[self.id]
        except KeyError:
            return self.res_id

    def _relationship_capture_subject(self):
        if self.subject or self.record_name:
            return self.subject or self.record_name
        # the body's first line only when needed: converting the HTML costs more than the rest of the capture
        preview = tools.html2plaintext(self.body or "").strip().split("\n")[0][:80]
        return preview or _("E-mail")
