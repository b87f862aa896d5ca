import functools
from datetime import timedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo import tools
from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .relationship_partner_stat import add_statement
from .res_partner_interaction_stats import INTERACTION_FIGURES

# Changing one of these moves an interaction between partners' or companies' statistics.
COUNTED_FIELDS = {"partner_id", "date", "company_id"}

# _create_captured's statement: insert the e-mails and add them to their partners' and commercial partners'
# counters (relationship_partner_stat.add_statement). New e-mails: every row is inserted, so the counters'
# increments are given, in a WITH (PostgreSQL runs a data-modifying WITH whether or not the statement reads
# it) around a plain INSERT, the form it parses and plans fastest (make bench P4). Otherwise e-mails already
# logged are skipped, and the counters add up what was inserted (the relation "added").
CAPTURE_NEW = """WITH counted AS ({counted})
INSERT INTO relationship_interaction ({columns}) VALUES {values} RETURNING id"""
CAPTURE_AGAIN = """WITH new AS (
    INSERT INTO relationship_interaction ({columns}) VALUES {values} ON CONFLICT DO NOTHING
    RETURNING id, partner_id, commercial_partner_id, company_id, date
), added AS (
    SELECT owner AS partner_id, new.company_id, count(*) AS added, max(new.date) AS last
      FROM new, unnest(ARRAY[new.partner_id, NULLIF(new.commercial_partner_id, new.partner_id)]) AS owner
     WHERE owner IS NOT NULL
     GROUP BY owner, new.company_id
), counted AS ({counted})
SELECT id FROM new"""


@functools.lru_cache(maxsize=64)
def captured_statement(columns, count, added):
    """The text of _create_captured's statement for ``count`` rows of ``columns``, then ``added`` rows of
    counter increments (None: the e-mails may be logged already, the counters add up what was inserted).

    Composed once per shape: composing it from SQL objects for every e-mail cost as much as a third of
    the statement itself (make bench P4). The columns are the model's own field names.
    """
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    return (CAPTURE_AGAIN if added is None else CAPTURE_NEW).format(
        columns=SQL(", ").join(map(SQL.identifier, columns)).code, values=", ".join([row] * count),
        counted=add_statement(added))


FOLLOW_UP_FIELDS = ("next_activity_type_id", "next_activity_date", "next_activity_summary", "next_activity_user_id")

CHANNELS = [
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("meeting", "Meeting"),
    ("video", "Video Call"),
    ("chat", "Chat"),
    ("social", "Social Media"),
    ("visit", "Visit"),
    ("letter", "Letter"),
    ("other", "Other"),
]


