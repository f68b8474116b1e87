"""A mail backend for tests across processes: one file per mail, a little slow.

Each message is written to a temporary name and renamed, so a process killed
while writing leaves no half mail to count. ALERTS_MAIL_DIR names the folder,
ALERTS_MAIL_DELAY the seconds each mail takes (to kill a worker mid-batch).
"""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class SlowFileBackend(BaseEmailBackend):
    def send_messages(self, messages):
        folder = Path(os.environ["ALERTS_MAIL_DIR"])
        delay = float(os.environ.get("ALERTS_MAIL_DELAY", "0"))
        for message in messages:
            time.sleep(delay)
            name = f"{time.time_ns()}-{uuid.uuid4().hex}"
            partial = folder / f".{name}.tmp"
            partial.write_bytes(message.message().as_bytes())
            partial.rename(folder / f"{name}.eml")
        return len(messages)
