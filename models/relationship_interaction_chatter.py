from markupsafe import Markup

from odoo import api
from odoo import models
from odoo.tools import SQL
from odoo.tools.mail import generate_tracking_message_id

# A change of these rewrites the interaction's message in the partner's chatter.
CHATTER_FIELDS = {"partner_id", "date", "channel", "direction", "subject", "outcome", "company_id"}


class RelationshipInteractionChatter(models.Model):
    """Each logged interaction is also a message in its partner's chatter (subtype "Interaction"): one timeline.

    The message is an internal system notification, so the e-mail capture never logs it again and nobody is
    notified. It is inserted in one statement per batch, as the ORM would cost one insert and several
    look-ups per message (make bench P3 creates 10,000 interactions). Captured e-mails get none: the e-mail
    is already in the chatter. The message points to its interaction (``mail.message.relationship_interaction_id``,
    cascade): deleting or erasing the interaction removes it, and editing it rewrites it.
    """

    _inherit = "relationship.interaction"

    @api.model_create_multi
    def create(self, vals_list):
        interactions = super().create(vals_list)
        interactions.filtered(lambda i: not i.message_id)._relationship_post_to_chatter()
        return interactions

    def write(self, vals):
        result = super().write(vals)
        if CHATTER_FIELDS & set(vals):
            self._relationship_rewrite_chatter()
        return result

    def _relationship_chatter_rows(self):
        """(interaction id, partner id, body, date, company id, author id, author e-mail) of each chatter message.

        The author is who logged the interaction.

        The body links to the interaction the way Odoo's chatter links records (data-oe-model, data-oe-id: a
        click opens it in the web client), with a real address for a new tab.
        """
        channels = dict(self._fields["channel"]._description_selection(self.env))
        directions = dict(self._fields["direction"]._description_selection(self.env))
        outcomes = dict(self._fields["outcome"]._description_selection(self.env))
        rows = []
        for interaction in self:
            author = interaction.create_uid.partner_id
            details = [channels.get(interaction.channel), directions.get(interaction.direction)]
            if interaction.outcome:
                details.append(outcomes[interaction.outcome])
            # the chatter heads it with the subtype's description, "Interaction logged"
            body = Markup('<p><a href="/odoo/relationship.interaction/%s" data-oe-model="relationship.interaction" '
                          'data-oe-id="%s">%s</a> (%s)</p>') % (
                interaction.id, interaction.id, interaction.subject, ", ".join(filter(None, details)))
            rows.append((interaction.id, interaction.partner_id.id, body, interaction.date,
                         interaction.company_id.id or None, author.id or None, author.email_formatted or None))
        return rows

    def _relationship_post_to_chatter(self):
        """Insert the chatter messages of new interactions, all in one statement."""
        if not self:
            return
        Message = self.env["mail.message"]
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("customer_relationship.mt_interaction")
        now, uid = self.env.cr.now(), self.env.uid
        values = SQL(", ").join(
            SQL("(%s::integer, %s::integer, %s::text, %s::timestamp, %s::integer, %s::integer, %s::varchar, "
                "%s::varchar)", *row, generate_tracking_message_id(f"{row[1]}-res.partner"))
            for row in self._relationship_chatter_rows())
        # message_type "notification" on an internal subtype: the capture (mail_message.py) never logs it
        # and Odoo's notification of followers does not run (no message_post); is_internal hides it from portal
        self.env.cr.execute(SQL(
            """INSERT INTO mail_message (relationship_interaction_id, res_id, body, date, record_company_id,
                                         message_id, model, message_type, subtype_id, is_internal, author_id,
                                         email_from, email_add_signature, create_uid, create_date, write_uid,
                                         write_date)
               SELECT v.iid, v.res_id, v.body, v.date, v.company_id, v.message_id, 'res.partner', 'notification',
                      %(subtype)s, TRUE, v.author_id, v.email_from, TRUE, %(uid)s, %(now)s, %(uid)s, %(now)s
                 FROM (VALUES %(values)s)
                      AS v(iid, res_id, body, date, company_id, author_id, email_from, message_id)
             -- the chatter lists messages by id: a batch (an import, say) reads in the order it happened
             ORDER BY v.date, v.iid""",
            subtype=subtype_id, uid=uid, now=now, values=values))
        self.partner_id.invalidate_recordset(["message_ids"])
        Message.invalidate_model(["relationship_interaction_id"])

    def _relationship_rewrite_chatter(self):
        """Rewrite the chatter messages of edited interactions in one statement (moved to the new partner too)."""
        rows = self._relationship_chatter_rows()
        if not rows:
            return
        self.env["mail.message"].flush_model(["body", "date", "res_id", "record_company_id"])
        self.env.cr.execute(SQL(
            """UPDATE mail_message m
                  SET body = v.body, date = v.date, res_id = v.res_id, record_company_id = v.company_id,
                      write_uid = %(uid)s, write_date = %(now)s
                 FROM (VALUES %(values)s) AS v(iid, res_id, body, date, company_id)
                WHERE m.relationship_interaction_id = v.iid""",
            uid=self.env.uid, now=self.env.cr.now(),
            values=SQL(", ").join(SQL("(%s::integer, %s::integer, %s::text, %s::timestamp, %s::integer)", *row[:5])
                                  for row in rows)))
        self.env["mail.message"].invalidate_model(["body", "date", "res_id", "record_company_id"])
        self.env["res.partner"].invalidate_model(["message_ids"])
