#!/usr/bin/env bash
# make bench: builds (once per addon version) a large database, then measures P1-P8 side by side with
# Odoo's own equivalents and prints the table (also bench/results-<scale>.json). CR_BENCH_SCALE sets the
# number of partners (10000, 100000 (default) or 1000000; interactions and history in proportion),
# CR_BENCH_REPS sets repetitions, CR_BENCH_WARMUP=0 skips the warm-up run, CR_BENCH_ONLY=P1,P4 measures
# only those (P18.1: only the first line of P18; NONE: build without measuring), CR_BENCH_KEEP_OLD=1 keeps bench databases of
# other addon versions. CR_BENCH_REUSE=1 measures the current code on the newest bench database of the
# scale instead of building one (CR_BENCH_REUSE=<database> on that one): the addon is upgraded in it
# (`-u customer_relationship`) and the database renamed to the current key.
source "$(dirname "$0")/common.sh"
setup_all
started=$(date +%s)
SCALE=${CR_BENCH_SCALE:-100000}
case "$SCALE" in
    10000|100000|1000000) ;;
    *) die "CR_BENCH_SCALE=$SCALE: use 10000, 100000 or 1000000 (partners).";;
esac
key=$( (addon_hash; cat "$ROOT/dev/bench_build.py"; echo "$ODOO") | sha1sum | cut -c1-10)
DB="cr_bench_${SCALE}_$key"

# CR_BENCH_REUSE: the data of an older build, the code of this checkout (a build at 1,000,000 takes an hour)
reuse_bench_db() {
    local old="$CR_BENCH_REUSE"
    if [ "$old" = 1 ]; then  # the newest of the scale: database oids grow with creation
        old=$(psql_q "SELECT datname FROM pg_database WHERE datname ~ %s ORDER BY oid DESC LIMIT 1" "^cr_bench_${SCALE}_[0-9a-f]{10}$")
        [ -n "$old" ] || die "CR_BENCH_REUSE=1: no bench database of scale $SCALE to reuse; build one without CR_BENCH_REUSE."
    fi
    db_exists "$old" || die "CR_BENCH_REUSE=$old: no such database."
    say "Upgrading the addon in $old (built by an older checkout) and renaming it to $DB."
    odoo_bin -d "$old" -u customer_relationship --without-demo=all --stop-after-init \
        || die "Upgrading customer_relationship in $old failed; it is left as it was."
    psql_q "ALTER DATABASE \"$old\" RENAME TO \"$DB\"" \
        || die "Renaming $old to $DB failed (is another bench connected to it?)."
    if [ -d "$DATA/filestore/$old" ]; then mv "$DATA/filestore/$old" "$DATA/filestore/$DB"; fi
}

if ! db_exists "$DB" && [ -n "${CR_BENCH_REUSE:-}" ]; then
    reuse_bench_db
elif ! db_exists "$DB"; then
    # an older bench database of this scale (or of before scales) is of an older addon: keep the disk for this one
    # (CR_BENCH_KEEP_OLD=1 keeps them, for benches of several checkouts side by side)
    [ -n "${CR_BENCH_KEEP_OLD:-}" ] || for old in $(psql_q "SELECT datname FROM pg_database WHERE datname ~ %s" "^cr_bench_([0-9a-f]{10}|${SCALE}_[0-9a-f]{10})$"); do
        say "Dropping the outdated bench database $old."
        psql_q "DROP DATABASE \"$old\" WITH (FORCE)"
        rm -rf "$DATA/filestore/$old"
    done
    say "Building the bench database $DB (once per addon version and scale; 5 to 10 minutes at 100,000, about an hour at 1,000,000)."
    # with CRM and Sales, as `make test` (P18 applies a stage rule to real sale orders)
    copy_template_db "$DB.tmp" "$BASE_MODULES,crm,sale_management"
    odoo_bin -d "$DB.tmp" -i customer_relationship,gamification --without-demo=all --stop-after-init \
        || { psql_q "DROP DATABASE IF EXISTS \"$DB.tmp\" WITH (FORCE)"; die "Installing the bench modules failed."; }
    "$VENV/bin/python" "$ROOT/dev/bench_build.py" --config "$CONF" --database "$DB.tmp" --scale "$SCALE" \
        || { psql_q "DROP DATABASE IF EXISTS \"$DB.tmp\" WITH (FORCE)"; die "Building the bench data failed."; }
    psql_q "ALTER DATABASE \"$DB.tmp\" RENAME TO \"$DB\""
    if [ -d "$DATA/filestore/$DB.tmp" ]; then mv "$DATA/filestore/$DB.tmp" "$DATA/filestore/$DB"; fi
fi
[ "${CR_BENCH_ONLY:-}" = NONE ] && { say "Bench database $DB ready (CR_BENCH_ONLY=NONE: nothing measured)."; exit 0; }
mkdir -p "$ROOT/bench"
"$VENV/bin/python" "$ROOT/dev/bench.py" --config "$CONF" --database "$DB" \
    --repetitions "${CR_BENCH_REPS:-5}" --warmup "${CR_BENCH_WARMUP:-1}" \
    --output "$ROOT/bench/results-$SCALE.json" ${CR_BENCH_ONLY:+--only "$CR_BENCH_ONLY"}
say "make bench took $(( $(date +%s) - started )) s."
