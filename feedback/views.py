"""Visitor feedback. Placeholder: built in the feedback issue."""

from django.http import Http404


def feedback_form(request, code):
    raise Http404


def thanks(request, code):
    raise Http404
