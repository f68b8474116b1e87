"""The staff roles, as Django groups, and where their permissions come from.

Each app lists in its AppConfig which of its permissions a role needs
(``role_permissions``); ``setup_roles`` collects them, so no app has to know
the others' models.
"""

STAFF = "Mitarbeitende"
COORDINATION = "Koordination"
ROLES = (STAFF, COORDINATION)


def crud(model: str) -> list[str]:
    return [f"{action}_{model}" for action in ("add", "change", "delete", "view")]
