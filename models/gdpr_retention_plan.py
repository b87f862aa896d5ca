from collections import defaultdict

from odoo import api
from odoo import models
from odoo.osv import expression
from odoo.tools import SQL

# The engine erases this many persons at once: its queries stay of a bounded size (one ILIKE per value).
PARTNER_CHUNK = 200
CLOSED_STATES = ("done", "rejected")


class GdprRetentionPlan(models.AbstractModel):
    """What a retention rule destroys, as {(model, action): ids}, and its execution.

    Contacts go through the erasure engine of requests (gdpr.subject.finder finds what is linked to them,
    gdpr.data.erasure anonymises the contact and deletes or scrubs the rest, then cleans the residues), so a
    retention run leaves no more behind than an erasure request. Never touched: records of models under a
    legal hold, users' and companies' own contacts, and anyone with an open privacy request."""

    _name = "gdpr.retention.plan"
    _description = "GDPR: What a Retention Rule Destroys"

    @api.model
    def _env(self):
        # su: the cron and the officer's run act on every record of the rule's company; the callers checked the
        # officer group (or run as the cron)
        return self.env(su=True, context=dict(self.env.context, active_test=False, tracking_disable=True))

    @api.model
    def _hold(self):
        return set(self.env["res.config.settings"]._gdpr_legal_hold_model_names())

    # ------------------------------------------------------------------
    # Plans: {(model, action): [ids]}
    # ------------------------------------------------------------------
    @api.model
    def _plan(self, rule, cutoff):
        return getattr(self, "_plan_" + rule.target)(rule, cutoff)

    @api.model
    def _plan_interaction(self, rule, cutoff):
        env = self._env()
        hold = self._hold()
        interactions = env["relationship.interaction"].search([
            ("date", "<", cutoff), ("company_id", "in", [rule.company_id.id, False]),
            ("partner_id", "not in", self._open_request_partner_ids(env))])
        plan = defaultdict(list)
        if not interactions:
            return plan
        on_them = [("res_model", "=", interactions._name), ("res_id", "in", interactions.ids)]
        messages = env["mail.message"].search([("model", "=", interactions._name), ("res_id", "in", interactions.ids)])
        attachments = env["ir.attachment"].search(on_them)
        # Deleting an interaction deletes its messages (mail.thread): held messages keep their interaction.
        held = set()
        if "mail.message" in hold:
            held |= set(messages.mapped("res_id"))
        if "ir.attachment" in hold:
            held |= set(attachments.mapped("res_id"))
        if interactions._name in hold:
            held = set(interactions.ids)
        gone = [i for i in interactions.ids if i not in held]
        # Messages and attachments first: the engine counts what it deletes, and mail.thread would delete the
        # messages with their interaction uncounted.
        plan[("mail.message", "delete")] = messages.filtered(lambda m: m.res_id in gone).ids
        plan[("ir.attachment", "delete")] = attachments.filtered(lambda a: a.res_id in gone).ids
        plan[(interactions._name, "keep")] = [i for i in interactions.ids if i in held]
        plan[(interactions._name, "delete")] = gone
        return plan

    @api.model
    def _plan_request(self, rule, cutoff):
        env = self._env()
        requests = self._closed_requests(env, rule, cutoff)
        plan = defaultdict(list)
        if not requests:
            return plan
        if requests._name in self._hold():
            plan[(requests._name, "keep")] = requests.ids
            return plan
        plan[(requests._name, "delete" if rule.action == "erase" else "anonymise")] = requests.ids
        plan[("ir.attachment", "delete")] = env["ir.attachment"].search(
            [("res_model", "=", requests._name), ("res_id", "in", requests.ids)]).ids
        if rule.action == "erase":
            plan[("gdpr.request.line", "delete")] = requests.line_ids.ids
            plan[("mail.message", "delete")] = env["mail.message"].search(
                [("model", "=", requests._name), ("res_id", "in", requests.ids)]).ids
        return plan

    @api.model
    def _closed_requests(self, env, rule, cutoff):
        domain = [("state", "in", CLOSED_STATES), ("date_received", "<", cutoff.date()),
                  ("company_id", "=", rule.company_id.id)]
        if rule.action == "anonymise":
            # Already anonymised ones (masked name and e-mail, no export) have nothing left to destroy.
            domain += ["|", "|", ("requester_name", "not like", "*"), "&", ("requester_email", "!=", False),
                       ("requester_email", "not like", "*"), ("export_attachment_id", "!=", False)]
        return env["gdpr.request"].search(domain)

    @api.model
    def _plan_partner(self, rule, cutoff):
        env = self._env()
        plan = defaultdict(list)
        for partners, kept in self._partner_chunks(env, rule, cutoff):
            plan[("res.partner", "keep")] += kept.ids
            for key, ids in self._partner_plan(env, partners).items():
                plan[key] += ids
        return plan

    @api.model
    def _partner_plan(self, env, partners):
        """The engine's plan for these persons: what the finder links to them, with the engine's actions."""
        if not partners:
            return {}
        Finder = env["gdpr.subject.finder"]
        # No e-mail or name matches: a namesake or a duplicate with the same address may still be active.
        found = Finder._find_all(env, partners, [], None)
        received = Finder._received_only(env, partners, found.get("mail.message", {}))
        hold = self._hold()
        plan = defaultdict(list)
        for model_name, matches in sorted(found.items()):
            for record_id, match in sorted(matches.items()):
                if match in ("linked", "email"):
                    action = Finder._erasure_action(model_name, record_id, hold, received)[0]
                    plan[(model_name, action)].append(record_id)
        self._add_dependents(env, plan, hold)
        # Messages and attachments first: the engine counts what it deletes, and mail.thread deletes the
        # messages of a deleted record with it, uncounted.
        return dict(sorted(plan.items(), key=lambda item: item[0][0] not in ("mail.message", "ir.attachment")))

    @api.model
    def _add_dependents(self, env, plan, hold):
        """The messages and attachments of the records deleted with the person (an interaction's catalogue,
        its chatter) go too: they are the person's data, and an attachment would stay behind otherwise."""
        deleted = {model_name: ids for (model_name, action), ids in plan.items()
                   if action == "delete" and ids and model_name not in ("mail.message", "ir.attachment")}
        if not deleted:
            return
        for model_name, res_field in (("ir.attachment", "res_model"), ("mail.message", "model")):
            if model_name in hold:
                continue
            domain = expression.OR([[(res_field, "=", name), ("res_id", "in", ids)] for name, ids in deleted.items()])
            known = set(plan.get((model_name, "delete"), [])) | set(plan.get((model_name, "anonymise"), []))
            extra = [rid for rid in env[model_name].search(domain).ids if rid not in known]
            if extra:
                plan[(model_name, "delete")] = sorted(set(plan.get((model_name, "delete"), [])) | set(extra))

    @api.model
    def _partner_chunks(self, env, rule, cutoff):
        """(partners to destroy, partners kept under a legal hold) by chunks of PARTNER_CHUNK."""
        ids = self._inactive_partner_ids(env, rule, cutoff)
        held = self._held_partner_ids(env, ids)
        Partner = env["res.partner"]
        todo = [pid for pid in ids if pid not in held]
        chunks = [todo[i:i + PARTNER_CHUNK] for i in range(0, len(todo), PARTNER_CHUNK)] or [[]]
        for index, chunk in enumerate(chunks):
            yield Partner.browse(chunk), Partner.browse(sorted(held) if index == 0 else [])

    @api.model
    def _inactive_partner_ids(self, env, rule, cutoff):
        """Contacts created before the cutoff with no interaction and no message on or from them since,
        that are no user's or company's contact, have no open request, and are not anonymised yet."""
        env.flush_all()
        env.cr.execute(SQL("""
            SELECT p.id, p.parent_id FROM res_partner p
             WHERE p.create_date < %(cutoff)s
               AND (p.company_id IS NULL OR p.company_id = %(company)s)
               AND (p.active OR p.email IS NOT NULL OR p.name NOT LIKE (%(any)s || p.id::text))
               AND NOT EXISTS (SELECT 1 FROM res_users u WHERE u.partner_id = p.id)
               AND NOT EXISTS (SELECT 1 FROM res_company c WHERE c.partner_id = p.id)
               AND NOT EXISTS (SELECT 1 FROM relationship_interaction i
                                WHERE i.partner_id = p.id AND i.date >= %(cutoff)s)
               AND NOT EXISTS (SELECT 1 FROM mail_message m
                                WHERE m.model = 'res.partner' AND m.res_id = p.id AND m.date >= %(cutoff)s)
               AND NOT EXISTS (SELECT 1 FROM mail_message m WHERE m.author_id = p.id AND m.date >= %(cutoff)s)
               AND NOT EXISTS (SELECT 1 FROM gdpr_request r WHERE r.state NOT IN %(closed)s
                                AND (r.partner_id = p.id OR lower(r.requester_email) = p.email_normalized))
             ORDER BY p.id
        """, cutoff=cutoff, company=rule.company_id.id, closed=CLOSED_STATES, any="%"))
        candidates = dict(env.cr.fetchall())
        # A company or parent stays while one of its contacts stays (they would point to an erased parent).
        env.cr.execute(SQL("SELECT id, parent_id FROM res_partner WHERE parent_id IN %s",
                           tuple(candidates) or (0,)))
        children = env.cr.fetchall()
        changed = True
        while changed:
            staying = {parent for child, parent in children if child not in candidates and parent in candidates}
            changed = bool(staying)
            for parent in staying:
                del candidates[parent]
        return sorted(candidates)

    @api.model
    def _held_partner_ids(self, env, partner_ids):
        """Contacts that records of a model under a legal hold point to: those records need them whole."""
        hold = self._hold()
        if not partner_ids or not hold:
            return set()
        if "res.partner" in hold:
            return set(partner_ids)
        Finder = env["gdpr.subject.finder"]
        queries = []
        for model_name in hold & set(env.registry):
            model = env[model_name]
            if model._abstract or model._transient or not model._auto:
                continue
            for fname, field in model._fields.items():
                if field.type == "many2one" and field.comodel_name == "res.partner" and Finder._is_own_column(field):
                    queries.append(SQL("SELECT %s FROM %s WHERE %s IN %s", SQL.identifier(fname),
                                       SQL.identifier(model._table), SQL.identifier(fname), tuple(partner_ids)))
            if "res_model" in model._fields and "res_id" in model._fields:
                queries.append(SQL("SELECT res_id FROM %s WHERE res_model = 'res.partner' AND res_id IN %s",
                                   SQL.identifier(model._table), tuple(partner_ids)))
            if model_name == "mail.message":
                queries.append(SQL("SELECT res_id FROM mail_message WHERE model = 'res.partner' AND res_id IN %s",
                                   tuple(partner_ids)))
        if not queries:
            return set()
        env.cr.execute(SQL(" UNION ").join(queries))
        return {row[0] for row in env.cr.fetchall()}

    @api.model
    def _open_request_partner_ids(self, env):
        return env["gdpr.request"].search([("state", "not in", CLOSED_STATES), ("partner_id", "!=", False)]
                                          ).partner_id.ids

    # ------------------------------------------------------------------
    # Execution: returns {model: {action: count}}
    # ------------------------------------------------------------------
    @api.model
    def _execute(self, rule, cutoff):
        return getattr(self, "_execute_" + rule.target)(rule, cutoff)

    @api.model
    def _execute_interaction(self, rule, cutoff):
        env = self._env()
        # The engine's own loop: attachments' files leave the filestore at once.
        return env["gdpr.data.erasure"]._erase_persons(
            env, env["gdpr.request"], env["res.partner"], self._plan_interaction(rule, cutoff), suppress=False)

    @api.model
    def _execute_request(self, rule, cutoff):
        env = self._env()
        plan = self._plan_request(rule, cutoff)
        requests = env["gdpr.request"].browse(plan.get(("gdpr.request", "delete"), [])
                                              + plan.get(("gdpr.request", "anonymise"), []))
        done = defaultdict(lambda: defaultdict(int))
        for (model_name, action), ids in plan.items():
            done[model_name][action] += len(ids)
        if not requests:
            return done
        Erasure = env["gdpr.data.erasure"]
        # The engine's cleaning of earlier requests: masked requester, no export, files and attachments gone.
        files = Erasure._clean_requests(requests, env["res.partner"], [], [])
        if rule.action == "erase":
            requests.unlink()
        Erasure._remove_files(env, files)
        return done

    @api.model
    def _execute_partner(self, rule, cutoff):
        env = self._env()
        Erasure = env["gdpr.data.erasure"]
        done = defaultdict(lambda: defaultdict(int))
        for partners, kept in self._partner_chunks(env, rule, cutoff):
            if kept:
                done["res.partner"]["keep"] += len(kept)
            if not partners:
                continue
            plan = self._partner_plan(env, partners)
            result = Erasure._erase_persons(env, env["gdpr.request"], partners, plan, suppress=False)
            for model_name, per_action in result.items():
                for action, count in per_action.items():
                    done[model_name][action] += count
        return done
