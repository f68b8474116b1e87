from django.views.generic import ListView

from reference.models import Row


class RowList(ListView):
    """A plain ListView: 20 rows a page (a count and one SELECT)."""

    model = Row
    paginate_by = 20
