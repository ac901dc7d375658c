"""Production settings: refuse to start without a secret, pass Django's deployment checks."""

import os
import subprocess
import sys


def run_with_production_settings(*args, **env):
    environment = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="renfort.settings.production", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], capture_output=True, text=True, env=environment
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_with_production_settings("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_passes_the_deployment_checks_without_a_warning():
    result = run_with_production_settings(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x" * 20 + "-Zq9!long-random-key-for-check",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
