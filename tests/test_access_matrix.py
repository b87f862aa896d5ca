"""The whole access matrix: every group x every model of the addon x create / read / write / unlink.

EXPECTED is the single source of truth. A model of the addon that is missing from it fails
test_every_addon_model_is_in_the_table, so each new capability has to state its access here.
"""
import functools
import itertools

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import RelationshipCase

MODULE = "customer_relationship"

# Letters: c(reate) r(ead) w(rite) u(nlink). Group keys map to RelationshipCase's users.
EXPECTED = {
    "relationship.interaction": {
        "internal": "", "portal": "", "user": "crw", "manager": "crwu", "officer": "crw"},
    "relationship.pipeline": {
        "internal": "", "portal": "", "user": "r", "manager": "crwu", "officer": "r"},
    "relationship.stage": {
        "internal": "", "portal": "", "user": "r", "manager": "crwu", "officer": "r"},
    # Users put partners into pipelines and move them; removing is archiving; managers may delete.
    "relationship.pipeline.membership": {
        "internal": "", "portal": "", "user": "crw", "manager": "crwu", "officer": "crw"},
    # Written only by the stage-move logic (under sudo): nobody creates, edits or deletes it directly.
    "relationship.stage.history": {
        "internal": "", "portal": "", "user": "r", "manager": "r", "officer": "r"},
    # Only administrators create or delete KPIs (they define what is measured); managers edit the rest,
    # and create() refuses definition fields to them (test_access_attacks).
    "relationship.kpi": {
        "internal": "", "portal": "", "user": "r", "manager": "rw", "officer": "r"},
    "relationship.goal": {
        "internal": "", "portal": "", "user": "r", "manager": "crwu", "officer": "r"},
    # Written by measuring only (as superuser): nobody forges a measurement.
    "relationship.goal.measurement": {
        "internal": "", "portal": "", "user": "r", "manager": "r", "officer": "r"},
    # RFM sources say what is measured from other models: administrators only define them (issue 14).
    "relationship.rfm.source": {
        "internal": "", "portal": "", "user": "r", "manager": "r", "officer": "r"},
    # A partner's interaction figures per company: counted by the addon only (SQL), users read them.
    "relationship.partner.stat": {
        "internal": "", "portal": "", "user": "r", "manager": "r", "officer": "r"},
    # Stage rules read other models as the system: administrators only define them (issue 18); users read
    # them, since the stage history names the rule that moved a partner.
    "relationship.stage.rule": {
        "internal": "", "portal": "", "user": "r", "manager": "r", "officer": "r"},
    # Written by the rules' engine; their counts come from other models: administrators only read them.
    "relationship.stage.rule.run": {
        "internal": "", "portal": "", "user": "", "manager": "", "officer": ""},
    # Written only by the RFM recomputation (bulk SQL): users read them.
    "relationship.segment.transition": {
        "internal": "", "portal": "", "user": "r", "manager": "r", "officer": "r"},
    # Appended by the database's own triggers, read in SQL by the funnel report only (under its rules).
    "relationship.funnel.summary": {
        "internal": "", "portal": "", "user": "", "manager": "", "officer": ""},
    # Written only by the RFM recomputation (bulk SQL), read through the partners' rfm_* fields.
    "relationship.rfm.score": {
        "internal": "", "portal": "", "user": "r", "manager": "r", "officer": "r"},
    # Requests are the officers'; others register one through the intake wizard and read its status in
    # gdpr.request.status (test_gdpr_request.test_internal_user_registers_and_sees_only_status).
    "gdpr.request": {
        "internal": "", "portal": "", "user": "", "manager": "", "officer": "crwu"},
    # Plan lines are made by the finder; the officer only reviews them.
    "gdpr.request.line": {
        "internal": "", "portal": "", "user": "", "manager": "", "officer": "rw"},
    "gdpr.consent": {
        "internal": "", "portal": "", "user": "", "manager": "", "officer": "crwu"},
    "gdpr.suppression": {
        "internal": "", "portal": "", "user": "", "manager": "", "officer": "crwu"},
    # The addon adds the company's default Privacy Officer; base decides (administrators write, in Settings).
    "res.company": {
        "internal": "r", "portal": "r", "user": "r", "manager": "r", "officer": "r"},
    # The processing register is the officers' (issue 16): the letter and the export read it under sudo.
    "gdpr.data.category": {
        "internal": "", "portal": "", "user": "", "manager": "", "officer": "crwu"},
    # Retention: the officer's rules; destruction records are written by runs only and kept three years.
    "gdpr.retention.rule": {
        "internal": "", "portal": "", "user": "", "manager": "", "officer": "crwu"},
    "gdpr.destruction.record": {
        "internal": "", "portal": "", "user": "", "manager": "", "officer": "r"},
    "gdpr.destruction.record.line": {
        "internal": "", "portal": "", "user": "", "manager": "", "officer": "r"},
    # The addon extends res.partner; base decides read for internal users, the addon grants the rest.
    "res.partner": {
        "internal": "r", "portal": "", "user": "crw", "manager": "crw", "officer": "crw"},
}

