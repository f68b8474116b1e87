"""Events (dates at a location) and their former addresses."""

from datetime import datetime, timedelta
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from parler.managers import TranslatableQuerySet

from events.images import CleanImageField, srcset
from events.models.base import (
    SOURCE_LANGUAGE,
    TranslatedModel,
    new_short_code,
    translated_fields,
    validate_language_codes,
)
from events.models.places import Location
from events.models.services import ServiceOffering, TargetGroup
from jobcenters.models import JobcenterOwned
from jobcenters.scoping import scoped_manager


def text_lookups() -> list:
    """What with_texts() prefetches, for prefetch_related_objects() too."""
    return [
        "translations",
        "location__translations",
        Prefetch(
            "services",
            queryset=ServiceOffering.objects.by_title().prefetch_related(
                "translations"
            ),
        ),
    ]


class EventQuerySet(TranslatableQuerySet):
    def published(self) -> Self:
        return self.filter(status=Event.Status.PUBLISHED)

    def public(self) -> Self:
        """Events a citizen may see: published ones, and cancelled ones as cancelled."""
        return self.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])

    def visible_to(self, user) -> Self:
        """Public events; for staff who may view events, drafts too (a preview)."""
        return self.all() if user.has_perm("events.view_event") else self.public()

    def not_cancelled(self) -> Self:
        return self.exclude(status=Event.Status.CANCELLED)

    def upcoming(self, now: datetime | None = None) -> Self:
        return self.filter(end__gte=now or timezone.now())

    def past(self, now: datetime | None = None) -> Self:
        return self.filter(end__lt=now or timezone.now())

    def overlapping(self, *, location, start: datetime, end: datetime) -> Self:
        return self.filter(location=location, start__lt=end, end__gt=start)

    def with_texts(self) -> Self:
        """With the texts of each event, its place and its services, in every
        language: three queries and one for the services, not one per row."""
        return self.prefetch_related(*text_lookups())

    def feedback_open(self, now: datetime | None = None) -> Self:
        """Published events whose feedback window is open now."""
        now = now or timezone.now()
        window = timedelta(days=settings.FEEDBACK_OPEN_DAYS)
        return self.published().filter(start__lte=now, end__gte=now - window)


