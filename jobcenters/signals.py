"""Signals other apps listen to (jobcenters imports no other app of ours)."""

from django.dispatch import Signal

# Sent by jobcenters.services.create_jobcenter with ``jobcenter``, inside its
# transaction and in the new Jobcenter's scope: apps fill in what a new
# Jobcenter starts with (events: the default target groups).
jobcenter_created = Signal()