_UNIQUE = itertools.count()

OPERATIONS = {"c": "create", "r": "read", "w": "write", "u": "unlink"}

# Values a generic builder cannot guess (a constraint needs them); None means the model needs none.
VALS_OVERRIDES = {
    "gdpr.suppression": lambda env: {"email_hash": f"{next(_UNIQUE):064x}"},
    "gdpr.data.category": lambda env: {"code": f"matrix_{next(_UNIQUE)}"},
    "gdpr.request.line": lambda env: {
        "request_id": build_record(env, "gdpr.request").id, "res_model": "res.partner", "res_id": 1,
        "match": "linked", "action": "export"},
    "res.partner": {"name": "Matrix Partner"},
    "relationship.goal": lambda env: {
        "kpi_id": env.ref("customer_relationship.kpi_acquisition").id,
        "date_start": "2026-01-01", "date_deadline": "2026-12-31"},
    "relationship.pipeline.membership": lambda env: _pipeline_and_stage(env),
    "relationship.rfm.source": lambda env: {
        "model_id": env["ir.model"]._get_id("relationship.interaction"),
        "partner_field_id": env["ir.model.fields"]._get("relationship.interaction", "partner_id").id,
        "date_field_id": env["ir.model.fields"]._get("relationship.interaction", "date").id},
    "relationship.stage.rule": lambda env: {
        "model_id": env["ir.model"]._get_id("relationship.interaction"),
        "partner_field_id": env["ir.model.fields"]._get("relationship.interaction", "partner_id").id,
        "date_field_id": env["ir.model.fields"]._get("relationship.interaction", "date").id},
    "relationship.kpi": lambda env: {
        "kind": "custom", "code": f"matrix_kpi_{next(_UNIQUE)}",
        "model_id": env["ir.model"]._get_id("relationship.interaction"),
        "date_field_id": env["ir.model.fields"]._get("relationship.interaction", "date").id,
        "aggregate": "count"},
}


def _pipeline_and_stage(env):
    """A fresh pipeline with one stage: a membership's stage must belong to its pipeline."""
    pipeline = env["relationship.pipeline"].create({"name": f"Matrix {next(_UNIQUE)}"})
    stage = env["relationship.stage"].create({"name": "Matrix stage", "pipeline_id": pipeline.id})
    return {"pipeline_id": stage.pipeline_id.id, "stage_id": stage.id}


def addon_models(env, reports=False):
    """Non-transient models the addon defines or extends, from its ir.model XML ids.

    Reports (SQL views, `_auto = False`) hold no rows of their own: only `reports=True` lists them.
    """
    data = env["ir.model.data"].sudo().search([("module", "=", MODULE), ("model", "=", "ir.model")])
    ir_models = env["ir.model"].sudo().browse(data.mapped("res_id")).exists()
    return sorted(m.model for m in ir_models if not m.transient and not env[m.model]._abstract
                  and (env[m.model]._auto != reports) and m.model not in EXTENDED_ONLY)


# Models the addon extends with behaviour only (no fields, no access of its own): Odoo's rules apply.
EXTENDED_ONLY = {"mail.message", "mail.mail"}
# res.company gains settings fields (the privacy law of the company); base decides who reads and writes it.
EXTENDED_ONLY |= {"res.company"}
# ir.cron gains a check on the periodic destruction's interval; base decides (administrators only).
EXTENDED_ONLY |= {"ir.cron"}


# Read access to the reports; nobody writes a view.
REPORTS = {
    "relationship.funnel.report": {"internal": False, "portal": False, "user": True, "manager": True, "officer": True},
    "gdpr.request.status": {"internal": True, "portal": False, "user": True, "manager": True, "officer": True},
    "relationship.goal.chart": {"internal": False, "portal": False, "user": True, "manager": True, "officer": True},
}


def fill_value(env, field, company=None):
    """A valid value for a required field, so fixtures follow new models without code."""
    if field.type in ("char", "text", "html"):
        return f"Fixture {field.name}"
    if field.type in ("integer", "float", "monetary"):
        return 1
    if field.type == "boolean":
        return True
    if field.type == "date":
        return fields.Date.today()
    if field.type == "datetime":
        return fields.Datetime.now()
    if field.type == "selection":
        selection = field._description_selection(env)
        return selection[0][0]
    if field.type == "many2one":
        return build_record(env, field.comodel_name, company).id
    raise NotImplementedError(
        f"No fixture value for required field {field} ({field.type}): add it to VALS_OVERRIDES.")


def minimal_vals(env, model_name, company=None):
    """Values for the required fields without default, plus the company when it is ours to set."""
    Model = env[model_name]
    overrides = VALS_OVERRIDES.get(model_name) or {}
    overrides = overrides(env) if callable(overrides) else overrides
    vals = {}
    for name, field in Model._fields.items():
        if name in overrides:
            continue  # a required field the generic builder cannot fill (e.g. a link to ir.model)
        if name == "company_id" and company and field.store and not field.related and not field.compute:
            vals[name] = company.id
        elif field.required and field.store and not field.related and not field.compute \
                and Model.default_get([name]).get(name) in (None, False):
            vals[name] = fill_value(env, field, company)
    vals.update(overrides)
    return vals


