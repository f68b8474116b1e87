from django.urls import path

from reference.views import RowList

urlpatterns = [path("", RowList.as_view())]
