import hashlib
import hmac
import re
import secrets

from odoo import api
from odoo import fields
from odoo import models
from odoo import tools

SECRET_PARAM = "customer_relationship.gdpr_suppression_secret"
VALID_ADDRESS = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


class GdprSuppression(models.Model):
    """E-mails of erased people, kept only as keyed hashes so that they are not re-created by an import.

    The key is HMAC-SHA256(secret, SHA-256(address)) with a secret of this database: without the secret
    a dictionary of addresses cannot be matched against the list. The inner SHA-256 lets the migration
    turn the bare SHA-256 rows of version 1 into keyed ones without knowing the addresses.
    """

    _name = "gdpr.suppression"
    _description = "GDPR Suppression List"
    _order = "date desc, id desc"
    _rec_name = "email_hash"

    email_hash = fields.Char(string="E-mail Hash (HMAC-SHA256)", required=True, index=True, readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    request_id = fields.Many2one("gdpr.request", ondelete="set null", readonly=True)

    _sql_constraints = [("email_hash_unique", "unique(email_hash)", "This e-mail is already suppressed.")]

    @api.model
    def _secret(self):
        """The per-database key, created on install (data file) or on first use if it went missing."""
        # sudo: the key is read for every user whose input is checked against the list, never shown
        params = self.env["ir.config_parameter"].sudo()
        secret = params.get_param(SECRET_PARAM)
        if not secret:
            secret = secrets.token_hex(32)
            params.set_param(SECRET_PARAM, secret)
        return secret

    @api.model
    def _addresses(self, value):
        """Every address of a field value ("a@x.org, B@Y.org "), normalised: case and spaces do not count."""
        if not isinstance(value, str):
            return []
        found = []
        for address in tools.email_split(value or "") or [(value or "").strip()]:
            normalized = tools.email_normalize(address) or address.strip().lower()
            if normalized and normalized not in found:
                found.append(normalized)
        return found

    @api.model
    def _invalid_addresses(self, value):
        """The parts of a field value that are not an e-mail address ("broken@@x", "not an address")."""
        if not isinstance(value, str):
            return [str(value)] if value else []
        parts = [part for part in re.split(r"[,;]", value) if part.strip()]
        return [part.strip() for part in parts
                if not VALID_ADDRESS.match(tools.email_normalize(part, strict=True) or "")]

    @api.model
    def _keyed_hash(self, sha256_hex):
        return hmac.new(self._secret().encode(), sha256_hex.encode(), hashlib.sha256).hexdigest()

    @api.model
    def _hash_email(self, email):
        """The key of one address, False when there is none."""
        addresses = self._addresses(email)
        if not addresses:
            return False
        return self._keyed_hash(hashlib.sha256(addresses[0].encode()).hexdigest())

    @api.model
    def _suppressed_emails(self, values):
        """The addresses in the given field values that are suppressed, in one query."""
        hashes = {}
        for value in values:
            for address in self._addresses(value) if value else []:
                hashes[self._hash_email(address)] = address
        if not hashes:
            return []
        # sudo: every user's input is checked against the list; only the matching input addresses are returned
        found = self.sudo().search_read([("email_hash", "in", list(hashes))], ["email_hash"])
        return sorted({hashes[row["email_hash"]] for row in found})

    @api.model
    def _suppress(self, email, request=None):
        """Suppress every address of ``email``; returns the new rows."""
        keys = {self._hash_email(address) for address in self._addresses(email)}
        keys.discard(False)
        # sudo: called by the erasure workflow, which may run for an officer who cannot list the hashes
        existing = set(self.sudo().search([("email_hash", "in", list(keys))]).mapped("email_hash"))
        return self.sudo().create([{"email_hash": key, "request_id": request.id if request else False}
                                   for key in sorted(keys - existing)])
