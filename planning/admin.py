"""The planning app's admin.

Passers-by counts: ``planning/admin_passersby.py`` (imported here so Django
registers it when it loads this module).
"""

from planning import admin_passersby  # noqa: F401
