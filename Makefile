# Satu Pintu: `make demo` sets up and serves the demo on SQLite; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOUSEHOLDS ?= 2000
WORKERS ?= 3
STAMP := $(VENV)/.installed

.PHONY: install demo test lint messages bench bench-small clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements.lock -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

var/demo-secret-key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# The demo runs with production settings except HTTPS (it is served on plain http://127.0.0.1); its
# texts go to var/notifications.log and every scheduled job runs each minute.
DEMO_ENV = DEBUG=0 HTTPS=0 ALLOWED_HOSTS=127.0.0.1,localhost SECRET_KEY="$$(cat var/demo-secret-key)" \
	SATUPINTU_NOTIFY_FILE="$(CURDIR)/var/notifications.log" SCHEDULE_MAX_MINUTES=1

demo: install var/demo-secret-key
	$(DEMO_ENV) $(BIN)/satupintu create-signing-key
	$(DEMO_ENV) $(BIN)/satupintu migrate --no-input -v0
	$(DEMO_ENV) $(BIN)/satupintu createcachetable
	$(DEMO_ENV) $(BIN)/satupintu collectstatic --no-input -v0
	$(DEMO_ENV) $(BIN)/satupintu demo-setup --households $(HOUSEHOLDS)
	@echo "Satu Pintu: http://127.0.0.1:$(PORT)/ (texts sent: var/notifications.log)"
	$(DEMO_ENV) exec $(BIN)/satupintu serve --bind 127.0.0.1:$(PORT) --workers $(WORKERS)

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

messages: install
	cd satupintu && DEBUG=1 ../$(BIN)/satupintu makemessages -l en --no-obsolete && DEBUG=1 ../$(BIN)/satupintu compilemessages -l en

clean:
	rm -rf $(VENV) var

# Benchmarks (docs/imports.md): each prints its figures and the baseline measured in the same run.
# They WIPE the registry of their own database (default sqlite:////tmp/satupintu-bench.sqlite3);
# for the full-size figures use PostgreSQL: BENCH_DATABASE_URL=postgres://…/satupintu_bench make bench
bench-small: install
	$(BIN)/python -m bench.import_bench --small
	$(BIN)/python -m bench.dedup_bench --small --no-splink
	$(BIN)/python -m bench.eligibility_bench --small
	$(BIN)/python -m bench.web_bench --small --database-url sqlite:////tmp/satupintu-web-bench.sqlite3

bench: install
	$(BIN)/python -m pip install -q -e ".[bench]"
	$(BIN)/python -m bench.import_bench --size 1000000
	$(BIN)/python -m bench.load_floor --size 1000000
	$(BIN)/python -m bench.dedup_bench --size 1000000
	$(BIN)/python -m bench.web_bench
	$(BIN)/python -m bench.eligibility_bench --size 300000
