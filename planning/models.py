"""What planning rests on: past dates, counted passers-by, announcements, school holidays.

``PastDate`` holds a date held before Quartier (imported from a spreadsheet);
dates held with Quartier count their contacts in ``feedback.ContactCount``.
``planning.history`` reads both as one list of observations.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import Event, Location
from jobcenters.models import Jobcenter, JobcenterOwned
from jobcenters.scoping import scoped_manager


class PastDate(JobcenterOwned):
    """One outreach date held before, with the contacts counted there."""

    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        related_name="past_dates",
        verbose_name=_("location"),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    contacts = models.PositiveIntegerField(_("contacts"))
    passers_by = models.PositiveIntegerField(
        _("passers-by"),
        null=True,
        blank=True,
        help_text=_("People who walked past during the date, where they were counted."),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("The file the row came from."),
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["-start", "pk"]
        verbose_name = _("past date")
        verbose_name_plural = _("past dates")
        constraints = [
            # Importing the same file twice creates nothing twice.
            models.UniqueConstraint(
                fields=["jobcenter", "location", "start"],
                name="pastdate_once_per_location_start",
                violation_error_message=_(
                    "There is already a past date at this place and time."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="pastdate_end_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
        ]
        indexes = [
            models.Index(fields=["jobcenter", "start"], name="pastdate_jc_start")
        ]

    def __str__(self) -> str:
        return f"{self.location} {self.start:%d.%m.%Y}"


class PassersByCount(JobcenterOwned):
    """People walking past a location in (part of) one hour of one day."""

    class Source(models.TextChoices):
        ON_SITE = "on_site", _("counted on site")
        COUNTER = "counter", _("pedestrian counter")

    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        related_name="passers_by_counts",
        verbose_name=_("location"),
    )
    date = models.DateField(_("date"))
    hour = models.PositiveSmallIntegerField(
        _("hour"), help_text=_("0 to 23, local time.")
    )
    minutes = models.PositiveSmallIntegerField(
        _("minutes counted"),
        default=60,
        help_text=_("15 for a quarter-hour count on site, 60 for a whole hour."),
    )
    count = models.PositiveIntegerField(_("passers-by"))
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ON_SITE
    )
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counted by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["-date", "-hour", "pk"]
        verbose_name = _("passers-by count")
        verbose_name_plural = _("passers-by counts")
        constraints = [
            models.CheckConstraint(
                condition=Q(hour__lte=23),
                name="passersby_hour_of_day",
                violation_error_message=_("The hour runs from 0 to 23."),
            ),
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=60),
                name="passersby_minutes_within_hour",
                violation_error_message=_("Count between 1 and 60 minutes."),
            ),
            # A counter's file imported twice counts each hour once.
            models.UniqueConstraint(
                fields=["jobcenter", "location", "date", "hour"],
                condition=Q(source="counter"),
                name="passersby_counter_hour_once",
                violation_error_message=_(
                    "The counter's figure for this hour is already stored."
                ),
            ),
        ]
        indexes = [
            models.Index(
                fields=["jobcenter", "location", "date"], name="passersby_jc_loc_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.location} {self.date:%d.%m.%Y} {self.hour}:00 {self.count}"

    @property
    def per_hour(self) -> float:
        return self.count * 60 / self.minutes


class Announcement(JobcenterOwned):
    """One way a date is made known: planned, then done."""

    class Channel(models.TextChoices):
        POSTER = "poster", _("posters")
        PARTNER = "partner", _("partners told")
        LETTER = "letter", _("letters or messages to clients")
        SOCIAL_MEDIA = "social_media", _("social media")
        PRESS = "press", _("press")
        WEBSITE = "website", _("website")
        EMAIL_ALERTS = "email_alerts", _("e-mail alerts")
        OTHER = "other", _("other")

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="announcements",
        verbose_name=_("event"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    planned_for = models.DateField(_("planned for"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    quantity = models.PositiveIntegerField(
        _("how many"), null=True, blank=True, help_text=_("E.g. the number of posters.")
    )
    details = models.CharField(
        _("where or to whom"),
        max_length=300,
        blank=True,
        help_text=_(
            "E.g. supermarket Oststadt, library; Quartiersbüro, parents' council."
        ),
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )

    objects = scoped_manager()

    class Meta:
        ordering = ["planned_for", "pk"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        indexes = [
            models.Index(fields=["event", "channel"], name="announcement_event_channel")
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.planned_for:%d.%m.%Y}"


class SchoolHoliday(models.Model):
    """School holidays of a state: shared by every Jobcenter in it, shipped and editable."""

    state = models.CharField(_("state"), max_length=2, choices=Jobcenter.State.choices)
    name = models.CharField(_("name"), max_length=100)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))

    class Meta:
        ordering = ["state", "first_day"]
        verbose_name = _("school holidays")
        verbose_name_plural = _("school holidays")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")),
                name="schoolholiday_last_after_first",
                violation_error_message=_("The last day cannot be before the first."),
            ),
            models.UniqueConstraint(
                fields=["state", "first_day"],
                name="schoolholiday_once_per_state_start",
                violation_error_message=_("These holidays are already listed."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.first_day:%d.%m.}–{self.last_day:%d.%m.%Y}"


class EstimatorFit(JobcenterOwned):
    """The expected-contacts model fitted to one Jobcenter's history.

    Refitted in the background when the history changes (``data_version``
    names the history it was fitted to); an estimate reads it, never fits.
    """

    data_version = models.CharField(_("data version"), max_length=64)
    fitted_at = models.DateTimeField(_("fitted at"))
    observations = models.PositiveIntegerField(_("dates used"))
    params = models.JSONField(_("parameters"), default=dict)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("fitted estimate model")
        verbose_name_plural = _("fitted estimate models")
        constraints = [
            models.UniqueConstraint(
                fields=["jobcenter"], name="estimatorfit_one_per_jobcenter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.jobcenter} {self.fitted_at:%d.%m.%Y %H:%M}"
