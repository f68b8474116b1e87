from planning import admin_panel  # noqa: F401  (the event form's panel, school holidays)
