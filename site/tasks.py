import os
import socket

from celery import shared_task


@shared_task
def worker_identity():
    """Say which process ran the task: lets an operator (and a test) check that workers answer."""
    return {"host": socket.gethostname(), "pid": os.getpid()}
