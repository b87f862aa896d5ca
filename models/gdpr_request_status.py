from odoo import fields
from odoo import models
from odoo import tools

from .gdpr_request import REQUEST_TYPES


class GdprRequestStatus(models.Model):
    """The narrow read path of the person who registered a request: its reference, type and status.

    gdpr.request itself (its chatter, files, plan and result) is readable by Privacy Officers only.
    """

    _name = "gdpr.request.status"
    _description = "GDPR Request Status"
    _auto = False
    _order = "id desc"

    name = fields.Char(string="Reference", readonly=True)
    request_type = fields.Selection(REQUEST_TYPES, readonly=True)
    state = fields.Selection(
        [("new", "New"), ("verified", "Identity Verified"), ("in_progress", "In Progress"),
         ("done", "Done"), ("rejected", "Rejected")], string="Status", readonly=True)
    registered_by_id = fields.Many2one("res.users", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"""
            CREATE OR REPLACE VIEW {self._table} AS
            SELECT id, name, request_type, state, registered_by_id, company_id
              FROM gdpr_request
        """)  # noqa: S608 - the table name is the model's own
