"""make upgrade-test: snapshot of the addon's data, run inside `odoo shell` (stdin) on both sides.

CR_UPGRADE_MODE=before (old code): writes $CR_UPGRADE_DIR/before.json.
CR_UPGRADE_MODE=after (current code): takes the same snapshot, compares it with before.json, recomputes
every stored computed field of the addon and compares it with what the database holds.

Only stable means are used (ir.model, ir.model.fields, SQL, relationship.kpi.compute_value), so the
same file reads a database of any earlier version. A migration declares the changes it makes on
purpose in migrations/<version>/upgrade_expectations.json (see README, Reliability):
  renamed_models    {"old.model": "new.model"}      the new model holds at least as many rows
  removed_models    {"old.model": "why"}            the model may disappear with its rows
  fewer_records     {"model": "why"}                the model may lose rows
  changed_fields    {"model.field": "why"}          the field's values may change or the field go
  fields_to_models  {"model.field": "new.model"}    every record that had the field set is now a row
                                                    of new.model (at least as many rows as set values)
  changed_kpis      {"kpi code": "why"}             the KPI's value may differ ("*": every KPI)
"""

import json
import os
from datetime import date
from datetime import timedelta

MODULE = "customer_relationship"
MAGIC = {"id", "create_uid", "create_date", "write_uid", "write_date"}
FIGURE_TYPES = {"integer", "float", "monetary", "date", "datetime", "many2one", "boolean", "selection", "char"}
EXPECTATION_KEYS = {"renamed_models", "removed_models", "fewer_records", "changed_fields", "fields_to_models",
                    "changed_kpis"}


def _xmlid_res_ids(env, model):
    env.cr.execute("SELECT res_id FROM ir_model_data WHERE module = %s AND model = %s", [MODULE, model])
    return [r[0] for r in env.cr.fetchall()]


def _addon_fields(env):
    """(model, field name) of the stored fields this addon defines, on its models and on others."""
    fields = env["ir.model.fields"].browse(_xmlid_res_ids(env, "ir.model.fields")).exists()
    out = []
    for f in fields:
        model = env.get(f.model)
        field = model is not None and model._fields.get(f.name)
        if field and field.store and field.column_type and f.name not in MAGIC and not model._abstract \
                and model._auto and not model._transient:
            out.append((f.model, f.name))
    return sorted(out)


def _addon_models(env):
    names = env["ir.model"].browse(_xmlid_res_ids(env, "ir.model")).exists().mapped("model")
    return sorted(m for m in names if m in env and not env[m]._abstract and env[m]._auto and not env[m]._transient)


def _reloaded_ids(env):
    """Records the upgrade rewrites from the addon's data files (not noupdate): model -> ids."""
    env.cr.execute("SELECT model, array_agg(res_id) FROM ir_model_data WHERE module = %s AND NOT noupdate "
                   "GROUP BY model", [MODULE])
    return dict(env.cr.fetchall())


def _value(v):
    return v.isoformat() if hasattr(v, "isoformat") else v


def _kpi_values(env, day):
    """Every KPI's value over the year before `day`, by KPI id ("error: ..." when it cannot compute)."""
    if "relationship.kpi" not in env or not hasattr(env["relationship.kpi"], "compute_value"):
        return None
    out = {}
    date_from = day - timedelta(days=365)
    for kpi in env["relationship.kpi"].with_context(active_test=False).search([]):
        try:
            with env.cr.savepoint():
                value = kpi.compute_value(date_from, day)
        except Exception as e:  # noqa: BLE001  a KPI that cannot compute is reported, not fatal here
            value = f"error: {e}"
        code = kpi.code if "code" in kpi._fields else str(kpi.id)
        out[str(kpi.id)] = {"code": code, "value": value}
    return out


