from django.db import models


class Row(models.Model):
    """One row of the reference table (10,000 of them)."""

    title = models.CharField(max_length=200)
    start = models.DateTimeField(db_index=True)
    place = models.CharField(max_length=200)

    class Meta:
        app_label = "reference"
        ordering = ["start", "pk"]

    def __str__(self):
        return self.title
