from collections import defaultdict

from odoo import _
from odoo import api
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import escape_psql

# Found by the finder's own rules below, or never the person's data (the GDPR records themselves).
SPECIAL_MODELS = {
    "res.partner", "res.users", "mail.message", "mail.mail", "ir.attachment", "mail.activity",
    "gdpr.request", "gdpr.request.line", "gdpr.suppression", "privacy.log", "mail.tracking.value", "bus.bus",
}
EMAIL_FIELDS = ("email_normalized", "email", "email_from", "company_email", "email_to", "email_cc")
CHILD_ADDRESS_TYPES = ("invoice", "delivery", "other")


class GdprSubjectFinder(models.AbstractModel):
    """Which records are the data subject's.

    Exact: linked to the subject's partner or to one of its own child addresses (invoice, delivery, other),
    or holding an e-mail whose normalised form equals one of the subject's addresses. Looser matches
    (the same name, an e-mail field containing the address) become lines the officer may include.
    """

    _name = "gdpr.subject.finder"
    _description = "GDPR: Find the Data Subject's Records"

    @api.model
    def _subject(self, request):
        """(partners, addresses, name) of the person; refuses what cannot be searched safely."""
        # sudo: archived contacts and addresses of other salespeople are the person's data too; only
        # officers reach this (the request is officer-only)
        subject = request.partner_id.sudo().with_context(active_test=False)
        name = (subject.name or "").strip()
        if sum(char.isalnum() for char in name) < 2:
            raise UserError(_(
                "The contact's name “%(name)s” has too few letters to look for the person's records: "
                "correct the contact first.", name=name))
        Suppression = self.env["gdpr.suppression"]
        addresses = []
        for value in (subject.email, request.requester_email):
            invalid = Suppression._invalid_addresses(value)
            if invalid:
                raise UserError(_(
                    "“%(email)s” is not a valid e-mail address: correct the contact or the request first.",
                    email=invalid[0]))
            for address in Suppression._addresses(value):
                if address not in addresses:
                    addresses.append(address)
        children = subject.child_ids.filtered(lambda p: p.type in CHILD_ADDRESS_TYPES)
        same_email = subject.search([("email_normalized", "in", addresses), ("user_ids", "=", False)]) \
            if addresses else subject.browse()
        return subject | children | same_email, addresses, name

    @api.model
    def _plan_lines(self, request):
        """Values of gdpr.request.line for the request: what to export or erase, and why."""
        partners, addresses, name = self._subject(request)
        env = self.env(su=True, context=dict(self.env.context, active_test=False))
        return self._lines(request, env, self._find_all(env, partners, addresses, name))

    @api.model
    def _find_all(self, env, partners, addresses, name):
        """{model: {id: match}} of the persons' records; the strongest match wins. Without a name (retention
        rules, many persons at once), no record is matched by name."""
        found = defaultdict(dict)
        self._find_partners(env, partners, addresses, name, found)
        self._find_mail(env, partners, addresses, found)
        for model_name in env.registry:
            model = env[model_name]
            if model_name in SPECIAL_MODELS or model._transient or model._abstract or not model._auto:
                continue
            self._find_generic(model, partners, addresses, name, found)
        return found

    @staticmethod
    def _keep(found, model, record_id, match):
        order = ["linked", "email", "email_part", "name"]
        current = found[model].get(record_id)
        if current is None or order.index(match) < order.index(current):
            found[model][record_id] = match

    @api.model
    def _classify_email(self, value, addresses):
        found = self.env["gdpr.suppression"]._addresses(value)
        return "email" if set(found) & set(addresses) else "email_part"

    @api.model
    def _like(self, value):
        return f"%{escape_psql(value)}%"

    @api.model
    def _find_partners(self, env, partners, addresses, name, found):
        for partner in partners:
            # Already erased: nothing left to anonymise on the row itself.
            if partner.active or partner.email or partner.name != partner._gdpr_anonymous_name():
                self._keep(found, "res.partner", partner.id, "linked")
        namesakes = env["res.partner"].search([("name", "=ilike", escape_psql(name)), ("id", "not in", partners.ids),
                                               ("user_ids", "=", False)]) if name else env["res.partner"]
        for partner in namesakes:
            self._keep(found, "res.partner", partner.id, "name")
        for address in addresses:
            similar = env["res.partner"].search([("email", "=ilike", self._like(address)),
                                                 ("id", "not in", partners.ids), ("user_ids", "=", False)])
            for partner in similar:
                self._keep(found, "res.partner", partner.id, self._classify_email(partner.email, addresses))

    @api.model
    def _find_mail(self, env, partners, addresses, found):
        on_partner = [("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)]
        for model in ("mail.activity", "ir.attachment"):
            for record_id in env[model].search(on_partner).ids:
                self._keep(found, model, record_id, "linked")
        messages = env["mail.message"].search([
            "|", "|", ("author_id", "in", partners.ids), ("partner_ids", "in", partners.ids),
            "&", ("model", "=", "res.partner"), ("res_id", "in", partners.ids)])
        for message in messages:
            self._keep(found, "mail.message", message.id, "linked")
        mails = env["mail.mail"].search([("recipient_ids", "in", partners.ids)])
        for mail in mails:
            self._keep(found, "mail.mail", mail.id, "linked")
        for address in addresses:
            like = self._like(address)
            for message in env["mail.message"].search([("email_from", "=ilike", like)]):
                self._keep(found, "mail.message", message.id, self._classify_email(message.email_from, addresses))
            for mail in env["mail.mail"].search(["|", ("email_to", "=ilike", like), ("email_cc", "=ilike", like)]):
                match = self._classify_email(f"{mail.email_to or ''},{mail.email_cc or ''}", addresses)
                self._keep(found, "mail.mail", mail.id, match)

    @api.model
    def _find_generic(self, model, partners, addresses, name, found):
        """One query per model: partner links, e-mail fields and the record name."""
        partner_columns = [fname for fname, field in model._fields.items()
                           if field.type == "many2one" and field.comodel_name == "res.partner"
                           and self._is_own_column(field) and not field.compute and not field.related]
        email_columns = [fname for fname in EMAIL_FIELDS if fname in model._fields
                         and self._is_own_column(model._fields[fname]) and model._fields[fname].type == "char"]
        name_field = model._fields.get(model._rec_name) if model._rec_name else None
        name_column = model._rec_name if (name_field and name_field.type == "char"
                                          and self._is_own_column(name_field)) else None
        conditions = [SQL("%s IN %s", SQL.identifier(fname), tuple(partners.ids)) for fname in partner_columns]
        conditions += [SQL("%s ILIKE %s", SQL.identifier(fname), self._like(address))
                       for fname in email_columns for address in addresses]
        if name_column and name:
            conditions.append(SQL("%s ILIKE %s", SQL.identifier(name_column), escape_psql(name)))
        if not conditions:
            return
        columns = list(dict.fromkeys(["id", *partner_columns, *email_columns] + ([name_column] if name_column else [])))
        self.env.cr.execute(SQL("SELECT %s FROM %s WHERE %s",
                                SQL(", ").join(SQL.identifier(c) for c in columns),
                                SQL.identifier(model._table), SQL(" OR ").join(conditions)))
        for row in self.env.cr.dictfetchall():
            if any(row[fname] in partners.ids for fname in partner_columns):
                match = "linked"
            elif any(row[fname] for fname in email_columns) and any(
                    address in (row[fname] or "").lower() for fname in email_columns for address in addresses):
                match = self._classify_email(",".join(row[fname] or "" for fname in email_columns), addresses)
            else:
                match = "name"
            self._keep(found, model._name, row["id"], match)

    @staticmethod
    def _is_own_column(field):
        """A plain column of the model's own table (not inherited through _inherits, translated or per company)."""
        return bool(field.store and field.column_type and not field.inherited and not field.translate
                    and not field.company_dependent)

    @api.model
    def _lines(self, request, env, found):
        erasure = request.request_type == "erasure"
        hold = set(env["res.config.settings"]._gdpr_legal_hold_model_names())
        recipients_only = self._recipient_only_messages(env, request, found.get("mail.message", {}))
        vals_list = []
        for model_name, matches in sorted(found.items()):
            records = env[model_name].browse(list(matches)).exists()
            names = dict(zip(records.ids, records.mapped("display_name"), strict=True))
            description = env["ir.model"]._get(model_name).name
            for record_id in records.ids:
                action, reason = "export", ""
                if erasure:
                    action, reason = self._erasure_action(model_name, record_id, hold, recipients_only)
                vals_list.append({
                    "res_model": model_name, "model_description": description, "res_id": record_id,
                    "res_name": names[record_id] or f"{model_name},{record_id}", "match": matches[record_id],
                    "included": matches[record_id] in ("linked", "email"), "action": action, "reason": reason,
                })
        return vals_list

    @api.model
    def _recipient_only_messages(self, env, request, message_matches):
        """Messages on other records where the person only received the message: scrubbed, not deleted."""
        return self._received_only(env, self._subject(request)[0], message_matches)

    @api.model
    def _received_only(self, env, partners, message_ids):
        partner_ids = set(partners.ids)
        messages = env["mail.message"].browse(list(message_ids)).exists()
        return set(messages.filtered(
            lambda m: m.author_id.id not in partner_ids
            and not (m.model == "res.partner" and m.res_id in partner_ids)).ids)

    @api.model
    def _erasure_action(self, model_name, record_id, hold, recipients_only):
        if model_name in hold:
            return "keep", _("legal hold: kept for the legal retention period")
        if model_name == "res.partner":
            return "anonymise", _("name, contact details, address, bank accounts and references cleared; archived")
        if model_name == "mail.message" and record_id in recipients_only:
            return "anonymise", _("the person only received it: their name and details are removed from it")
        return "delete", _("the person's record")
