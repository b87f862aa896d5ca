#!/usr/bin/env bash
# make pot: export i18n/customer_relationship.pot with Odoo's own exporter, then merge it into i18n/tr.po
# (existing translations of unchanged msgids are kept, new msgids added untranslated, obsolete ones dropped).
source "$(dirname "$0")/common.sh"
setup_all

# Odoo's own modules come from the template database that make test prepares; build it if missing.
TMPL="cr_tmpl_$( (echo "$ODOO $DATA"; sha1sum "$ODOO/odoo/release.py") | sha1sum | cut -c1-10)"
if ! db_exists "$TMPL"; then
    say "Preparing template database $TMPL with mail, contacts, privacy_lookup (once)."
    odoo_bin -d "$TMPL.tmp" -i mail,contacts,privacy_lookup --without-demo=all --stop-after-init \
        || { psql_q "DROP DATABASE IF EXISTS \"$TMPL.tmp\""; die "Installing Odoo's base modules failed."; }
    psql_q "ALTER DATABASE \"$TMPL.tmp\" RENAME TO \"$TMPL\""
    if [ -d "$DATA/filestore/$TMPL.tmp" ]; then mv "$DATA/filestore/$TMPL.tmp" "$DATA/filestore/$TMPL"; fi
fi

DB="cr_i18n_$(date +%Y%m%d%H%M%S)_$$"
cleanup() {
    psql_q "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$DATA/filestore/$DB"
}
trap cleanup EXIT
psql_q "CREATE DATABASE \"$DB\" TEMPLATE \"$TMPL\""
if [ -d "$DATA/filestore/$TMPL" ]; then
    mkdir -p "$DATA/filestore" && cp -a "$DATA/filestore/$TMPL" "$DATA/filestore/$DB"
fi

say "Installing customer_relationship into $DB."
odoo_bin -d "$DB" -i customer_relationship --without-demo=all --stop-after-init \
    || die "Installing the addon failed."

# The exporter walks the addons path following symlinks: through .run/addons/customer_relationship it would
# find the clone again inside .run (and any .venv). It reads a clean copy of the addon's files instead.
SRC="$RUN/i18n-src"
rm -rf "$SRC" && mkdir -p "$SRC/customer_relationship"
(cd "$ROOT" && git ls-files -co --exclude-standard -z -- ':!dev' ':!.ci' | xargs -0 tar cf -) \
    | tar xf - -C "$SRC/customer_relationship"
EXPORT_CONF="$RUN/odoo-i18n.conf"
sed "s#^addons_path = .*#addons_path = $SRC,$ODOO/addons,$ODOO/odoo/addons#" "$CONF" > "$EXPORT_CONF"

POT="$ROOT/i18n/customer_relationship.pot"
mkdir -p "$ROOT/i18n"
say "Exporting $POT."
"$VENV/bin/python" "$ODOO/odoo-bin" -c "$EXPORT_CONF" -d "$DB" --i18n-export="$POT" --modules=customer_relationship \
    --stop-after-init || die "Exporting the translation template failed."
rm -rf "$SRC" "$EXPORT_CONF"

"$VENV/bin/python" - "$POT" "$ROOT/i18n/tr.po" <<'PYEOF'
import os
import sys

import polib

pot_path, po_path = sys.argv[1:3]
pot = polib.pofile(pot_path, wrapwidth=78)
old = {}
if os.path.exists(po_path):
    for e in polib.pofile(po_path):
        if not e.obsolete:
            old[(e.msgctxt, e.msgid)] = e

po = polib.POFile(wrapwidth=78)
po.header = "Translation of Odoo Server.\nThis file contains the translation of the following modules:\n\t* customer_relationship\n"
po.metadata = dict(pot.metadata)
po.metadata.update({
    "Language": "tr",
    "Language-Team": "Turkish",
    "Plural-Forms": "nplurals=2; plural=(n > 1);",
})
kept = new = 0
for e in pot:
    prev = old.get((e.msgctxt, e.msgid))
    entry = polib.POEntry(
        msgid=e.msgid, msgctxt=e.msgctxt, occurrences=e.occurrences, comment=e.comment,
        tcomment=e.tcomment, flags=[f for f in e.flags if f != "fuzzy"],
    )
    if prev is not None and prev.msgstr:
        entry.msgstr = prev.msgstr
        if "fuzzy" in prev.flags:
            entry.flags.append("fuzzy")
        kept += 1
    else:
        entry.msgstr = ""
        new += 1
    po.append(entry)
dropped = len(set(old) - {(e.msgctxt, e.msgid) for e in pot})
po.save(po_path)
print(f"[customer_relationship] {len(pot)} msgids: {kept} translations kept, {new} untranslated, {dropped} obsolete dropped.",
      file=sys.stderr)
PYEOF
