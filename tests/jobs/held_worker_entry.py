"""`celery -A held_worker_entry worker`: the real application, with e-mails held at the door.

While the file named by CONVENTIO_TEST_HOLD exists, a job about to talk to the SMTP server
notes its process id (in-send-PID beside that file) and waits: the test kills it there.
"""
import os
import time
from pathlib import Path

from workflows.jobs import notifications
from workflows.jobs.entry import app  # noqa: F401  (what celery -A looks for)

HOLD = Path(os.environ["CONVENTIO_TEST_HOLD"])
real_send_mail = notifications.send_mail


def held_send_mail(*args, **kwargs):
    (HOLD.parent / f"in-send-{os.getpid()}").touch()
    while HOLD.exists():
        time.sleep(0.02)
    return real_send_mail(*args, **kwargs)


notifications.send_mail = held_send_mail
