#!/usr/bin/env bash
# make wheel-test: build the wheel with `pip wheel --no-deps .`, check its name and contents and the addon's
# Python dependencies, install it into a fresh virtualenv beside Odoo, install the addon from there into a
# new database (the checkout neither in the addons path nor on sys.path, run from another folder), run a
# smoke test and the packaged install tests, then drop the database and the virtualenv.
source "$(dirname "$0")/common.sh"
setup_all
start=$(date +%s)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cr-wheel.XXXXXX")
DB="cr_wheel_$(date +%Y%m%d%H%M%S)_$$"
cleanup() {
    psql_q "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$WORK" "$DATA/filestore/$DB"
}
trap cleanup EXIT

# --- 1. The wheel, built as a company would build it from a clone.
say "Building the wheel (pip wheel --no-deps .)."
(cd "$ROOT" && "$VENV/bin/pip" wheel --no-deps -q --disable-pip-version-check -w "$WORK/dist" .) \
    || die "pip wheel failed."
WHEEL=$(ls "$WORK"/dist/*.whl)

# --- 2. Name, contents, and the Python dependencies the addon imports.
"$VENV/bin/python" - "$ROOT" "$WHEEL" "$ODOO" <<'PYEOF' || die "The wheel is not what it should be (see above)."
import ast, importlib.metadata, os, re, subprocess, sys, tomllib, zipfile

root, wheel, odoo = sys.argv[1:]
manifest = ast.literal_eval(open(os.path.join(root, "__manifest__.py")).read())
expected_name = "odoo_addon_customer_relationship-%s-py3-none-any.whl" % manifest["version"]
assert os.path.basename(wheel) == expected_name, "wheel named %s, expected %s" % (os.path.basename(wheel), expected_name)

prefix = "odoo/addons/customer_relationship/"
names = zipfile.ZipFile(wheel).namelist()
packed = {n[len(prefix):] for n in names if n.startswith(prefix)}
strays = [n for n in names if not n.startswith(prefix) and ".dist-info/" not in n]
assert not strays, "files outside the addon: %s" % strays
exclude = tomllib.load(open(os.path.join(root, "pyproject.toml"), "rb"))["tool"]["whool-root-addon"]["exclude"]
tracked = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True).stdout.split()
tooling = lambda f: any(f.startswith(p) if p.endswith("/") else f == p for p in exclude) or f == "pyproject.toml"
want = {f for f in tracked if not tooling(f) and os.path.isfile(os.path.join(root, f))}
assert packed == want, "missing from the wheel: %s; not expected in it: %s" % (sorted(want - packed), sorted(packed - want))
assert not any(tooling(f) for f in packed), "tooling in the wheel"
for f in manifest.get("data", []) + manifest.get("demo", []):
    assert f in packed, "manifest file %s not in the wheel" % f
for folder in ("data/", "views/", "security/", "static/", "i18n/", "migrations/"):
    in_repo = any(f.startswith(folder) for f in want)
    assert in_repo == any(f.startswith(folder) for f in packed), folder
    print("  %-12s %s" % (folder, "packed" if in_repo else "none in the addon"))
meta = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
requires = re.findall(r"^Requires-Dist: (.+)$", meta, re.M)
print("  %d files, Requires-Dist: %s" % (len(packed), requires))

# Third-party modules the addon imports outside its tests: each from Odoo's requirements or declared.
def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()
odoo_reqs = {norm(re.split(r"[\s;=<>~!\[]", line.strip())[0])
             for line in open(os.path.join(odoo, "requirements.txt")) if line.strip() and not line.startswith("#")}
declared = {norm(d) for d in manifest.get("external_dependencies", {}).get("python", [])}
dists = importlib.metadata.packages_distributions()
imported = set()
for f in packed:
    if f.endswith(".py") and not f.startswith("tests/"):
        for node in ast.walk(ast.parse(zipfile.ZipFile(wheel).read(prefix + f))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level:
                imported.add(node.module.split(".")[0])
third_party = sorted(m for m in imported if m not in sys.stdlib_module_names and m != "odoo")
undeclared = []
for module in third_party:
    owners = {norm(d) for d in dists.get(module, [module])}
    source = "Odoo's requirements" if owners & odoo_reqs else "external_dependencies" if owners & declared else None
    print("  import %-12s -> %s (%s)" % (module, ", ".join(sorted(owners)), source or "NOT DECLARED"))
    if not source:
        undeclared.append(module)
assert not undeclared, "imported but neither in Odoo's requirements nor in external_dependencies: %s" % undeclared
for dep in declared:
    assert any(norm(r).startswith(dep) for r in requires), "external dependency %s missing from Requires-Dist" % dep
PYEOF

# --- 3. A fresh virtualenv beside Odoo: Odoo's own requirements are reused from the shared virtualenv
# (installing them takes minutes) and Odoo is put on the path as its editable install does. The addon
# can only come from the wheel.
say "Installing the wheel into a fresh virtualenv."
"$VENV/bin/python" -m venv "$WORK/venv"
NEWPY="$WORK/venv/bin/python"
site=$("$NEWPY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
deps=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
[ ! -e "$deps/odoo/addons/customer_relationship" ] || die "The shared virtualenv holds the addon: it cannot serve Odoo's requirements here."
echo "$deps" > "$site/odoo-requirements.pth"
echo "$ODOO" > "$site/odoo-source.pth"
# --no-deps: pip would otherwise re-check Odoo's own setup requirements (psycopg2 where psycopg2-binary
# serves). The wheel's requirements are checked against the virtualenv right after.
"$NEWPY" -m pip install -q --disable-pip-version-check --no-index --no-deps "$WHEEL" \
    || die "pip install of the wheel failed."
"$NEWPY" - <<'PYEOF' || die "The wheel's requirements are not met beside Odoo."
import importlib.metadata as md
from pip._vendor.packaging.requirements import Requirement

for line in md.requires("odoo-addon-customer_relationship") or []:
    req = Requirement(line)
    version = md.version(req.name)
    assert req.specifier.contains(version, prereleases=True), "%s: %s installed" % (req, version)
    print("  requirement %s: %s installed" % (req, version))
PYEOF
"$NEWPY" -m pip show -q odoo-addon-customer_relationship >/dev/null || die "pip does not list the addon."

# --- 4. A database with the addon installed from the wheel; addons_path holds only Odoo's folders.
CONF_WHEEL="$WORK/odoo.conf"
grep -v '^addons_path' "$CONF" > "$CONF_WHEEL"
sed -i "1a addons_path = $ODOO/addons" "$CONF_WHEEL"
mkdir "$WORK/elsewhere"
odoo_wheel() { (cd "$WORK/elsewhere" && env -u PYTHONPATH "$NEWPY" -m odoo "$@"); }
copy_template_db "$DB"
say "Installing customer_relationship from the wheel into $DB."
odoo_wheel -c "$CONF_WHEEL" -d "$DB" -i customer_relationship --without-demo=all --stop-after-init --no-http \
    > "$WORK/install.log" 2>&1 || { tail -40 "$WORK/install.log"; die "Installing from the wheel failed."; }

# The install tests the wheel carries, run on the installed addon as `make test` runs them (pytest-odoo).
say "Running the packaged tests/test_install.py."
PACKAGED="$site/odoo/addons/customer_relationship"
(cd "$WORK/elsewhere" && env -u PYTHONPATH "$NEWPY" -m pytest -q -p no:cacheprovider --rootdir="$WORK/elsewhere" \
    --odoo-config="$CONF_WHEEL" --odoo-database="$DB" "$PACKAGED/tests/test_install.py") \
    || die "The packaged install tests failed."

# --- 5. Smoke test in the installed database.
odoo_wheel shell -c "$CONF_WHEEL" -d "$DB" --no-http --log-level=warn <<PYEOF || die "Smoke test failed."
import os, sys
import odoo.addons.customer_relationship as addon

root, site = os.path.realpath("$ROOT"), os.path.realpath("$site")
where = os.path.realpath(addon.__file__)
assert where.startswith(site + os.sep), "addon loaded from %s, not from the wheel in %s" % (where, site)
found = [p for p in odoo.addons.__path__ if os.path.isdir(os.path.join(p, "customer_relationship"))]
assert [os.path.realpath(p) for p in found] == [os.path.join(site, "odoo", "addons")], "addon found in %s" % found
deps = os.path.realpath("$deps")
leaks = [p for p in sys.path + list(odoo.addons.__path__) if p and os.path.realpath(p) != deps
         and (os.path.realpath(p) + os.sep).startswith(root + os.sep)]
assert not leaks and os.path.realpath(os.getcwd()) != root, "checkout on the path: %s" % leaks

module = env["ir.module.module"].search([("name", "=", "customer_relationship")])
assert module.state == "installed", module.state
root_menu = env.ref("customer_relationship.menu_relationship_root")
admin_menus = env["ir.ui.menu"].with_user(env.ref("base.user_admin"))._visible_menu_ids()
assert root_menu.id in admin_menus, "menu not visible to the administrator"
assert env["relationship.pipeline"].search_count([]) >= 1, "no pipeline"

partner = env["res.partner"].create({"name": "Wheel Smoke Ltd", "is_company": True})
when = "2026-01-15 10:00:00"
env["relationship.interaction"].create({"partner_id": partner.id, "date": when, "subject": "Wheel smoke call"})
env.flush_all()
partner.invalidate_recordset()
assert partner.interaction_count == 1, partner.interaction_count
assert str(partner.last_interaction_date) == when, partner.last_interaction_date
admin = env.ref("base.user_admin")
arch = env["res.partner"].with_user(admin).get_views([(False, "form")])["views"]["form"]["arch"]
assert "action_view_interactions" in arch, "partner form without the addon's view"

# The Turkish translation ships in the wheel's i18n/.
env["res.lang"]._activate_lang("tr_TR")
env["ir.module.module"]._load_module_terms(["customer_relationship"], ["tr_TR"], overwrite=True)
tr_name = root_menu.with_context(lang="tr_TR").name
assert tr_name != root_menu.name, "no Turkish menu name"
env.cr.rollback()
print("smoke: loaded from %s; %s installed; menu %r (tr: %r); a partner logged an interaction"
      % (os.path.dirname(where), module.latest_version, root_menu.name, tr_name))
PYEOF

say "Wheel $(basename "$WHEEL"): installed from a fresh virtualenv, smoke test passed ($(( $(date +%s) - start )) s)."
