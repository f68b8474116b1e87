"""Printable poster. Placeholder: built in the public-pages issue."""

from django.http import Http404


def poster(request, slug):
    raise Http404
