"""The planning app's admin: its extensions of the event admin and its own models."""

import events.admin  # noqa: F401  (EventAdmin is registered before it is extended)
from planning import admin_announcements

admin_announcements.attach()
