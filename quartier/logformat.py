"""Log lines as JSON objects, one per line, without personal data.

For a failed request (Django's ``django.request`` logger) the line names the
request id, method, path, view and status, and for an exception its class and
where it was raised. It never names the client's address, the query string,
form data, the user agent or the exception's message (a database error may
quote the values of a row).
"""

import json
import logging
import re
import traceback
from datetime import UTC, datetime
from pathlib import Path

from django.http import HttpRequest

from quartier.requestid import request_id

BASE_DIR = Path(__file__).resolve().parent.parent
LIBRARY = re.compile(r"^.*/lib/python3\.\d+/")
MAX_PATH_LENGTH = 200
MAX_FRAMES = 6


def error_name(error_type: type) -> str:
    return f"{error_type.__module__}.{error_type.__qualname__}"


def frames(error: BaseException) -> list[str]:
    """Where the error was raised: file, line and function, ours first.

    The last frames in Quartier's own code, then the innermost frame (often in
    Django or a library); no values, no message.
    """
    stack = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in stack if is_ours(frame.filename)][-MAX_FRAMES:]
    if stack and (not ours or ours[-1] is not stack[-1]):
        ours.append(stack[-1])
    return [
        f"{short_file(frame.filename)}:{frame.lineno}:{frame.name}" for frame in ours
    ]


def is_ours(filename: str) -> bool:
    return filename.startswith(str(BASE_DIR)) and "-packages/" not in filename


def short_file(filename: str) -> str:
    """The path below the project or below site-packages or the standard library."""
    if "-packages/" in filename:
        return filename.rsplit("-packages/", 1)[1]
    if filename.startswith(str(BASE_DIR)):
        return str(Path(filename).relative_to(BASE_DIR))
    return LIBRARY.sub("", filename)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
        }
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            entry.update(request_fields(request))
            entry["status"] = getattr(record, "status_code", None)
            # django.request says only "<reason>: <path>"; the security loggers
            # say what was refused (e.g. the CSRF reason), which names no one.
            if record.name.startswith("django.security."):
                entry["message"] = record.getMessage()
        else:
            entry["message"] = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            entry["error"] = error_name(record.exc_info[0])
            entry["where"] = frames(record.exc_info[1])
        return json.dumps(entry, ensure_ascii=False)


def request_fields(request: HttpRequest) -> dict:
    """What a log line may say about a request: nothing that names a person."""
    match = request.resolver_match
    return {
        "request_id": request_id(request),
        "method": request.method,
        # request.path carries no query string.
        "path": request.path[:MAX_PATH_LENGTH],
        "view": match.view_name if match else None,
    }
