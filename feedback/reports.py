"""Coordinator pages. Placeholder: built in the feedback issue."""

from django.http import Http404


def overview(request):
    raise Http404
