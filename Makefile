# Everyday commands. The first two are all a new machine needs.
.PHONY: run dev test install install-test demo serve port-free bench lint format messages

# `make run PORT=8001` serves elsewhere; the demo's printed addresses follow (BASE_URL).
PORT ?= 8000
BASE_URL ?= http://127.0.0.1:$(PORT)
export BASE_URL

run: port-free install demo serve  ## install, build the demo world, serve it as users see it (DEBUG off)

dev: port-free install demo      ## the same with DEBUG on: Django's debug pages, for developers
	.venv/bin/python manage.py runserver 127.0.0.1:$(PORT)

test: install-test               ## install what the tests need and run the whole suite
	scripts/test.sh

install:
	scripts/install.sh
	.venv/bin/python manage.py migrate --noinput -v0
	.venv/bin/python manage.py compilemessages --ignore=.venv --ignore=var -v0
	.venv/bin/python manage.py collectstatic --noinput -v0

install-test:
	scripts/install.sh --test

demo:
	.venv/bin/python manage.py demo_world

serve: port-free
	DJANGO_SETTINGS_MODULE=renfort.settings.demo .venv/bin/python manage.py runserver 127.0.0.1:$(PORT)

port-free:                       ## a clear message, not a traceback, when PORT is taken
	@python3 scripts/port_free.py $(PORT)

bench: install
	.venv/bin/python bench/pages.py

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

messages:                         ## refresh the French and Arabic catalogues after changing strings
	.venv/bin/python manage.py makemessages -l fr -l ar --ignore=.venv --ignore=.venv-tools --ignore=var --ignore=tests --ignore=bench -v0
	for po in $$(git ls-files '*/locale/*.po'); do msgattrib --no-obsolete -o $$po $$po; done
