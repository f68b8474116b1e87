"""Staff pages on site. Placeholder: built in the feedback issue."""

from django.http import Http404


def index(request):
    raise Http404
