from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.tools import SQL
from odoo.tools.sql import create_unique_index

from .res_partner_interaction_stats import INTERACTION_FIGURES
from .res_partner_interaction_stats import INTERACTION_STATS

# One row per (partner, company of the interactions): NULL companies (interactions shared by every
# company) are one key too, hence an index on an expression rather than a UNIQUE constraint.
UNIQUE_KEY = SQL("(partner_id, (COALESCE(company_id, 0)))")


class RelationshipPartnerStat(models.Model):
    """A partner's interaction count and last contact, per company of the interactions.

    Written only by the addon (SQL increments on create, recounts on write, unlink and re-parenting);
    res.partner sums the rows of the companies the user acts for, so a company never sees figures built
    from another company's interactions. A company's row includes its contacts' interactions.
    """

    _name = "relationship.partner.stat"
    _description = "Partner Interaction Statistics per Company"
    _order = "last_interaction_date desc, id desc"
    _rec_name = "partner_id"

    # indexed by the unique index below, which starts with it
    partner_id = fields.Many2one("res.partner", required=True, readonly=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", readonly=True, index=True, ondelete="cascade",
                                 help="The company of the interactions counted; empty: interactions shared "
                                      "by every company.")
    interaction_count = fields.Integer(readonly=True)
    last_interaction_date = fields.Datetime(readonly=True, index=True, string="Last Contact")

    def init(self):
        create_unique_index(self.env.cr, "relationship_partner_stat_partner_company_uniq", self._table,
                            ["partner_id", "COALESCE(company_id, 0)"])

    @api.model_create_multi
    def create(self, vals_list):
        self._check_written_by_addon()
        return super().create(vals_list)

    def write(self, vals):
        self._check_written_by_addon()
        return super().write(vals)

    def _check_written_by_addon(self):
        # the access rules give users read only; this also stops a group granted more by mistake
        if not self.env.su:
            raise AccessError(_("Interaction statistics are counted by the application from the interactions: "
                                "log, edit or delete interactions instead."))

    # ------------------------------------------------------------------
    # Maintenance (superuser SQL, batched)
    # ------------------------------------------------------------------
    @api.model
    def _add_sql(self, added):
        """INSERT adding ``added`` (a relation of partner_id, company_id, added, last) to the rows."""
        return SQL(
            """INSERT INTO relationship_partner_stat AS s
                      (partner_id, company_id, interaction_count, last_interaction_date,
                       create_uid, create_date, write_uid, write_date)
               SELECT v.partner_id, v.company_id, v.added, v.last, %(uid)s, %(now)s, %(uid)s, %(now)s
                 FROM %(added)s
               ON CONFLICT %(key)s DO UPDATE
                  SET interaction_count = s.interaction_count + EXCLUDED.interaction_count,
                      last_interaction_date = GREATEST(s.last_interaction_date, EXCLUDED.last_interaction_date),
                      write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date""",
            added=added, key=UNIQUE_KEY, uid=self.env.uid, now=self.env.cr.now())

    @api.model
    def _add_interactions(self, interactions):
        """Add new interactions to their partner's and commercial partner's rows, in one statement.

        Increments rather than recounts: a busy customer's 10,000 interactions are not read again
        (make bench P3), and two workers adding to the same partner both count.
        """
        added = {}
        for interaction in interactions:
            for partner_id in {interaction.partner_id.id, interaction.commercial_partner_id.id} - {False}:
                key = (partner_id, interaction.company_id.id or None)
                count, last = added.get(key, (0, None))
                added[key] = (count + 1, max(last, interaction.date) if last else interaction.date)
        if not added:
            return
        self.env.cr.execute(self._add_sql(SQL(
            "(VALUES %s) AS v(partner_id, company_id, added, last)",
            SQL(", ").join(SQL("(%s, %s::int, %s, %s::timestamp)", *key, *value) for key, value in added.items()))))
        self._invalidate_partners({partner_id for partner_id, _company in added})

    @api.model
    def _recount(self, partner_ids):
        """Recount the rows of these partners from their interactions (one statement).

        A commercial partner (company, or individual) counts the interactions of its contacts too.
        """
        partner_ids = sorted(set(partner_ids) - {False, None})
        if not partner_ids:
            return
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["relationship.interaction"].flush_model(["partner_id", "commercial_partner_id", "company_id", "date"])
        self.env.cr.execute(SQL(
            """WITH fresh AS (%(counts)s),
                    kept AS (%(upsert)s RETURNING s.id)
               DELETE FROM relationship_partner_stat
                WHERE partner_id = ANY(%(ids)s) AND id NOT IN (SELECT id FROM kept)""",
            counts=self._counts_sql(SQL("= ANY(%s)", partner_ids)),
            upsert=self._upsert_sql(SQL("fresh")), ids=partner_ids))
        self._invalidate_partners(partner_ids)

    @api.model
    def _counts_sql(self, partner_condition=None):
        """(partner_id, company_id, added, last) of every partner matching ``partner_condition`` (all)."""
        partner_condition = partner_condition or SQL("IS NOT NULL")
        return SQL(
            """SELECT i.commercial_partner_id AS partner_id, i.company_id, count(*) AS added, max(i.date) AS last
                 FROM relationship_interaction i
                WHERE i.commercial_partner_id %(condition)s
                GROUP BY i.commercial_partner_id, i.company_id
               UNION ALL
               SELECT i.partner_id, i.company_id, count(*), max(i.date)
                 FROM relationship_interaction i
                WHERE i.partner_id %(condition)s AND i.partner_id != i.commercial_partner_id
                GROUP BY i.partner_id, i.company_id""", condition=partner_condition)

    @api.model
    def _upsert_sql(self, fresh):
        return SQL(
            """INSERT INTO relationship_partner_stat AS s
                      (partner_id, company_id, interaction_count, last_interaction_date,
                       create_uid, create_date, write_uid, write_date)
               SELECT v.partner_id, v.company_id, v.added, v.last, %(uid)s, %(now)s, %(uid)s, %(now)s FROM %(fresh)s v
               ON CONFLICT %(key)s DO UPDATE
                  SET interaction_count = EXCLUDED.interaction_count,
                      last_interaction_date = EXCLUDED.last_interaction_date,
                      write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date""",
            fresh=fresh, key=UNIQUE_KEY, uid=self.env.uid, now=self.env.cr.now())

    @api.model
    def _invalidate_partners(self, partner_ids):
        """Forget the partners' figures and what res.partner derives from them in memory (days since the last
        contact, the card's "Last Contacted"...): invalidating a field does not invalidate its dependents."""
        Partner = self.env["res.partner"]
        fnames = set(INTERACTION_FIGURES)
        for fname in INTERACTION_STATS:
            fnames.update(field.name for field in self.env.registry.get_dependent_fields(Partner._fields[fname])
                          if field.model_name == "res.partner")
        Partner.browse(partner_ids).invalidate_recordset(sorted(fnames))
        self.invalidate_model()

    # ------------------------------------------------------------------
    # Reading: the companies the user acts for
    # ------------------------------------------------------------------
    @api.model
    def _company_condition(self, alias="s"):
        """The rows of the companies the user currently acts for, and of interactions of no company."""
        return SQL("(%(company)s IS NULL OR %(company)s = ANY(%(ids)s))",
                   company=SQL.identifier(alias, "company_id"), ids=self.env.companies.ids)

    @api.model
    def _figures(self, partner_ids):
        """{partner id: (count, last contact)} over the user's companies, in one query."""
        partner_ids = [partner_id for partner_id in partner_ids if partner_id]  # new records have none
        if not partner_ids:
            return {}
        self.env.cr.execute(SQL(
            """SELECT s.partner_id, SUM(s.interaction_count), MAX(s.last_interaction_date)
                 FROM relationship_partner_stat s
                WHERE s.partner_id = ANY(%s) AND %s
                GROUP BY s.partner_id""", partner_ids, self._company_condition()))
        return {partner_id: (count, last) for partner_id, count, last in self.env.cr.fetchall()}

    @api.model
    def _figure_sql(self, partner_column, fname):
        """The figure of the partner in ``partner_column``, as an SQL expression (ordering, grouping)."""
        aggregate = SQL("MAX(s.last_interaction_date)") if fname == "last_interaction_date" \
            else SQL("SUM(s.interaction_count)")
        figure = SQL("(SELECT %s FROM relationship_partner_stat s WHERE s.partner_id = %s AND %s)",
                     aggregate, partner_column, self._company_condition())
        return figure if fname == "last_interaction_date" else SQL("COALESCE(%s, 0)", figure)

    @api.model
    def _partners_sql(self, where=None, having=None):
        """SELECT of the partners having rows over the user's companies (matching ``where`` / ``having``)."""
        return SQL(
            "(SELECT s.partner_id FROM relationship_partner_stat s WHERE %s AND %s GROUP BY s.partner_id %s)",
            self._company_condition(), where or SQL("TRUE"), SQL("HAVING %s", having) if having else SQL())
