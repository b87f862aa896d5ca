from collections import defaultdict
from datetime import timedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.osv.expression import AND
from odoo.osv.expression import OR
from odoo.tools import SQL

NEVER_CONTACTED_DAYS = 99999
INTERACTION_STATS = ("interaction_count", "last_interaction_date")
# Kept up to date by the addon only (interaction statistics, stage moves): users never write them.
COMPUTED_BY_ADDON = (*INTERACTION_STATS, "date_stage_entered")

# Cleared when a person's data is erased (bank accounts are unlinked).
PARTNER_ERASED_FIELDS = [
    "email", "phone", "mobile", "street", "street2", "zip", "city", "state_id", "country_id", "vat", "website",
    "comment", "image_1920", "function", "title",
]


class ResPartnerComputedGuard(models.Model):
    """Drops the addon's counters and stage date from users' create and write (first in file, last in MRO).

    Readonly in the views is no protection: an RPC call could set them. They are dropped rather than
    refused because Odoo's contact merge writes every stored field of the merged contacts back, these
    included. The addon itself writes them as superuser.
    """

    _inherit = "res.partner"

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._without_computed(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._without_computed(vals))

    @api.model
    def _without_computed(self, vals):
        if self.env.su:
            return vals
        return {name: value for name, value in vals.items() if name not in COMPUTED_BY_ADDON}


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Interaction log
    # ------------------------------------------------------------------
    interaction_ids = fields.One2many("relationship.interaction", "partner_id", string="Interactions")
    commercial_interaction_ids = fields.One2many(
        "relationship.interaction", "commercial_partner_id", string="Company Interactions")
    # stored with the last contact date (one grouped query computes both): the partner list shows
    # them at no extra query (make bench, P2)
    interaction_count = fields.Integer(compute="_compute_interaction_stats", store=True)
    last_interaction_date = fields.Datetime(
        compute="_compute_interaction_stats", store=True, index=True, string="Last Contact")

    days_since_last_interaction = fields.Integer(
        compute="_compute_days_since_last_interaction", search="_search_days_since_last_interaction",
        string="Days Since Last Contact", help="Partners never contacted count as not contacted for 99999 days.")
    contact_cadence_days = fields.Integer(
        string="Contact Cadence (days)", default=lambda self: self._default_contact_cadence_days(),
        help="Contact this partner at least every this many days; 0 means no cadence.")
    needs_attention = fields.Boolean(
        compute="_compute_needs_attention", search="_search_needs_attention",
        help="The contact cadence is exceeded: nobody talked to this partner within the cadence.")

    _sql_constraints = [
        ("contact_cadence_days_positive", "CHECK(contact_cadence_days >= 0)",
         "The contact cadence cannot be negative: enter a number of days, or 0 for no cadence."),
    ]

    @api.model
    def _default_contact_cadence_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param("customer_relationship.default_cadence_days", "30")
        try:
            return max(int(value), 0)
        except ValueError:
            return 0

    @api.depends("last_interaction_date")
    def _compute_days_since_last_interaction(self):
        now = fields.Datetime.now()
        for partner in self:
            last = partner.last_interaction_date
            partner.days_since_last_interaction = (now - last).days if last else NEVER_CONTACTED_DAYS

    def _search_days_since_last_interaction(self, operator, value):
        """Turn “not contacted for N days” into a range on the stored, indexed last contact date."""
        if operator not in ("<", "<=", ">", ">=", "=") or not isinstance(value, int):
            raise UserError(_("Filter “Days Since Last Contact” with a whole number of days and <, <=, >, >= or =."))
        now = fields.Datetime.now()
        # days = floor((now - last) / 1 day): days >= N  <=>  last <= now - N days
        def at_least(days):
            return [("last_interaction_date", "<=", now - timedelta(days=days))]

        def below(days):
            return [("last_interaction_date", ">", now - timedelta(days=days))]
        never = [("last_interaction_date", "=", False)]
        if operator == ">=":
            return OR([at_least(value), never])
        if operator == ">":
            return OR([at_least(value + 1), never])
        if operator == "<":
            return below(value)
        if operator == "<=":
            return below(value + 1)
        return AND([at_least(value), below(value + 1)])

    @api.depends("last_interaction_date", "contact_cadence_days")
    def _compute_needs_attention(self):
        now = fields.Datetime.now()
        for partner in self:
            cadence = partner.contact_cadence_days
            last = partner.last_interaction_date
            partner.needs_attention = bool(cadence) and (not last or last <= now - timedelta(days=cadence))

    def _search_needs_attention(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("The “Needs Attention” filter only accepts “is set” or “is not set”."))
        self.flush_model(["last_interaction_date", "contact_cadence_days"])
        overdue = SQL(
            """(SELECT id FROM res_partner WHERE contact_cadence_days > 0 AND (last_interaction_date IS NULL
                OR last_interaction_date <= %s - contact_cadence_days * INTERVAL '1 day'))""",
            fields.Datetime.now())
        return [("id", "in" if (operator == "=") == value else "not in", overdue)]

    def action_log_interaction(self):
        """Quick form to log an interaction with this partner."""
        self._check_one_contact()
        return {
            "type": "ir.actions.act_window",
            "name": _("Log Interaction"),
            "res_model": "relationship.interaction",
            "view_mode": "form",
            "views": [(self.env.ref("customer_relationship.relationship_interaction_view_form_quick").id, "form")],
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    def action_view_interactions(self):
        self._check_one_contact()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relationship.action_relationship_interaction")
        field = "commercial_partner_id" if self.commercial_partner_id == self else "partner_id"
        action["domain"] = [(field, "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def _check_one_contact(self):
        # public buttons: an RPC call on several contacts gets a sentence, not "Expected singleton"
        if len(self) != 1:
            raise UserError(_("Open the interactions of one contact at a time."))

    @api.model
    def _cron_contact_cadence(self):
        """One “Contact customer” activity per partner whose cadence is exceeded and who has none open.

        Locks the partners it handles (SKIP LOCKED) so that two cron workers never handle the same one.
        """
        activity_type = self.env.ref("customer_relationship.mail_activity_type_contact_customer")
        # Contacts of a company are reminded through their company, which counts their interactions.
        candidates = self.search(
            [("needs_attention", "=", True), "|", ("is_company", "=", True), ("parent_id", "=", False)])
        if not candidates:
            return
        self.env.cr.execute(SQL(
            "SELECT id FROM res_partner WHERE id IN %s FOR UPDATE SKIP LOCKED", tuple(candidates.ids)))
        locked = self.browse([row[0] for row in self.env.cr.fetchall()])
        has_open = self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("res_id", "in", locked.ids),
            ("activity_type_id", "=", activity_type.id)]).mapped("res_id")
        todo = locked.filtered(lambda p: p.id not in set(has_open))
        model_id = self.env["ir.model"]._get_id("res.partner")
        today = fields.Date.context_today(self)
        self.env["mail.activity"].sudo().create([{
            "res_model_id": model_id,
            "res_id": partner.id,
            "activity_type_id": activity_type.id,
            "summary": _("No contact for %(days)s days (cadence %(cadence)s days)",
                         days=partner.days_since_last_interaction if partner.last_interaction_date else "∞",
                         cadence=partner.contact_cadence_days),
            "user_id": (partner.user_id or self.env.ref("base.user_admin")).id,
            "date_deadline": today,
        } for partner in todo])

    def _interaction_owner_domain(self):
        """Companies (commercial partners) count their contacts' interactions too."""
        commercial = self.filtered(lambda p: p.commercial_partner_id == p)
        return commercial, self - commercial

    @api.depends("interaction_ids.date", "commercial_interaction_ids.date", "commercial_partner_id")
    def _compute_interaction_stats(self):
        stats = self._interaction_stats()
        for partner in self:
            partner.last_interaction_date, partner.interaction_count = stats.get(partner.id, (False, 0))

    @api.model
    def _interaction_stats_pending(self):
        """Partners whose interaction statistics are already due for a full recount."""
        return self.union(*(self.env.records_to_compute(self._fields[name]) for name in INTERACTION_STATS))

    @api.model
    def _interaction_stats_add(self, interactions, pending):
        """Add new interactions to their partners' statistics in one UPDATE.

        The stored compute would recount every interaction of the partner (10,000 for a busy customer,
        make bench P4). Partners already due for a recount (``pending``, e.g. re-parented) keep it.
        """
        added = defaultdict(lambda: [0, None])
        for interaction in interactions:
            for partner_id in {interaction.partner_id.id, interaction.commercial_partner_id.id} - {False}:
                count, last = added[partner_id]
                added[partner_id] = [count + 1, max(last, interaction.date) if last else interaction.date]
        partners = self.browse(added) - pending
        if not partners:
            return
        for name in INTERACTION_STATS:
            self.env.remove_to_compute(self._fields[name], partners)
        self.flush_model(INTERACTION_STATS)
        self.env.cr.execute(self._interaction_stats_update_sql(SQL(
            "(VALUES %s) AS v(id, added, last)",
            SQL(", ").join(SQL("(%s, %s, %s::timestamp)", pid, *added[pid]) for pid in partners.ids))))
        partners.invalidate_recordset(INTERACTION_STATS)

    @api.model
    def _interaction_stats_update_sql(self, added):
        """UPDATE adding ``added`` (a relation of partner id, number of new interactions, latest date)."""
        return SQL(
            """UPDATE res_partner p
                  SET interaction_count = COALESCE(p.interaction_count, 0) + v.added,
                      last_interaction_date = GREATEST(p.last_interaction_date, v.last)
                 FROM %s
                WHERE p.id = v.id""", added)

    def _interaction_stats(self):
        """{partner id: (last date, count)}: one grouped query per kind of partner, whatever their number."""
        result = {}
        Interaction = self.env["relationship.interaction"].sudo()
        commercial, contacts = self._interaction_owner_domain()
        for records, field in ((commercial, "commercial_partner_id"), (contacts, "partner_id")):
            ids = [pid for pid in records.ids if pid]
            if not ids:
                continue
            for partner, last, count in Interaction._read_group(
                    [(field, "in", ids)], [field], ["date:max", "__count"]):
                result[partner.id] = (last, count)
        return result

    # ------------------------------------------------------------------
    # Pipelines and stages
    # ------------------------------------------------------------------
    relationship_pipeline_id = fields.Many2one(
        "relationship.pipeline", string="Pipeline", index=True, tracking=True, copy=False,
        ondelete="restrict")
    relationship_stage_id = fields.Many2one(
        "relationship.stage", string="Stage", index=True, tracking=True, copy=False, ondelete="restrict",
        group_expand="_read_group_relationship_stage_ids",
        domain="[('pipeline_id', '=', relationship_pipeline_id)]")
    relationship_stage_history_ids = fields.One2many(
        "relationship.stage.history", "partner_id", string="Stage History")
    date_stage_entered = fields.Datetime(string="In Stage Since", copy=False, readonly=True, index=True)
    days_in_stage = fields.Integer(compute="_compute_days_in_stage", string="Days in Stage")
    is_stale = fields.Boolean(
        compute="_compute_is_stale", search="_search_is_stale", string="Stale",
        help="The partner has been in its stage longer than the stage allows.")
    relationship_stage_type = fields.Selection(related="relationship_stage_id.stage_type", string="Stage Type")

    def _compute_days_in_stage(self):
        now = fields.Datetime.now()
        for partner in self:
            entered = partner.date_stage_entered
            partner.days_in_stage = (now - entered).days if entered and partner.relationship_stage_id else 0

    @api.depends("date_stage_entered", "relationship_stage_id.sla_days")
    def _compute_is_stale(self):
        for partner in self:
            sla = partner.relationship_stage_id.sla_days
            partner.is_stale = bool(sla and partner.date_stage_entered) and partner.days_in_stage >= sla

    def _search_is_stale(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("The “Stale” filter only accepts “is set” or “is not set”."))
        self.flush_model(["date_stage_entered", "relationship_stage_id"])
        self.env["relationship.stage"].flush_model(["sla_days"])
        stale = SQL(
            """(SELECT p.id FROM res_partner p JOIN relationship_stage s ON s.id = p.relationship_stage_id
                WHERE s.sla_days > 0 AND p.date_stage_entered <= %s - s.sla_days * INTERVAL '1 day')""",
            fields.Datetime.now())
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", stale)]

    @api.constrains("relationship_stage_id", "relationship_pipeline_id")
    def _check_stage_in_pipeline(self):
        for partner in self:
            stage = partner.relationship_stage_id
            if stage and stage.pipeline_id != partner.relationship_pipeline_id:
                raise ValidationError(_(
                    "The stage “%(stage)s” belongs to the pipeline “%(stage_pipeline)s”, not to “%(pipeline)s”: "
                    "choose a stage of the partner's pipeline.",
                    stage=stage.name, stage_pipeline=stage.pipeline_id.name,
                    pipeline=partner.relationship_pipeline_id.name or _("no pipeline"),
                ))

    @api.model
    def _read_group_relationship_stage_ids(self, stages, domain):
        pipeline_id = self.env.context.get("default_relationship_pipeline_id")
        if not pipeline_id:
            return stages
        return stages.search([("pipeline_id", "=", pipeline_id)], order=stages._order)

    @api.model_create_multi
    def create(self, vals_list):
        self._relationship_fill_default_pipeline(vals_list)
        for vals in vals_list:
            self._relationship_fill_first_stage(vals)
        partners = super().create(vals_list)
        partners.filtered("relationship_stage_id")._relationship_log_stage_entry()
        return partners

    def write(self, vals):
        if "relationship_pipeline_id" in vals or "relationship_stage_id" in vals:
            self._relationship_fill_first_stage(vals)
        moved = self.browse()
        if "relationship_stage_id" in vals:
            moved = self.filtered(lambda p: p.relationship_stage_id.id != vals["relationship_stage_id"])
            if moved:
                moved._check_gdpr_not_restricted(_("move it to another stage"))
        res = super().write(vals)
        if moved:
            moved._relationship_log_stage_entry()
        return res

    @api.model
    def _relationship_fill_default_pipeline(self, vals_list):
        params = self.env["ir.config_parameter"].sudo()
        for_companies = params.get_param("customer_relationship.pipeline_new_companies", "True") == "True"
        for_contacts = params.get_param("customer_relationship.pipeline_new_contacts", "False") == "True"
        if not (for_companies or for_contacts) or self.env.context.get("relationship_no_pipeline"):
            return
        pipeline = None
        for vals in vals_list:
            if vals.get("relationship_pipeline_id") or vals.get("relationship_stage_id"):
                continue
            if not (for_companies if vals.get("is_company") else for_contacts):
                continue
            if pipeline is None:
                pipeline = self.env["relationship.pipeline"]._get_default()
            if pipeline:
                vals["relationship_pipeline_id"] = pipeline.id

    @api.model
    def _relationship_fill_first_stage(self, vals):
        if vals.get("relationship_stage_id"):
            stage = self.env["relationship.stage"].browse(vals["relationship_stage_id"])
            vals.setdefault("relationship_pipeline_id", stage.pipeline_id.id)
        elif vals.get("relationship_pipeline_id"):
            pipeline = self.env["relationship.pipeline"].browse(vals["relationship_pipeline_id"])
            vals["relationship_stage_id"] = pipeline._first_stage().id
        elif "relationship_pipeline_id" in vals:
            vals["relationship_stage_id"] = False

    def _relationship_log_stage_entry(self):
        """Close the open history rows of these partners and open one for their new stage.

        Rows are closed with one write per destination stage (a kanban move has one), so the number of
        queries does not grow with the number of partners moved.
        """
        now = fields.Datetime.now()
        History = self.env["relationship.stage.history"].sudo()
        open_rows = History.search([("partner_id", "in", self.ids), ("date_leave", "=", False)])
        previous = {row.partner_id.id: row.stage_id.id for row in open_rows}
        by_next_stage = defaultdict(lambda: History.browse())
        stage_of = {partner.id: partner.relationship_stage_id.id for partner in self}
        for row in open_rows:
            by_next_stage[stage_of.get(row.partner_id.id) or False] |= row
        for next_stage_id, rows in by_next_stage.items():
            rows.write({"date_leave": now, "next_stage_id": next_stage_id})
        entering = self.filtered("relationship_stage_id")
        History.create([{
            "partner_id": partner.id,
            "pipeline_id": partner.relationship_stage_id.pipeline_id.id,
            "stage_id": partner.relationship_stage_id.id,
            "previous_stage_id": previous.get(partner.id, False),
            "date_enter": now,
            "user_id": self.env.uid,
        } for partner in entering])
        # sudo: the stage date is dropped from users' writes (ResPartnerComputedGuard); moving the partner sets it
        return super(ResPartner, entering.sudo()).write({"date_stage_entered": now})

    # ------------------------------------------------------------------
    # GDPR
    # ------------------------------------------------------------------
    gdpr_restricted = fields.Boolean(
        string="Processing Restricted", copy=False, tracking=True, readonly=True,
        help="GDPR art. 18: while set, no new interactions, stage moves or outgoing e-mail for this partner.")

    def _check_gdpr_not_restricted(self, action):
        restricted = self.filtered("gdpr_restricted")
        if restricted:
            raise UserError(_(
                "Processing of %(partners)s is restricted under GDPR art. 18, so you cannot %(action)s. "
                "A Privacy Officer must lift the restriction first.",
                partners=", ".join(restricted.mapped("display_name")), action=action,
            ))


class ResPartnerGdpr(models.Model):
    """GDPR additions kept in their own class so the create/write checks stay apart from the pipeline code."""

    _inherit = "res.partner"

    gdpr_objected = fields.Boolean(
        string="Objected to Processing", copy=False, tracking=True, readonly=True,
        help="GDPR art. 21: the person objected; their e-mail is on the mail blacklist.")
    gdpr_consent_ids = fields.One2many("gdpr.consent", "partner_id", string="Consents")
    gdpr_consent_count = fields.Integer(compute="_compute_gdpr_consent_count", groups="base.group_user")

    def _compute_gdpr_consent_count(self):
        counts = dict(self.env["gdpr.consent"].sudo()._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]))
        for partner in self:
            partner.gdpr_consent_count = counts.get(partner, 0)

    def action_view_gdpr_consents(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "name": _("Consents"), "res_model": "gdpr.consent",
            "view_mode": "list,form", "domain": [("partner_id", "=", self.id)],
            "context": {"default_partner_id": self.id},
        }

    @api.model
    def _gdpr_check_suppression(self, emails):
        if self.env.context.get("gdpr_suppression_confirmed") and self.env.user.has_group(
                "customer_relationship.group_privacy_officer"):
            return
        suppressed = self.env["gdpr.suppression"]._suppressed_emails(emails)
        if suppressed:
            raise UserError(_(
                "%(emails)s belongs to a person who asked for their data to be erased (GDPR suppression list), "
                "so it cannot be saved on a contact. Remove the e-mail, or ask a Privacy Officer to confirm "
                "a new, lawful basis for processing it.", emails=", ".join(suppressed)))

    @api.model_create_multi
    def create(self, vals_list):
        self._gdpr_check_suppression([vals.get("email") for vals in vals_list])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("email"):
            self._gdpr_check_suppression([vals["email"]])
        return super().write(vals)

    def _gdpr_anonymous_name(self):
        return _("Anonymized %(id)s", id=self.id)

    def _gdpr_anonymise(self):
        """GDPR art. 17: keep the row (other records may point to it) but nothing that identifies the person."""
        for partner in self:
            partner.bank_ids.unlink()
            vals = dict.fromkeys(PARTNER_ERASED_FIELDS, False)
            vals.update(name=partner._gdpr_anonymous_name(), active=False)
            partner.with_context(tracking_disable=True).write(vals)
