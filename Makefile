# Development entry points; the scripts live in dev/.
.PHONY: run test shell lint clean check-run screenshots

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

clean:
	rm -rf .run .venv
