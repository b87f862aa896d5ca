# Development entry points; the scripts live in dev/.
.PHONY: run test shell lint clean check-run screenshots pot

run:
	@bash dev/run.sh

test:
	@bash dev/test.sh $(TESTS)

shell:
	@bash dev/shell.sh

check-run:
	@bash dev/check_run.sh

screenshots:
	@bash dev/screenshots.sh

lint:
	@bash dev/lint.sh

# Translations: export i18n/customer_relationship.pot with Odoo's exporter and merge it into i18n/tr.po.
pot:
	@bash dev/i18n.sh

clean:
	rm -rf .run .venv

# Reliability: concurrent load, Odoo's own suites with the addon, uninstall/reinstall.
.PHONY: loadtest test-core uninstall-test

loadtest:
	@bash dev/loadtest.sh

test-core:
	@bash dev/test_core.sh

uninstall-test:
	@bash dev/uninstall_test.sh

# Performance: a 100,000-partner database (built once per addon version), P1-P7 side by side.
.PHONY: bench

bench:
	@bash dev/bench.sh

# Packaging and upgrades: the pip wheel installed beside Odoo; an upgrade from the previous version.
.PHONY: wheel-test upgrade-test

wheel-test:
	@bash dev/wheel_smoke.sh

upgrade-test:
	@bash dev/upgrade_test.sh
