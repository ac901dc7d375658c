"""Production settings: refuse to start without a secret, pass Django's deployment checks."""

import os
import subprocess
import sys


def run_with_production_settings(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "CACHE_URL"}
        and k != "RENFORT_ALLOW_PER_PROCESS_CACHE"
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
        CACHE_URL="redis://127.0.0.1:6379/11",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_shared_cache():
    result = run_with_production_settings("check", SECRET_KEY="k" * 50)
    assert result.returncode != 0
    assert "CACHE_URL must point to a shared cache" in result.stderr


def test_production_without_a_shared_cache_says_so_loudly_when_told_to_start():
    result = run_with_production_settings(
        "check", SECRET_KEY="k" * 50, RENFORT_ALLOW_PER_PROCESS_CACHE="1"
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING: RENFORT_ALLOW_PER_PROCESS_CACHE is set" in result.stderr
    assert "Whole pages are not kept" in result.stderr


def test_production_reads_the_trusted_proxies_from_the_environment():
    result = run_with_production_settings(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)",
        SECRET_KEY="k" * 50,
        CACHE_URL="redis://127.0.0.1:6379/11",
        ALLAUTH_TRUSTED_PROXY_COUNT="2",
    )
    assert result.stdout.strip().splitlines()[-1].split() == ["2", "None"], result.stderr


def test_production_shares_sessions_and_pages_through_redis_and_keeps_connections():
    result = run_with_production_settings(
        "shell",
        "-c",
        "from django.conf import settings; from django.core.cache import cache; "
        "cache.set('renfort-test-settings', 41); "
        "client = cache._cache.get_client(); "
        "print(cache.get('renfort-test-settings') + 1, client is cache._cache.get_client(), "
        "settings.SESSION_ENGINE, settings.DATABASES['default']['CONN_MAX_AGE'], "
        "settings.DATABASES['default']['CONN_HEALTH_CHECKS'], "
        "settings.RENFORT_PAGE_CACHE_SECONDS); "
        "cache.delete('renfort-test-settings')",
        SECRET_KEY="k" * 50,
        CACHE_URL="redis://127.0.0.1:6379/11",
    )
    assert result.stdout.strip().splitlines()[-1].split() == [
        "42",
        "True",
        "django.contrib.sessions.backends.cached_db",
        "60",
        "True",
        "600",
    ], result.stderr
