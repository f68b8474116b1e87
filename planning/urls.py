from django.urls import path

from planning import team

app_name = "planning"

urlpatterns = [
    # Staff on site, beside the contact count (feedback's /team/).
    path("team/passanten/", team.passers_by, name="passers_by"),
]