class RelationshipInteraction(models.Model):
    _name = "relationship.interaction"
    _description = "Customer Interaction"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _rec_name = "subject"

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", tracking=True)
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True, precompute=True,
        string="Customer Company")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True, tracking=True)
    channel = fields.Selection(CHANNELS, required=True, default="phone", tracking=True)
    direction = fields.Selection(
        [("inbound", "Inbound"), ("outbound", "Outbound")], required=True, default="outbound")
    subject = fields.Char(required=True, tracking=True)
    notes = fields.Html()
    outcome = fields.Selection(
        [("positive", "Positive"), ("neutral", "Neutral"), ("negative", "Negative")], tracking=True)
    duration = fields.Float(string="Duration (hours)")
    user_id = fields.Many2one("res.users", string="Responsible", default=lambda self: self.env.user, index=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    source = fields.Selection(
        [("manual", "Manual"), ("email", "E-mail (captured)"), ("import", "Import")],
        required=True, default="manual", readonly=True)
    # no index of its own: the unique (message_id, partner_id) index serves every lookup by message, and each
    # captured e-mail wrote both (make bench P4)
    message_id = fields.Many2one("mail.message", string="Captured Message", ondelete="set null", readonly=True)
    partner_email = fields.Char(
        string="Partner E-mail", store=False,
        help="For imports: the partner is found by this e-mail address when no partner is given.")
    # Follow-up: saving the interaction schedules this activity on the partner.
    next_activity_type_id = fields.Many2one(
        "mail.activity.type", string="Next Step", store=False,
        domain="[('res_model', 'in', (False, 'res.partner'))]",
        help="What happens next (a call, an e-mail, a meeting...): logging the interaction schedules it as an "
             "activity on the contact, so it shows in their chatter and in the assignee's to-do list. "
             "Leave it empty when no follow-up is needed.")
    next_activity_date = fields.Date(
        string="Next Step Due", store=False,
        help="When the next step is due; empty: the activity type's usual delay from today.")
    next_activity_summary = fields.Char(
        string="Next Step Summary", store=False,
        help="A few words on what to do; empty: the interaction's subject.")
    next_activity_user_id = fields.Many2one(
        "res.users", string="Next Step Assigned To", store=False,
        help="Who does the next step; empty: the interaction's responsible.")

    _sql_constraints = [
        ("message_partner_unique", "UNIQUE(message_id, partner_id)",
         "This e-mail has already been logged as an interaction for this partner."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        follow_ups = []
        for vals in vals_list:
            self._match_partner_by_email(vals)
            if self.env.context.get("import_file") and vals.get("source", "manual") == "manual":
                vals["source"] = "import"
            follow_ups.append({key: vals.pop(key, False) for key in FOLLOW_UP_FIELDS})
        # Per-record work of mail.thread that interactions do not need (make bench P3):
        # mail_create_nolog: an interaction is itself the note of what happened; a "created" message in its
        # chatter would repeat its author and date, and double the rows written.
        # mail_notrack: interactions post no template on creation (no _track_template).
        interactions = super(RelationshipInteraction, self.with_context(
            mail_create_nolog=True, mail_notrack=True)).create(vals_list)
        interactions = interactions.with_env(self.env)
        self.env["relationship.partner.stat"]._add_interactions(interactions)
        interactions._schedule_follow_ups(follow_ups)
        return interactions

    def write(self, vals):
        if not COUNTED_FIELDS & set(vals):
            return super().write(vals)
        before = self._counted_partners()
        result = super().write(vals)
        self.env["relationship.partner.stat"]._recount(before | self._counted_partners())
        return result

    def unlink(self):
        before = self._counted_partners()
        result = super().unlink()
        self.env["relationship.partner.stat"]._recount(before)
        return result

    def _counted_partners(self):
        """Ids of the partners whose statistics count these interactions (partner and commercial partner)."""
        return set(self.partner_id.ids) | set(self.commercial_partner_id.ids)

    @api.model
    def _add_precomputed_values(self, vals_list):
        # Odoo precomputes on one new record per row (a third of a batch create, make bench P3):
        # the commercial partners of all rows are read at once instead.
        field = self._fields["commercial_partner_id"]
        todo = [vals for vals in vals_list if field.name not in vals]
        partners = self.env["res.partner"].browse({vals["partner_id"] for vals in todo if vals.get("partner_id")})
        commercial = {partner.id: partner.commercial_partner_id.id for partner in partners}
        for vals in todo:
            vals[field.name] = commercial.get(vals.get("partner_id"), False)
            vals.setdefault("__precomputed__", set()).add(field)
        return super()._add_precomputed_values(vals_list)

    def _message_auto_subscribe(self, updated_values, followers_existing_policy="skip"):
        # Called once per new interaction. Without a subtype relation to a parent model, the only thing
        # it could do is subscribe the responsible, which interactions do not track: nothing to do.
        relation = self.env["mail.message.subtype"]._get_auto_subscription_subtypes(self._name)[4]
        if not relation and not getattr(self._fields["user_id"], "tracking", False):
            return True
        return super()._message_auto_subscribe(updated_values, followers_existing_policy)

    @api.model
    def _create_captured(self, vals_list, new=False):
        """Insert captured e-mails and add them to their partners' counters in one statement.

        The ORM's create costs four more queries per e-mail (savepoint, insert, counter update, release),
        a third more than message_post itself (make bench P4). The capture gives complete values: the
        constraints of create (partner active, not restricted, date not ahead) are checked by it, from the
        records in cache. ``new``: the messages were just created, so no interaction can be logged for them
        yet and a plain insert is enough; otherwise ON CONFLICT skips an e-mail already logged for a partner,
        and the statement cannot fail on it, so no savepoint is needed to protect the e-mail.
        """
        if not vals_list:
            return self.browse()
        now, uid = self.env.cr.now(), self.env.uid
        rows, columns = [], set()
        for vals in vals_list:
            defaults, keys = self._captured_plan(frozenset(vals))
            rows.append({**defaults, **vals, "create_uid": uid, "create_date": now, "write_uid": uid,
                         "write_date": now})
            columns.update(keys)
        columns = tuple(sorted(columns))
        fields_ = [self._fields[name] for name in columns]
        params = [field.convert_to_column_insert(row.get(field.name), self, row)
                  for row in rows for field in fields_]
        if new:
            # every row is inserted: the counters' increments are known before the statement, which then
            # costs a quarter less than adding up what the insert returns (make bench P4)
            added, partner_ids = self.env["relationship.partner.stat"]._added_values(
                (row["partner_id"], row.get("commercial_partner_id"), row.get("company_id"), row["date"])
                for row in rows)
            statement = captured_statement(columns, len(rows), len(added) // 4)
        else:
            added, statement = [], captured_statement(columns, len(rows), None)
            partner_ids = {row[name] for row in rows for name in ("partner_id", "commercial_partner_id")}
        self.env.cr.execute(SQL(statement, *added, *params))
        interactions = self.browse(row[0] for row in self.env.cr.fetchall())
        # flush=False: none of these fields is a column, there is nothing to write first
        self.env["res.partner"].browse(partner_ids - {False, None}).invalidate_recordset(
            [*INTERACTION_FIGURES, "interaction_ids", "commercial_interaction_ids"], flush=False)
        return interactions

    @api.model
    @tools.ormcache("self.env.uid", "self.env.company.id", "keys")
    def _captured_plan(self, keys):
        """(defaults, columns) of a capture's values with these ``keys``, as create would complete them.

        Cached (make bench P4: computing the defaults took a fifth of the capture's own time per e-mail);
        the cache is cleared when an administrator changes a default (ir.default).
        """
        # clean_context: default_* keys of the caller's context are meant for its own records
        # sudo: the capture runs for whoever posts, and logs for the partners concerned
        Interaction = self.sudo().with_context(tools.clean_context(self.env.context))
        missing = [name for name, field in self._fields.items() if field.store and name not in keys]
        defaults = {name: value for name, value in Interaction.default_get(missing).items()
                    if self._fields[name].column_type}
        columns = {name for name in (*keys, *defaults, *models.LOG_ACCESS_COLUMNS)
                   if self._fields[name].store and self._fields[name].column_type}
        return defaults, frozenset(columns)

    @api.model
    def _match_partner_by_email(self, vals):
        email = vals.pop("partner_email", False)
        if vals.get("partner_id") or not email:
            return
        normalized = tools.email_normalize(email)
        partner = self.env["res.partner"].search([("email_normalized", "=", normalized)], limit=1) if normalized \
            else self.env["res.partner"]
        if not partner:
            raise ValidationError(_("No contact has the e-mail address %(email)s: create the contact first, "
                                    "or give the partner's name.", email=email))
        vals["partner_id"] = partner.id

    def _schedule_follow_ups(self, follow_ups):
        """Create the next-step activities on the partners, all at once."""
        model_id = self.env["ir.model"]._get_id("res.partner")
        activities = []
        for interaction, follow_up in zip(self, follow_ups, strict=True):
            if not follow_up["next_activity_type_id"]:
                continue
            activity_type = self.env["mail.activity.type"].browse(follow_up["next_activity_type_id"])
            activities.append({
                "res_model_id": model_id,
                "res_id": interaction.partner_id.id,
                "activity_type_id": activity_type.id,
                "summary": follow_up["next_activity_summary"] or interaction.subject,
                "date_deadline": follow_up["next_activity_date"] or activity_type._get_date_deadline(),
                "user_id": follow_up["next_activity_user_id"] or interaction.user_id.id or self.env.uid,
            })
        if activities:
            self.env["mail.activity"].create(activities)

    @api.constrains("duration", "date")
    def _check_duration_and_date(self):
        limit = fields.Datetime.now() + timedelta(days=1)
        for interaction in self:
            if interaction.duration < 0:
                raise ValidationError(_("The duration cannot be negative: enter the time spent in hours, or 0."))
            if interaction.date and interaction.date > limit:
                raise ValidationError(_(
                    "The interaction “%(subject)s” is dated more than one day in the future: "
                    "log interactions when they happen, and plan future ones as activities.",
                    subject=interaction.subject))

    @api.constrains("partner_id")
    def _check_partner_usable(self):
        if not self.env.su:
            # record rules of the user's current companies: no interaction on a partner they cannot see
            Partner = self.env["res.partner"].with_context(active_test=False)
            readable = Partner.search([("id", "in", self.partner_id.ids)])
            if self.partner_id - readable:
                raise AccessError(_("You can log interactions only on contacts you can see in your current "
                                    "companies: switch company, or ask a colleague of the contact's company."))
        for partner in self.partner_id:
            if not partner.active:
                raise ValidationError(_(
                    "%(partner)s is archived: restore the contact before logging an interaction.",
                    partner=partner.display_name))
        self.partner_id._check_gdpr_not_restricted(_("log an interaction"))
