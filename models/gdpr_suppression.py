import hashlib

from odoo import api
from odoo import fields
from odoo import models
from odoo import tools


class GdprSuppression(models.Model):
    """E-mails of erased people, kept only as hashes so that they are not re-created by an import."""

    _name = "gdpr.suppression"
    _description = "GDPR Suppression List"
    _order = "date desc, id desc"
    _rec_name = "email_hash"

    email_hash = fields.Char(string="E-mail Hash (SHA-256)", required=True, index=True, readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    request_id = fields.Many2one("gdpr.request", ondelete="set null", readonly=True)

    _sql_constraints = [("email_hash_unique", "unique(email_hash)", "This e-mail is already suppressed.")]

    @api.model
    def _hash_email(self, email):
        normalized = tools.email_normalize(email or "") or (email or "").strip().lower()
        return hashlib.sha256(normalized.encode()).hexdigest() if normalized else False

    @api.model
    def _suppressed_emails(self, emails):
        """The given e-mails that are suppressed, in one query."""
        hashes = {self._hash_email(email): email for email in emails if email}
        hashes.pop(False, None)
        if not hashes:
            return []
        found = self.sudo().search_read([("email_hash", "in", list(hashes))], ["email_hash"])
        return [hashes[row["email_hash"]] for row in found]

    @api.model
    def _suppress(self, email, request=None):
        email_hash = self._hash_email(email)
        if not email_hash or self.sudo().search_count([("email_hash", "=", email_hash)]):
            return self.browse()
        return self.sudo().create({"email_hash": email_hash, "request_id": request.id if request else False})
