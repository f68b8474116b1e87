"""Change reasons: stored as English source strings, translated when shown.

A reason is kept as written (``"Published"``), so the history does not depend
on the language of the person who made the change; ``label()`` shows it in the
reader's language.
"""

from django.utils.translation import gettext, gettext_noop

PASSWORD_CHANGED = gettext_noop("Password changed")


def add_reason(history_instance, reason: str) -> None:
    current = history_instance.history_change_reason
    history_instance.history_change_reason = (
        f"{current}; {reason}" if current else reason
    )


def label(reason: str | None) -> str:
    """The reason in the active language (each part, if there are several)."""
    if not reason:
        return ""
    return "; ".join(gettext(part) for part in reason.split("; "))
