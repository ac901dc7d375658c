# Everyday commands. The first two are all a new machine needs.
.PHONY: run test install install-test demo serve bench lint format messages

run: install demo serve          ## install, build the demo world and serve it on :8000

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

serve:
	.venv/bin/python manage.py runserver 127.0.0.1:8000

bench: install
	.venv/bin/python bench/pages.py

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

messages:                         ## refresh the French and Arabic catalogues after changing strings
	.venv/bin/python manage.py makemessages -l fr -l ar --ignore=.venv --ignore=var --ignore=tests --ignore=bench -v0
