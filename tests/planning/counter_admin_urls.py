"""The project's URLs with the admin's patterns read anew (PEP 562).

Until the PassersByCount admin (another part of the planning work) is on
this branch, ``tests/planning/test_imports_admin.py`` registers a stand-in
with the counter import and points ROOT_URLCONF here, so the admin's URL
patterns include it.
"""

from django.contrib import admin
from django.urls import path

from quartier import urls as project


def __getattr__(name):
    if name != "urlpatterns":
        raise AttributeError(name)
    return [
        path("admin/", admin.site.urls)
        if getattr(entry, "app_name", None) == "admin"
        else entry
        for entry in project.urlpatterns
    ]
