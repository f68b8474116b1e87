"""Calendar (.ics) and Atom feeds. Placeholder: built in the public-pages issue."""

from django.http import Http404


def event_ics(request, slug):
    raise Http404


def calendar_all(request):
    raise Http404


def calendar_district(request, slug):
    raise Http404


def calendar_category(request, category):
    raise Http404


def atom(request):
    raise Http404
