#!/usr/bin/env bash
# make upgrade-test: a database WITH demo data built from the commit before the latest version bump of
# __manifest__.py (a temporary git worktree), a snapshot of its records and figures, `-u customer_relationship`
# with the current code, then dev/upgrade_check.py: no record lost, stored figures unchanged (apart from
# what migrations/<version>/upgrade_expectations.json declares), KPI values equal, every stored computed
# field equal to its recomputation. The database and the worktree are removed afterwards.
# CR_UPGRADE_FROM=<git ref> upgrades from another commit.
source "$(dirname "$0")/common.sh"
setup_all
start=$(date +%s)
cd "$ROOT"

# --- The base: on the first-parent line (a merge is where main got the bump), the newest commit whose
# manifest version differs from its parent's; the base is that parent. No bump yet: the current commit.
base_of_latest_bump() {
    "$VENV/bin/python" - <<'PYEOF'
import ast, subprocess

def version(commit):
    out = subprocess.run(["git", "show", "%s:__manifest__.py" % commit], capture_output=True, text=True)
    return ast.literal_eval(out.stdout).get("version") if out.returncode == 0 else None

commits = subprocess.run(["git", "rev-list", "--first-parent", "HEAD"], capture_output=True, text=True,
                         check=True).stdout.split()
for commit, parent in zip(commits, commits[1:]):
    old = version(parent)
    if old and version(commit) != old:
        print(parent)
        break
PYEOF
}
if [ -n "${CR_UPGRADE_FROM:-}" ]; then
    BASE=$(git rev-parse --verify "$CR_UPGRADE_FROM^{commit}") || die "CR_UPGRADE_FROM=$CR_UPGRADE_FROM is not a commit."
    why="CR_UPGRADE_FROM"
else
    BASE=$(base_of_latest_bump)
    why="the commit before the latest version bump"
    if [ -z "$BASE" ]; then
        BASE=$(git rev-parse HEAD)
        why="no version bump in the history yet: the current commit, upgraded to the work tree"
        if [ "$(git rev-parse --is-shallow-repository)" = true ]; then
            why="$why; this clone is shallow, a bump before its first commit cannot be seen"
        fi
    fi
fi
say "Upgrading from $(git log -1 --format='%h %s' "$BASE") ($why)."

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cr-upgrade.XXXXXX")
OLD="$WORK/src/customer_relationship"   # the folder name is the addon's name
DB="cr_upgrade_$(date +%Y%m%d%H%M%S)_$$"
cleanup() {
    psql_q "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$DATA/filestore/$DB"
    git -C "$ROOT" worktree remove --force "$OLD" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/src"
git worktree add -q --detach "$OLD" "$BASE" || die "git worktree add failed."

OLD_CONF="$WORK/odoo-old.conf"
sed "s|^addons_path = .*|addons_path = $WORK/src,$ODOO/addons,$ODOO/odoo/addons|" "$CONF" > "$OLD_CONF"
export CR_UPGRADE_DIR="$WORK" CR_UPGRADE_ROOT="$ROOT" CR_UPGRADE_DAY CR_UPGRADE_VERSION
CR_UPGRADE_VERSION=$("$VENV/bin/python" -c 'import ast, sys; print(ast.literal_eval(open(sys.argv[1]).read())["version"])' "$ROOT/__manifest__.py")
CR_UPGRADE_DAY=$(date -u +%F)   # one day for both snapshots' KPI period

say "Building $DB with demo data from the old code."
"$VENV/bin/python" "$ODOO/odoo-bin" -c "$OLD_CONF" -d "$DB" -i customer_relationship --stop-after-init --no-http \
    > "$WORK/old-install.log" 2>&1 || { tail -30 "$WORK/old-install.log"; die "Installing the old code failed."; }
CR_UPGRADE_MODE=before "$VENV/bin/python" "$ODOO/odoo-bin" shell -c "$OLD_CONF" -d "$DB" --no-http \
    < "$ROOT/dev/upgrade_check.py" || die "The snapshot of the old database failed."
built=$(date +%s)

say "Upgrading $DB with the current code (-u customer_relationship)."
odoo_bin -d "$DB" -u customer_relationship --stop-after-init --no-http --log-level=info > "$WORK/upgrade.log" 2>&1 \
    || { tail -40 "$WORK/upgrade.log"; die "The upgrade failed."; }
if grep -E " (ERROR|CRITICAL) " "$WORK/upgrade.log"; then die "The upgrade logged errors (above)."; fi
grep -E "odoo.modules.migration: module customer_relationship: Running migration" "$WORK/upgrade.log" || true
upgraded=$(date +%s)

CR_UPGRADE_MODE=after "$VENV/bin/python" "$ODOO/odoo-bin" shell -c "$CONF" -d "$DB" --no-http < "$ROOT/dev/upgrade_check.py" \
    || die "Records or figures did not survive the upgrade (see PROBLEM lines above)."
say "Upgrade test passed: old database with demo $(( built - start )) s, upgrade $(( upgraded - built )) s, checks $(( $(date +%s) - upgraded )) s."
