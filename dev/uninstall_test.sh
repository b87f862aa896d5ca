#!/usr/bin/env bash
# make uninstall-test: install the addon in a fresh database, list its tables and columns, uninstall it,
# check none of them is left in information_schema, then install it again.
source "$(dirname "$0")/common.sh"
setup_all
DB="cr_uninstall_$(date +%Y%m%d%H%M%S)_$$"
cleanup() { psql_q "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true; }
trap cleanup EXIT
LIST="$RUN/uninstall-test.tables.json"
start=$(date +%s)
say "Installing customer_relationship into $DB."
odoo_bin -d "$DB" -i customer_relationship --without-demo=all --stop-after-init || die "First install failed."

say "Listing the addon's tables and columns, then uninstalling it."
"$VENV/bin/python" "$ODOO/odoo-bin" shell -c "$CONF" -d "$DB" --no-http <<PYEOF || die "Uninstall failed."
import json
data = env["ir.model.data"].search([("module", "=", "customer_relationship"), ("model", "=", "ir.model.fields")])
# Fields only this addon defines (a field also defined elsewhere rightly survives the uninstall).
mine = env["ir.model.fields"].browse(data.mapped("res_id")).exists().filtered(
    lambda f: f.modules == "customer_relationship")
tables, columns = set(), set()
for f in mine:
    model = env.get(f.model)
    if model is None or not f.store:
        continue
    field = model._fields.get(f.name)
    if field.type == "many2many" and field.store and getattr(field, "relation", None):
        tables.add(field.relation)
    elif field.store and field.column_type:
        columns.add((model._table, f.name))
for m in env["ir.model"].search([]).filtered(lambda m: m.modules == "customer_relationship"):
    if not env[m.model]._abstract:
        tables.add(env[m.model]._table)
columns = {(t, c) for t, c in columns if t not in tables}
json.dump({"tables": sorted(tables), "columns": sorted(columns)}, open("$LIST", "w"), indent=1)
print("addon tables: %s" % sorted(tables))
print("addon columns on other tables: %s" % sorted(columns))
assert "relationship_interaction" in tables and ("res_partner", "gdpr_restricted") in columns, "listing found nothing"
env["ir.module.module"].search([("name", "=", "customer_relationship")]).button_immediate_uninstall()
env.cr.commit()
PYEOF

say "Checking information_schema."
"$VENV/bin/python" - "$DB" "$LIST" <<'PYEOF' || die "The uninstall left tables or columns behind."
import json, os, sys, psycopg2
kw = {k: os.environ[e] for e, k in (("PGHOST", "host"), ("PGPORT", "port"), ("PGUSER", "user"), ("PGPASSWORD", "password")) if os.environ.get(e)}
listing = json.load(open(sys.argv[2]))
with psycopg2.connect(dbname=sys.argv[1], **kw) as conn, conn.cursor() as cr:
    cr.execute("SELECT state FROM ir_module_module WHERE name = 'customer_relationship'")
    state = cr.fetchone()[0]
    cr.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY(%s)", [listing["tables"]])
    tables = [r[0] for r in cr.fetchall()]
    cr.execute("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'")
    present = {tuple(r) for r in cr.fetchall()}
    columns = [tuple(c) for c in listing["columns"] if tuple(c) in present]
    cr.execute("SELECT count(*) FROM ir_model_data WHERE module = 'customer_relationship'")
    xmlids = cr.fetchone()[0]
    # the funnel summary's trigger function (the uninstall hook drops it)
    cr.execute("SELECT proname FROM pg_proc WHERE proname LIKE 'relationship%%'")
    functions = [r[0] for r in cr.fetchall()]
print("module state: %s; checked %d tables, %d columns; left: tables %s, columns %s, functions %s, xml ids %d"
      % (state, len(listing["tables"]), len(listing["columns"]), tables, columns, functions, xmlids))
sys.exit(0 if state == "uninstalled" and not tables and not columns and not functions and not xmlids else 1)
PYEOF

say "Installing the addon again."
odoo_bin -d "$DB" -i customer_relationship --without-demo=all --stop-after-init || die "Reinstall failed."
state=$(psql_q "SELECT 1" >/dev/null; "$VENV/bin/python" -c "
import os, psycopg2
kw = {k: os.environ[e] for e, k in (('PGHOST', 'host'), ('PGPORT', 'port'), ('PGUSER', 'user'), ('PGPASSWORD', 'password')) if os.environ.get(e)}
c = psycopg2.connect(dbname='$DB', **kw).cursor()
c.execute(\"SELECT state FROM ir_module_module WHERE name = 'customer_relationship'\")
print(c.fetchone()[0])")
[ "$state" = installed ] || die "After reinstalling, the module is '$state', not installed."
say "Uninstall left nothing behind and the reinstall worked ($(( $(date +%s) - start )) s)."
