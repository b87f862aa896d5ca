"""Random values through create and write of every model of the addon (hypothesis).

What counts as an expected, user-facing refusal:
- odoo.exceptions.UserError and its subclasses (ValidationError, AccessError, MissingError, RedirectWarning):
  the client shows their sentence.
- psycopg2.IntegrityError (NOT NULL, foreign key, UNIQUE/CHECK constraints): in tests it surfaces raw, but
  every RPC call goes through odoo.service.model.retrying(), which turns it into a ValidationError with
  the constraint's message; the test checks that conversion (_as_validation_error) yields a ValidationError.
- Only for malformed input (a Python type the field does not take, or a selection key that does not
  exist; no form of the web client sends them, only a hand-written RPC call can): ValueError, TypeError,
  OverflowError from the ORM's conversion, and psycopg2.DataError / ProgrammingError when the ORM passes
  the value on and PostgreSQL refuses its type. That is Odoo core's behaviour for every field of every
  model; what matters for us is that the call is refused and nothing is saved.
Anything else (psycopg2.DataError, KeyError, AttributeError, ...) fails the test. A refused call must leave
the row count unchanged; an accepted create adds exactly one row that reads back.
"""
import psycopg2
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.service.model import _as_validation_error
from odoo.tests import tagged

from .common import RelationshipCase
from .test_access_matrix import MODULE
from .test_access_matrix import addon_models
from .test_access_matrix import build_record
from .test_access_matrix import minimal_vals

FUZZED_TYPES = ("char", "text", "html", "integer", "float", "boolean", "date", "datetime", "selection",
                "many2one")

# Fields that cannot be fuzzed, and why.
SKIP = {
    # Odoo's own bookkeeping columns, written by the ORM itself.
    "id", "create_uid", "create_date", "write_uid", "write_date",
    # mail.thread's followers/activities machinery is mail's, tested by mail's own suite (make test-core).
    "message_main_attachment_id",
}

# PostgreSQL int4: beyond it every Integer field of Odoo fails with psycopg2.DataError, core behaviour
# that no field of ours can change, so integers stay in range (floats are float8 and unbounded).
INT4 = 2**31 - 1

MALFORMED_REFUSALS = (ValueError, TypeError, OverflowError, psycopg2.DataError, psycopg2.ProgrammingError)

BAD_DOMAINS = ["[('", "[('no_such_field', '=', 1)]", "__import__('os').system('true')", "[(1, '=', 1)]", "{}"]


def huge_text():
    # No NUL (\x00): PostgreSQL text cannot hold it and Odoo core hands it to psycopg2 unchecked, which
    # raises ValueError (or UntranslatableCharacter for translated fields) for every Char field of Odoo.
    return st.sampled_from(["x" * 100_000, "é" * 20_000, "\u202e\U0001f600\t\r\n", "<script>alert(1)</script>", ""])


def well_formed(env, field):
    """Values of the field's own Python type, including the nasty ones."""
    t = field.type
    if t in ("char", "text", "html"):
        values = st.one_of(st.text(st.characters(exclude_characters="\x00"), max_size=40), huge_text())
        if "domain" in field.name:
            values = st.one_of(values, st.sampled_from(BAD_DOMAINS))
        return values
    if t == "integer":
        return st.one_of(st.integers(-INT4, INT4), st.sampled_from([-1, 0, -INT4, INT4]))
    if t == "float":
        return st.one_of(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
                         st.sampled_from([-1.0, -0.0001, 0.0, 1e15]))
    if t == "boolean":
        return st.booleans()
    if t == "date":
        return st.dates()
    if t == "datetime":
        return st.datetimes()
    if t == "selection":
        return st.sampled_from([key for key, _label in field._description_selection(env)] + [False])
    if t == "many2one":
        existing = env[field.comodel_name].sudo().search([], limit=3, order="id desc").ids
        return st.one_of(st.sampled_from(existing or [False]), st.sampled_from([False, 0, -1, 2**30]))
    raise NotImplementedError(t)


def malformed(env, field):
    """Types the field does not take, and unknown selection keys."""
    values = st.one_of(st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(),
                                                                             max_size=2),
                       st.text(max_size=10), st.integers(), st.floats(), st.none())
    if field.type == "selection":
        values = st.one_of(values, st.sampled_from(["no_such_key", "PHONE", " phone", "1"]))
    return values


def fuzzable_fields(env, model):
    """The addon's own stored fields of the model, of a type we know how to fuzz."""
    return sorted(
        name for name, field in env[model]._fields.items()
        if field.type in FUZZED_TYPES and field.store and not field.compute and not field.related
        and MODULE in (field._modules or ()) and name not in SKIP
    )


@tagged("post_install", "-at_install")
class TestBadInputProperty(RelationshipCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.models = addon_models(cls.env)
        cls.fields_by_model = {m: fuzzable_fields(cls.env, m) for m in cls.models}
        cls.targets = {m: build_record(cls.env, m) for m in cls.models}
        cls.stats = {"ok": 0, "refused": 0}

    def test_fields_are_found(self):
        self.assertIn("subject", self.fields_by_model["relationship.interaction"])
        self.assertIn("contact_cadence_days", self.fields_by_model["res.partner"])
        self.assertNotIn("relationship_stage_id", self.fields_by_model["res.partner"], "computed: not written by users")
        self.assertNotIn("name", self.fields_by_model["res.partner"], "only the addon's own partner fields")

    def count(self, model):
        self.env.flush_all()
        self.env.cr.execute(f'SELECT count(*) FROM "{self.env[model]._table}"')  # table from the registry
        return self.env.cr.fetchone()[0]

    def assert_expected(self, exc, is_malformed, label):
        if isinstance(exc, UserError):
            return
        if isinstance(exc, psycopg2.IntegrityError):
            self.assertIsInstance(_as_validation_error(self.env, exc), ValidationError, label)
            return
        if is_malformed and isinstance(exc, MALFORMED_REFUSALS):
            return
        raise AssertionError(f"{label} raised {type(exc).__name__}: {exc}") from exc

    def draw_vals(self, data, model):
        names = self.fields_by_model[model]
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True), label=model)
        is_malformed = data.draw(st.booleans(), label="malformed")
        values = {}
        for name in chosen:
            field = self.env[model]._fields[name]
            strategy = malformed(self.env, field) if is_malformed else well_formed(self.env, field)
            values[name] = data.draw(strategy, label=name)
        return values, is_malformed

    def run_call(self, model, op, values, is_malformed):
        shown = {k: (v[:30] + "...") if isinstance(v, str) else v for k, v in values.items()}
        label = f"{model}.{op}({shown!r})"
        before = self.count(model)
        try:
            with self.env.cr.savepoint():
                if op == "create":
                    record = self.env[model].create(dict(minimal_vals(self.env, model), **values))
                else:
                    record = self.targets[model]
                    record.write(values)
        except Exception as exc:  # noqa: BLE001 - classifying every exception is the point
            self.env.invalidate_all(flush=False)
            self.assert_expected(exc, is_malformed, label)
            self.assertEqual(self.count(model), before, f"{label} failed but left a row behind")
            self.stats["refused"] += 1
            return
        self.assertEqual(self.count(model), before + (op == "create"), label)
        record.invalidate_recordset()
        record.read(list(values))
        self.stats["ok"] += 1

    @settings(max_examples=30, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def test_create_and_write_take_anything(self, data):
        for model in self.models:
            if not self.fields_by_model[model]:
                continue
            for op in ("create", "write"):
                values, is_malformed = self.draw_vals(data, model)
                self.run_call(model, op, values, is_malformed)
