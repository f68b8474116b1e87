"""The first Jobcenter's scope, for benchmarks that measure its data.

Every query of a Jobcenter's model runs inside ``jobcenter_scope(...)``; the
benchmarks measure the first Jobcenter (host 127.0.0.1, the only one after
``seed_demo --first-only``). ``FIRST_JOBCENTER_SCOPE`` is prepended to code
run with ``manage.py shell -c`` (it stays in the scope until the process
ends); ``first_jobcenter_scope()`` is for code run after ``django.setup()``.
"""

from contextlib import contextmanager

FIRST_JOBCENTER_SCOPE = """\
from jobcenters.models import Jobcenter, Membership
from jobcenters.scoping import jobcenter_scope
jobcenter = Jobcenter.objects.order_by("pk").first()
first_scope = jobcenter_scope(jobcenter)  # kept: unreferenced, it would end
first_scope.__enter__()
"""


@contextmanager
def first_jobcenter_scope():
    """Enter the first Jobcenter's scope; yields the Jobcenter."""
    from jobcenters.models import Jobcenter
    from jobcenters.scoping import jobcenter_scope

    jobcenter = Jobcenter.objects.order_by("pk").first()
    with jobcenter_scope(jobcenter):
        yield jobcenter