class Event(JobcenterOwned, TranslatedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", _("cancelled")

    translations = translated_fields(
        title=models.CharField(_("title"), max_length=200),
        motto=models.CharField(_("motto"), max_length=200, blank=True),
        description=models.TextField(_("description"), blank=True),
        photo_alt=models.CharField(
            _("photo description"),
            max_length=250,
            blank=True,
            help_text=_("What the photo shows, for people who cannot see it."),
        ),
        photo_credit=models.CharField(_("photo credit"), max_length=200, blank=True),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=220,
        blank=True,
        help_text=_(
            "Part of the event's address. Made from the title if left empty. "
            "If you change it later, the old address keeps working."
        ),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("location"),
    )
    start = models.DateTimeField(_("start"), null=True, blank=True)
    end = models.DateTimeField(_("end"), null=True, blank=True)
    services = models.ManyToManyField(
        ServiceOffering, blank=True, related_name="events", verbose_name=_("services")
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="events", verbose_name=_("target groups")
    )
    languages = models.JSONField(
        _("languages spoken at the stand"),
        default=list,
        blank=True,
        validators=[validate_language_codes],
    )
    photo = CleanImageField(
        _("photo"),
        upload_to="events/%Y/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        help_text=_("JPEG, PNG or WebP. Location data and other metadata are removed."),
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    responsible = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="responsible_events",
        verbose_name=_("staff responsible"),
    )
    short_code = models.CharField(
        _("short code"),
        max_length=12,
        unique=True,
        default=new_short_code,
        editable=False,
        help_text=_("For the short link to the feedback form (/f/<code>/)."),
    )
    sequence = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Counts changes, so calendar apps update their copy."),
    )
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager(EventQuerySet)

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            # Led by the Jobcenter: one Jobcenter's pages cost the same
            # whatever the others hold.
            models.Index(
                fields=["jobcenter", "status", "start"], name="event_jc_status_start"
            ),
            # With the start: the list's count of upcoming dates (which also
            # bounds the start, see selectors.upcoming_events) reads the index
            # alone.
            models.Index(
                fields=["jobcenter", "status", "end", "start"],
                name="event_jc_status_end_start",
            ),
            # With the id: the newest first without sorting equal dates.
            models.Index(
                fields=["jobcenter", "published_at", "id"],
                name="event_jc_published_id",
            ),
            # In date order without a status: the staff's list of events, and
            # the first page of upcoming or past dates walked in order instead
            # of sorting all of the Jobcenter's events (docs/scaling.md).
            models.Index(fields=["jobcenter", "start", "id"], name="event_jc_start"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["jobcenter", "slug"],
                name="event_slug_unique_per_jobcenter",
                violation_error_message=_("There is already an event with this slug."),
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True)
                | Q(end__isnull=True)
                | Q(end__gt=F("start")),
                name="event_end_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(location__isnull=False, start__isnull=False, end__isnull=False),
                name="event_public_needs_place_and_time",
                violation_error_message=_(
                    "A published or cancelled event needs a location, a start and an end."
                ),
            ),
        ]

    def __str__(self) -> str:
        title = self.safe_translation_getter("title", any_language=True) or ""
        if self.start:
            local = timezone.localtime(self.start)
            return f"{title} ({local:%d.%m.%Y})"
        return title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        if self._state.adding:
            while Event.objects.filter(short_code=self.short_code).exists():
                self.short_code = new_short_code()
        if self.pk:
            previous = Event.objects.filter(pk=self.pk).values("slug", "status").first()
            if previous and previous["slug"] != self.slug:
                EventSlugRedirect.objects.update_or_create(
                    old_slug=previous["slug"], defaults={"event_id": self.pk}
                )
                EventSlugRedirect.objects.filter(old_slug=self.slug).delete()
            if previous:
                # In the database, so two editors saving at once both count.
                self.sequence = F("sequence") + 1
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)
        if hasattr(self.sequence, "resolve_expression"):
            self.refresh_from_db(fields=["sequence"])

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if self.photo and not self.photo_alt:
            raise ValidationError(
                {"photo_alt": _("Describe the photo for people who cannot see it.")}
            )
        if (
            self.status != self.Status.CANCELLED
            and self.location_id
            and self.start
            and self.end
            and self.end > self.start
        ):
            clash = (
                Event.objects.not_cancelled()
                .overlapping(location=self.location_id, start=self.start, end=self.end)
                .exclude(pk=self.pk)
                .order_by("start")
                .first()
            )
            if clash:
                local = timezone.localtime(clash.start)
                raise ValidationError(
                    _(
                        "This location is already booked at that time: "
                        "“%(title)s” on %(date)s at %(time)s."
                    )
                    % {
                        "title": clash.title,
                        "date": local.strftime("%d.%m.%Y"),
                        "time": local.strftime("%H:%M"),
                    },
                    code="overlap",
                )

    def _unique_slug(self) -> str:
        # From the German title: the address stays the same in every language.
        title = self.safe_translation_getter(
            "title", language_code=SOURCE_LANGUAGE, any_language=True
        )
        base = slugify(title or "")[:200] or "veranstaltung"
        if self.start:
            base = f"{base}-{timezone.localtime(self.start):%Y-%m-%d}"
        slug, n = base, 2
        taken = Event.objects.exclude(pk=self.pk)
        while (
            taken.filter(slug=slug).exists()
            or EventSlugRedirect.objects.filter(old_slug=slug).exists()
        ):
            slug, n = f"{base}-{n}", n + 1
        return slug

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    @property
    def is_public(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.CANCELLED)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def has_started(self, now: datetime | None = None) -> bool:
        return bool(self.start) and self.start <= (now or timezone.now())

    def is_past(self, now: datetime | None = None) -> bool:
        return bool(self.end) and self.end < (now or timezone.now())

    def feedback_open(self, now: datetime | None = None) -> bool:
        """Whether visitors may give feedback now (from the start for some days)."""
        now = now or timezone.now()
        if self.status != self.Status.PUBLISHED or not self.start or not self.end:
            return False
        closes = self.end + timedelta(days=settings.FEEDBACK_OPEN_DAYS)
        return self.start <= now <= closes

    @property
    def photo_srcset(self) -> str:
        return srcset(self.photo, self.photo_width)


class EventSlugRedirect(JobcenterOwned):
    """A former slug of an event: its old address redirects to the current one."""

    old_slug = models.SlugField(_("old slug"), max_length=220)
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="slug_redirects",
        verbose_name=_("event"),
    )

    objects = scoped_manager()

    class Meta:
        verbose_name = _("former address")
        verbose_name_plural = _("former addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["jobcenter", "old_slug"],
                name="slug_redirect_unique_per_jobcenter",
            ),
        ]

    def __str__(self) -> str:
        return self.old_slug