def snapshot(env, day):
    snap = {"version": env["ir.module.module"].search([("name", "=", MODULE)]).latest_version,
            "models": {}, "fields": {}, "kpis": _kpi_values(env, day), "reloaded": {}}
    for model in _addon_models(env) + ["res.partner"]:
        env.cr.execute(f'SELECT id FROM "{env[model]._table}" ORDER BY id')
        snap["models"][model] = [r[0] for r in env.cr.fetchall()]
    for model, name in _addon_fields(env):
        field = env[model]._fields[name]
        if field.type not in FIGURE_TYPES or field.translate:
            continue
        env.cr.execute(f'SELECT id, "{name}" FROM "{env[model]._table}"')
        snap["fields"][f"{model}.{name}"] = {
            "type": field.type,
            "computed": bool(field.compute or field.related),
            "values": {str(i): _value(v) for i, v in env.cr.fetchall()},
        }
    snap["reloaded"] = {m: sorted(ids) for m, ids in _reloaded_ids(env).items()}
    return snap


def load_expectations(root, version_from, version_to):
    from odoo.tools import parse_version

    merged = {k: {} for k in EXPECTATION_KEYS}
    migrations = os.path.join(root, "migrations")
    for version in sorted(os.listdir(migrations) if os.path.isdir(migrations) else [], key=parse_version):
        path = os.path.join(migrations, version, "upgrade_expectations.json")
        if not (parse_version(version_from) < parse_version(version) <= parse_version(version_to)) \
                or not os.path.isfile(path):
            continue
        with open(path) as f:
            declared = json.load(f)
        unknown = set(declared) - EXPECTATION_KEYS
        assert not unknown, f"{path}: unknown keys {sorted(unknown)} (known: {sorted(EXPECTATION_KEYS)})"
        for key, value in declared.items():
            merged[key].update(value)
        print(f"expectations from {os.path.relpath(path, root)}: {declared}")
    return merged


def _check_records(before, after, expect, problems):
    for model, ids in before["models"].items():
        if model in expect["removed_models"]:
            print(f"  {model:36} {len(ids):5} rows, removed on purpose: {expect['removed_models'][model]}")
            continue
        if model in expect["renamed_models"]:
            new = expect["renamed_models"][model]
            n_after = len(after["models"].get(new, []))
            print(f"  {model:36} {len(ids):5} rows -> {new} {n_after} rows")
            if n_after < len(ids):
                problems.append(f"{model} renamed to {new}: {len(ids)} rows before, {n_after} after")
            continue
        if model not in after["models"]:
            problems.append(f"model {model} is gone with its {len(ids)} rows (declare it in upgrade_expectations.json)")
            continue
        lost = sorted(set(ids) - set(after["models"][model]))
        print(f"  {model:36} {len(ids):5} rows before, {len(after['models'][model]):5} after, {len(lost)} lost")
        if lost and model not in expect["fewer_records"]:
            problems.append(f"{model} lost {len(lost)} rows: ids {lost[:20]}")
    for model in sorted(set(after["models"]) - set(before["models"])):
        print(f"  {model:36} new, {len(after['models'][model]):5} rows")


def _check_fields(before, after, expect, problems):
    compared = 0
    for key, old in before["fields"].items():
        model = key.rsplit(".", 1)[0]
        target = expect["fields_to_models"].get(key)
        if target:
            was_set = sum(1 for v in old["values"].values() if v not in (None, False))
            rows = len(after["models"].get(target, []))
            print(f"  {key} ({was_set} set) -> {target} ({rows} rows)")
            if rows < was_set:
                problems.append(f"{key} was set on {was_set} records, {target} has {rows} rows")
            continue
        if key in expect["changed_fields"] or model in expect["removed_models"] or model in expect["renamed_models"]:
            continue
        new = after["fields"].get(key)
        if new is None:
            if not old["computed"] and any(v not in (None, False) for v in old["values"].values()):
                problems.append(f"field {key} is gone with its values (declare it in upgrade_expectations.json)")
            continue
        if new["computed"] or old["type"] != new["type"]:
            continue  # derived: checked against a recomputation below
        reloaded = set(before["reloaded"].get(model, []))
        differ = [i for i, v in old["values"].items()
                  if int(i) not in reloaded and i in new["values"] and new["values"][i] != v]
        compared += 1
        if differ:
            i = differ[0]
            problems.append(f"{key} changed on {len(differ)} records, e.g. id {i}: "
                            f"{old['values'][i]!r} -> {new['values'][i]!r}")
    print(f"  {compared} stored fields compared record by record")


