#!/usr/bin/env bash
# make lint: ruff and OCA's pylint-odoo on the addon.
source "$(dirname "$0")/common.sh"
find_odoo
ensure_venv
cd "$ROOT"
"$VENV/bin/ruff" check .
"$VENV/bin/pylint" --rcfile="$ROOT/.pylintrc" --load-plugins=pylint_odoo \
    $(git ls-files -co --exclude-standard '*.py' | grep -v '^dev/' | grep -v '^\.venv/')
say "lint clean"