def build_record(env, model_name, company=None):
    """A record of model_name (as superuser), reusing the company itself and the current user."""
    env = env(su=True)
    if model_name == "res.company":
        return company or env.company
    if model_name == "res.users":
        return env.user
    if model_name == "res.partner":
        return env["res.partner"].create({"name": "Fixture Partner", "company_id": company.id if company else False})
    return env[model_name].create(minimal_vals(env, model_name, company))


@tagged("post_install", "-at_install")
class TestAccessMatrix(RelationshipCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            "internal": cls.user_internal, "portal": cls.user_portal, "user": cls.user_rel,
            "manager": cls.user_manager, "officer": cls.user_officer,
        }

    def test_every_addon_model_is_in_the_table(self):
        models = addon_models(self.env)
        self.assertIn("relationship.interaction", models, "the enumeration of the addon's models found nothing")
        missing = sorted(set(models) - set(EXPECTED))
        self.assertFalse(missing, f"Models of the addon with no line in EXPECTED (state their access): {missing}")
        for model, rights in EXPECTED.items():
            self.assertEqual(set(rights), set(self.users), f"{model} must state every group")
        self.assertEqual(sorted(REPORTS), addon_models(self.env, reports=True))

    def test_reports_read_access(self):
        for model, readers in REPORTS.items():
            for key, user in self.users.items():
                with self.subTest(model=model, group=key):
                    call = functools.partial(self.env[model].with_user(user).search_count, [])
                    self._assert_allowed(readers[key], model, key, "r", call)

    def _assert_allowed(self, allowed, model, key, op, call):
        """Run call in a savepoint (rolled back either way) and check it matches the table."""
        label = "{} may{} {} {}".format(key, "" if allowed else " not", OPERATIONS[op], model)
        try:
            with self.env.cr.savepoint(flush=False) as savepoint:
                call()
                self.env.flush_all()
                savepoint.close(rollback=True)
        except AccessError:
            self.env.invalidate_all()
            self.assertFalse(allowed, f"{label}, but got AccessError")
        else:
            self.env.invalidate_all()
            self.assertTrue(allowed, f"{label}, but it succeeded")

    def test_matrix(self):
        checked = 0
        for model, rights in EXPECTED.items():
            record = build_record(self.env, model)
            vals = minimal_vals(self.env, model)
            for key, user in self.users.items():
                env_u = self.env(user=user)
                for op in OPERATIONS:
                    allowed = op in rights[key]
                    with self.subTest(model=model, group=key, op=op):
                        if op == "c":
                            call = functools.partial(env_u[model].create, vals)
                        else:
                            call = functools.partial(record.with_env(env_u).check_access, OPERATIONS[op])
                        self._assert_allowed(allowed, model, key, op, call)
                    checked += 1
        self.assertEqual(checked, len(EXPECTED) * 5 * 4)

    def test_real_write_and_unlink_follow_the_table(self):
        """check_access is what the ORM calls; a real write and unlink prove it on interactions."""
        partner = build_record(self.env, "res.partner")
        interaction = self.env["relationship.interaction"].create({"partner_id": partner.id, "subject": "Call"})
        interaction.with_user(self.user_rel).write({"subject": "Call back"})
        self.assertEqual(interaction.subject, "Call back")
        with self.assertRaises(AccessError):
            interaction.with_user(self.user_rel).unlink()
        with self.assertRaises(AccessError):
            interaction.with_user(self.user_internal).write({"subject": "Nope"})
        interaction.with_user(self.user_manager).unlink()
        self.assertFalse(interaction.exists())

    def test_user_moves_partner_history_written_but_not_editable(self):
        pipeline = self.env["relationship.pipeline"].create({"name": "Matrix"})
        first, second = self.env["relationship.stage"].create([
            {"name": "First", "pipeline_id": pipeline.id, "sequence": 1},
            {"name": "Second", "pipeline_id": pipeline.id, "sequence": 2},
        ])
        partner = self.env["res.partner"].create({"name": "Mover"})
        member = self.env["relationship.pipeline.membership"].with_user(self.user_rel).create(
            {"partner_id": partner.id, "pipeline_id": pipeline.id})
        member.with_user(self.user_rel).write({"stage_id": second.id})
        history = member.history_ids.sorted("id")
        self.assertEqual(history.stage_id, first | second)
        with self.assertRaises(AccessError):
            history[-1].with_user(self.user_manager).write({"date_leave": fields.Datetime.now()})
        with self.assertRaises(AccessError):
            member.with_user(self.user_internal).write({"stage_id": first.id})
        with self.assertRaises(AccessError):
            member.with_user(self.user_rel).unlink()
