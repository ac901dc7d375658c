"""``manage.py demo_world``: build (or bring up to date) the demo world and print its accounts.

Idempotent: every row is matched on a natural key and written only if it differs, so a second
run writes nothing. The world is built by a list of builder steps, each a plain function of the
app that owns the rows; they run in order inside one transaction and pass a shared ``world``
namespace along (options in, built objects out). Later apps append their builders to ``STEPS``.
"""

import logging
import time
from contextlib import contextmanager
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments import demo as assessments_demo
from assessments import survey_demo
from associations import demo as associations_demo
from renfort import demo as site_demo

STEPS = (
    *associations_demo.REGISTRY_BUILDERS,
    *site_demo.BUILDERS,
    *associations_demo.TRAINING_BUILDERS,
    *assessments_demo.BUILDERS,
    *survey_demo.BUILDERS,
)

# Loggers that narrate every page revision and background task; silenced below verbosity 2.
CHATTY_LOGGERS = ("wagtail", "django_tasks")


@contextmanager
def quiet_loggers(names, level=logging.WARNING):
    loggers = [logging.getLogger(name) for name in names]
    previous = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(max(level, logger.getEffectiveLevel()))
    try:
        yield
    finally:
        for logger, old_level in zip(loggers, previous, strict=True):
            logger.setLevel(old_level)


class Command(BaseCommand):
    help = (
        "Construit le monde de démonstration (territoires réels, services du Mono, associations "
        "de Moulay Yacoub, cohortes, comptes) ; peut être relancé sans rien dupliquer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--associations",
            type=int,
            default=50,
            help="Nombre d'associations de Moulay Yacoub (50 par défaut).",
        )
        parser.add_argument(
            "--agents",
            type=int,
            default=25,
            help="Nombre d'agents des services du Mono (25 par défaut).",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="Adresse du serveur dans les liens affichés (BASE_URL, sinon http://127.0.0.1:8000).",
        )
        parser.add_argument(
            "--quiet", action="store_true", help="N'affiche rien (ni étapes ni comptes)."
        )

    def handle(self, *args, associations, agents, quiet, **options):
        if associations < 1 or agents < 1:
            raise CommandError("--associations et --agents doivent valoir au moins 1.")
        world = SimpleNamespace(association_count=associations, agent_count=agents)
        started = time.perf_counter()
        lines = []
        chatty = () if options["verbosity"] >= 2 else CHATTY_LOGGERS
        with quiet_loggers(chatty), transaction.atomic():
            for step in STEPS:
                lines += step(world)
        elapsed = time.perf_counter() - started
        if quiet or options["verbosity"] < 1:
            return
        self._print_steps(lines, elapsed)
        self._print_accounts(world.accounts)
        self._print_addresses((options["base_url"] or settings.WAGTAILADMIN_BASE_URL).rstrip("/"))

    def _print_steps(self, lines, elapsed):
        out = self.stdout
        out.write(self.style.MIGRATE_HEADING("Monde de démonstration Renfort"))
        width = max(len(label) for label, *_ in lines)
        for label, total, created, updated in lines:
            detail = f"{created} créé(s), {updated} modifié(s)" if created or updated else "à jour"
            out.write(f"  {label.ljust(width)}  {total:>6}   {detail}")
        created = sum(line[2] for line in lines)
        updated = sum(line[3] for line in lines)
        if created or updated:
            summary = f"{created} ligne(s) créée(s), {updated} modifiée(s) en {elapsed:.1f} s."
        else:
            summary = f"Rien à faire : le monde était déjà à jour ({elapsed:.1f} s)."
        out.write(self.style.SUCCESS(summary))

    def _print_accounts(self, accounts):
        out = self.stdout
        header = ("Adresse e-mail", "Mot de passe", "Rôle", "Ce qu'il voit")
        widths = [max(len(row[i]) for row in (header, *accounts)) for i in range(3)]

        def row(cells):
            return "  " + "  ".join(
                [*(cell.ljust(width) for cell, width in zip(cells, widths, strict=False)), cells[3]]
            )

        out.write("")
        out.write(self.style.MIGRATE_HEADING("Comptes de démonstration"))
        out.write(self.style.MIGRATE_LABEL(row(header)))
        out.write("  " + "  ".join("-" * w for w in widths) + "  " + "-" * len(header[3]))
        for account in accounts:
            out.write(row(account))

    def _print_addresses(self, base_url):
        port = urlsplit(base_url).port or 8000
        out = self.stdout
        out.write("")
        out.write(f"Lancer le serveur : make serve PORT={port}  (make run le lance tout seul)")
        out.write(f"  Site            {base_url}/")
        out.write(f"  Mon espace      {base_url}/mon-espace/")
        out.write(f"  Administration  {base_url}/admin/")