def _check_kpis(before, after, expect, problems):
    if before["kpis"] is None:
        print("  the old code has no relationship.kpi.compute_value: KPI figures not compared")
        return
    for kpi_id, old in sorted(before["kpis"].items(), key=lambda kv: int(kv[0])):
        value, new = old["value"], (after["kpis"] or {}).get(kpi_id, {}).get("value")
        if new is None:
            continue  # the KPI is gone: its row is checked with the records
        why = expect["changed_kpis"].get(old["code"]) or expect["changed_kpis"].get("*")
        same = (isinstance(value, (int, float)) and isinstance(new, (int, float)) and abs(value - new) < 1e-6) \
            or value == new
        print(f"  KPI {old['code']:24} {value!r:24} {'same' if same else f'now {new!r}'}"
              + (f" (declared: {why})" if why and not same else ""))
        if not same and not why:
            problems.append(f"KPI id {kpi_id} computed {value!r} before the upgrade, {new!r} after")


def check_stored_computes(env, problems):
    """Every stored computed field of the addon equals its recomputation (then rolled back)."""
    targets = []
    for model, name in _addon_fields(env):
        field = env[model]._fields[name]
        if field.compute:
            targets.append((model, name, field))
    stored = {}
    for model, name, _field in targets:
        env.cr.execute(f'SELECT id, "{name}" FROM "{env[model]._table}"')
        stored[(model, name)] = dict(env.cr.fetchall())
    env.invalidate_all()
    for model, _name, field in targets:
        records = env[model].with_context(active_test=False).search([])
        env.add_to_compute(field, records)
    env.flush_all()
    for model, name, _field in targets:
        env.cr.execute(f'SELECT id, "{name}" FROM "{env[model]._table}"')
        fresh = dict(env.cr.fetchall())
        differ = [i for i, v in fresh.items() if stored[(model, name)].get(i) != v]
        print(f"  {model + '.' + name:52} {len(fresh):5} records, {len(differ)} differ")
        if differ:
            i = differ[0]
            problems.append(f"stored {model}.{name} differs from its recomputation on {len(differ)} records, "
                            f"e.g. id {i}: {stored[(model, name)].get(i)!r} stored, {fresh[i]!r} recomputed")
    env.cr.rollback()
    env.invalidate_all()


def main(env):
    mode, folder = os.environ["CR_UPGRADE_MODE"], os.environ["CR_UPGRADE_DIR"]
    day = date.fromisoformat(os.environ["CR_UPGRADE_DAY"])
    snap = snapshot(env, day)
    if mode == "before":
        with open(os.path.join(folder, "before.json"), "w") as f:
            json.dump(snap, f)
        print(f"snapshot of {snap['version']}: {len(snap['models'])} models, {len(snap['fields'])} fields, "
              f"{len(snap['kpis'] or {})} KPIs")
        return
    with open(os.path.join(folder, "before.json")) as f:
        before = json.load(f)
    expect = load_expectations(os.environ["CR_UPGRADE_ROOT"], before["version"], snap["version"])
    problems = []
    if snap["version"] != os.environ["CR_UPGRADE_VERSION"]:
        problems.append(f"installed version {snap['version']}, the manifest says {os.environ['CR_UPGRADE_VERSION']}")
    print("upgrade {} -> {}".format(before["version"], snap["version"]))
    print("records:")
    _check_records(before, snap, expect, problems)
    print("stored figures:")
    _check_fields(before, snap, expect, problems)
    print(f"KPI values over the year to {day}:")
    _check_kpis(before, snap, expect, problems)
    print("stored computed fields against a recomputation:")
    check_stored_computes(env, problems)
    for p in problems:
        print(f"PROBLEM: {p}")
    assert not problems, f"{len(problems)} problems after the upgrade"
    print("UPGRADE CHECK PASSED")


main(globals()["env"])
