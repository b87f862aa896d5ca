"""Fixtures of the retention tests. The tests freeze the clock on 30 June 2026 at noon (NOW): a five-year rule
destroys what is older than 30 June 2021, 12:00 (CUTOFF)."""
from datetime import datetime

from odoo.tools import SQL

from .gdpr_common import GdprCase

NOW = "2026-06-30 12:00:00"
CUTOFF = datetime(2021, 6, 30, 12, 0, 0)
LONG_AGO = datetime(2019, 3, 1, 9, 0, 0)
HOLD_PARAM = "customer_relationship.gdpr_legal_hold_models"


class RetentionCase(GdprCase):
    """Contacts, interactions and requests around the cutoff of a five-year rule (see the module docstring)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["gdpr.retention.rule"]
        Partner = cls.env["res.partner"]
        cls.old = Partner.create({"name": "Ottoline Vexbridge", "email": "ottoline.vexbridge@example.org",
                                  "phone": "+90 532 111 22 33", "street": "Moda Caddesi 42"})
        cls.old_delivery = Partner.create({"name": "Ottoline Vexbridge (depot)", "type": "delivery",
                                           "parent_id": cls.old.id, "street": "Depo Sokak 7"})
        cls.recent = Partner.create({"name": "Rafferty Quillon", "email": "rafferty.quillon@example.org"})
        cls.pending = Partner.create({"name": "Perpetua Hollowmere", "email": "perpetua.hollowmere@example.org"})
        cls.held = Partner.create({"name": "Thaddeus Brackenholt", "email": "thaddeus.brackenholt@example.org"})
        cls.fresh = Partner.create({"name": "Wilhelmina Fresh"})  # created now: never inactive for five years
        cls.old_company = Partner.create({"name": "Kestrel Trading Ltd", "is_company": True})
        cls.old_employee_active = Partner.create({"name": "Bartholomew Kestrel", "parent_id": cls.old_company.id})
        # Created long ago (create_date is set by the database, not the frozen clock).
        backdated = cls.old | cls.old_delivery | cls.recent | cls.pending | cls.held | cls.old_company \
            | cls.old_employee_active | cls.user_officer.partner_id | cls.env.company.partner_id
        cls.env.flush_all()
        cls.env.cr.execute(SQL("UPDATE res_partner SET create_date = %s WHERE id IN %s",
                               LONG_AGO, tuple(backdated.ids)))
        backdated.invalidate_recordset(["create_date"])
        Interaction = cls.env["relationship.interaction"]
        cls.i_old = Interaction.create({"partner_id": cls.old.id, "subject": "Catalogue sent to Ottoline",
                                        "date": datetime(2020, 1, 15, 10, 0)})
        cls.i_before = Interaction.create({"partner_id": cls.recent.id, "subject": "Call before the cutoff",
                                           "date": datetime(2021, 6, 30, 11, 59, 59)})
        cls.i_at = Interaction.create({"partner_id": cls.recent.id, "subject": "Call at the cutoff",
                                       "date": CUTOFF})
        cls.i_recent = Interaction.create({"partner_id": cls.recent.id, "subject": "Visit",
                                           "date": datetime(2024, 5, 2, 14, 0)})
        cls.i_pending = Interaction.create({"partner_id": cls.pending.id, "subject": "Old call with Perpetua",
                                            "date": datetime(2019, 5, 2, 14, 0)})
        cls.i_employee = Interaction.create({"partner_id": cls.old_employee_active.id, "subject": "Meeting",
                                             "date": datetime(2025, 1, 6, 9, 0)})
        cls.i_message = cls.i_old.message_post(body="Ottoline asked for the catalogue", message_type="comment")
        cls.i_message.date = datetime(2020, 1, 15, 10, 5)
        cls.i_attachment = cls.env["ir.attachment"].create({
            "name": "catalogue.txt", "raw": b"Catalogue for Ottoline Vexbridge",
            "res_model": Interaction._name, "res_id": cls.i_old.id})
        cls.note = cls.old.message_post(body="Met Ottoline at the fair", message_type="comment")
        cls.note.date = datetime(2020, 2, 1, 9, 0)
        cls.consent = cls.env["gdpr.consent"].create({"partner_id": cls.held.id, "purpose": "Newsletter"})
        cls.env["gdpr.request"].create({
            "request_type": "access", "requester_name": cls.pending.name, "requester_email": cls.pending.email,
            "partner_id": cls.pending.id, "date_received": "2026-06-20", "user_id": cls.user_officer.id})

    def _rule(self, target, action, years=5, **vals):
        return self.Rule.create({"name": f"{target} after {years} years", "target": target, "action": action,
                                 "period_years": years, **vals})

    def _plan(self, rule):
        plan = self.env["gdpr.retention.plan"]._plan(rule, rule._cutoff())
        return {key: len(ids) for key, ids in plan.items() if ids}

    @staticmethod
    def _counts(record):
        return {(line.res_model, line.action): line.count for line in record.line_ids}

