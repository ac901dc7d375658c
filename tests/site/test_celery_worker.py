"""Celery end to end, no mocks: a real worker process answers a task sent through Redis, and
without a broker (the default test settings) the same task runs in the calling process.

Neither test touches the database (``worker_identity`` only reports its host and pid), so no
test here asks for pytest-django's ``db`` fixture or ``django_db`` mark; pytest-django only
has to have configured Django, which it does for the whole session.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery.exceptions import TimeoutError as CeleryTimeoutError
from kombu import pools as kombu_pools

from renfort import celery_app
from renfort.tasks import worker_identity

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CELERY_BIN = Path(sys.executable).with_name("celery")
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# A database number of its own, so the test's queue keys never mix with anyone else's data.
REDIS_DB = 13
BROKER_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"
RESULT_TIMEOUT = 30


def _redis_answers():
    try:
        client = redis.Redis(
            host=REDIS_HOST, port=REDIS_PORT, socket_connect_timeout=1, socket_timeout=1
        )
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError:
        return False


def _drop_cached_connections(app):
    """Forget the app's producer pool and result backend so the next call builds them from the
    current configuration (the app may have cached them under the previous one)."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    # The producer pools live in kombu's registry, keyed by connection: closing one there and
    # leaving it registered would hand the closed pool to the next task sent (eager mode
    # included). Close and forget them all.
    kombu_pools.reset()
    backend = app._backend
    if backend is not None:
        consumer = getattr(backend, "result_consumer", None)
        if consumer is not None and getattr(consumer, "_pubsub", None) is not None:
            consumer.stop()
    app._backend_cache = None
    if hasattr(app._local, "backend"):
        del app._local.backend


@pytest.fixture
def queue_name():
    return f"renfort-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def celery_worker_process(queue_name, tmp_path):
    """A ``celery worker`` subprocess consuming only ``queue_name`` on the test Redis database;
    terminated (and its queue keys removed) whatever the test's outcome."""
    if not _redis_answers():
        pytest.skip(f"Redis does not answer on {REDIS_HOST}:{REDIS_PORT}")
    env = {
        **os.environ,
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_RESULT_BACKEND": BROKER_URL,
        "DJANGO_SETTINGS_MODULE": "renfort.settings.test",
    }
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log:
        worker = subprocess.Popen(
            [
                str(CELERY_BIN),
                "-A",
                "renfort",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                queue_name,
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "-l",
                "warning",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    worker.log_path = log_path
    try:
        yield worker
    finally:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=5)
        client = redis.Redis.from_url(BROKER_URL)
        try:
            # The queue list and kombu's binding keys all carry the (unique) queue name.
            leftovers = list(client.scan_iter(match=f"*{queue_name}*"))
            if leftovers:
                client.delete(*leftovers)
        finally:
            client.close()


@pytest.fixture
def celery_app_on_broker():
    """Point the project's Celery app at the test Redis, not eager; restore it afterwards."""
    saved = {
        key: celery_app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")
    }
    _drop_cached_connections(celery_app)
    celery_app.conf.update(
        broker_url=BROKER_URL, result_backend=BROKER_URL, task_always_eager=False
    )
    try:
        yield celery_app
    finally:
        _drop_cached_connections(celery_app)
        celery_app.conf.update(saved)


def _worker_output(worker):
    return worker.log_path.read_text(errors="replace")[-4000:]


def test_a_worker_process_runs_the_task(celery_worker_process, celery_app_on_broker, queue_name):
    worker = celery_worker_process
    result = worker_identity.apply_async(queue=queue_name)
    deadline = time.monotonic() + RESULT_TIMEOUT
    answer = None
    try:
        while answer is None:
            if worker.poll() is not None:
                pytest.fail(
                    f"the worker exited with {worker.returncode}:\n{_worker_output(worker)}"
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"no answer from the worker within {RESULT_TIMEOUT} s:\n"
                    f"{_worker_output(worker)}"
                )
            try:
                answer = result.get(timeout=1)
            except CeleryTimeoutError:
                continue
    finally:
        result.forget()

    assert set(answer) == {"host", "pid"}
    assert answer["pid"] != os.getpid()
    # The solo pool runs tasks in the worker's main process: the one this test started.
    assert answer["pid"] == worker.pid


@pytest.mark.skipif(
    bool(os.environ.get("CELERY_BROKER_URL")),
    reason="CELERY_BROKER_URL is set in the environment: the settings are not the default",
)
def test_without_a_broker_tasks_run_in_process():
    assert celery_app.conf.task_always_eager is True
    answer = worker_identity.delay().get(timeout=5)
    assert answer["pid"] == os.getpid()
