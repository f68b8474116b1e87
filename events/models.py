import secrets
from datetime import datetime, timedelta
from typing import Self
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from events.images import CleanImageField, srcset
from events.languages import STAND_LANGUAGE_CODES, language_choices
from events.richtext import render as render_rich_text
from events.richtext import sanitize as sanitize_rich_text

# Without look-alikes (0/O, 1/l/I), so a code read off a poster is typed right.
SHORT_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
SHORT_CODE_LENGTH = 6


def new_short_code() -> str:
    return "".join(
        secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH)
    )


def validate_language_codes(value) -> None:
    if not isinstance(value, list) or any(
        code not in STAND_LANGUAGE_CODES for code in value
    ):
        raise ValidationError(
            _("Choose languages from the list."), code="invalid_language"
        )


class ArchivableQuerySet(models.QuerySet):
    def active(self) -> Self:
        """Rows offered for new choices: everything not archived."""
        return self.filter(archived=False)

    def active_or(self, pks) -> Self:
        """Active rows, and those given by pk (already chosen: a form keeps them)."""
        return self.filter(Q(archived=False) | Q(pk__in=pks))


def archived_field():
    return models.BooleanField(
        _("archived"),
        default=False,
        help_text=_(
            "Archived entries are no longer offered for new events, feedback or "
            "counts; what refers to them keeps them, in history and summaries."
        ),
    )


class District(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("Used in addresses such as /?bezirk=oststadt. Never change it."),
    )
    archived = archived_field()

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    class FootTraffic(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")

    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(
        _("postcode"),
        max_length=5,
        validators=[
            RegexValidator(r"^\d{5}$", _("A German postcode has five digits."))
        ],
    )
    city = models.CharField(_("city"), max_length=100, default="Pforzheim")
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="locations",
        verbose_name=_("district"),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    step_free = models.BooleanField(
        _("step-free access"), default=False, help_text=_("Reachable without steps.")
    )
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    accessibility_notes = models.TextField(
        _("accessibility notes"),
        blank=True,
        help_text=_("E.g. ramp at the side entrance, quiet room, seating."),
    )
    foot_traffic = models.CharField(
        _("expected foot traffic"),
        max_length=10,
        choices=FootTraffic.choices,
        default=FootTraffic.MEDIUM,
        help_text=_("How many people pass by on a normal weekday."),
    )
    archived = archived_field()

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "street", "postcode"], name="location_unique_address"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="location_coordinates_valid",
                violation_error_message=_(
                    "Give both coordinates (latitude −90…90, longitude −180…180) or none."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.street}"

    @property
    def address_line(self) -> str:
        return f"{self.street}, {self.postcode} {self.city}"

    @property
    def map_url(self) -> str:
        """A plain link to OpenStreetMap: no embedded map, no third-party request."""
        if self.latitude is not None and self.longitude is not None:
            lat, lon = self.latitude, self.longitude
            return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"
        query = urlencode({"query": f"{self.street}, {self.postcode} {self.city}"})
        return f"https://www.openstreetmap.org/search?{query}"


class TargetGroup(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    archived = archived_field()

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.name


class ServiceOffering(models.Model):
    class Category(models.TextChoices):
        # The values appear in public addresses (?angebot=, /kalender/angebot/…).
        CAREER_DEVELOPMENT = "berufliche-entwicklung", _("career development")
        INTEGRATION_NETWORKS = "integration", _("integration networks")
        CHILDCARE = "kinderbetreuung", _("childcare")
        EQUAL_OPPORTUNITY = "chancengleichheit", _("equal opportunity")

    category = models.CharField(
        _("category"), max_length=40, choices=Category.choices, db_index=True
    )
    title = models.CharField(_("title"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    target_groups = models.ManyToManyField(
        TargetGroup,
        blank=True,
        related_name="services",
        verbose_name=_("target groups served"),
    )
    archived = archived_field()

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["category", "title"]
        verbose_name = _("service offering")
        verbose_name_plural = _("service offerings")

    def __str__(self) -> str:
        return self.title


class EventQuerySet(models.QuerySet):
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

    def feedback_open(self, now: datetime | None = None) -> Self:
        """Published events whose feedback window is open now."""
        now = now or timezone.now()
        window = timedelta(days=settings.FEEDBACK_OPEN_DAYS)
        return self.published().filter(start__lte=now, end__gte=now - window)


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", _("cancelled")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=220,
        unique=True,
        blank=True,
        help_text=_(
            "Part of the event's address. Made from the title if left empty. "
            "If you change it later, the old address keeps working."
        ),
    )
    motto = models.CharField(_("motto"), max_length=200, blank=True)
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
    description = models.TextField(_("description"), blank=True)
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
    photo_alt = models.CharField(
        _("photo description"),
        max_length=250,
        blank=True,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    photo_credit = models.CharField(_("photo credit"), max_length=200, blank=True)
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

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["status", "start"], name="event_status_start"),
            models.Index(fields=["status", "end"], name="event_status_end"),
            models.Index(fields=["published_at"], name="event_published_at"),
        ]
        constraints = [
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
        if self.start:
            local = timezone.localtime(self.start)
            return f"{self.title} ({local:%d.%m.%Y})"
        return self.title

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
        base = slugify(self.title)[:200] or "veranstaltung"
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


class EventSlugRedirect(models.Model):
    """A former slug of an event: its old address redirects to the current one."""

    old_slug = models.SlugField(_("old slug"), max_length=220, unique=True)
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="slug_redirects",
        verbose_name=_("event"),
    )

    class Meta:
        verbose_name = _("former address")
        verbose_name_plural = _("former addresses")

    def __str__(self) -> str:
        return self.old_slug


class Material(models.Model):
    class Kind(models.TextChoices):
        FLYER = "flyer", _("flyer")
        BROCHURE = "brochure", _("brochure")
        FORM = "form", _("form")
        POSTER = "poster", _("poster")
        GIVEAWAY = "giveaway", _("give-away")
        OTHER = "other", _("other")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    language = models.CharField(
        _("language"), max_length=8, choices=language_choices, default="de"
    )
    service = models.ForeignKey(
        ServiceOffering,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name=_("related service"),
    )

    class Meta:
        ordering = ["title", "language"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        constraints = [
            models.UniqueConstraint(
                fields=["title", "language"], name="material_unique_title_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class MaterialHandout(models.Model):
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="handouts",
        verbose_name=_("event"),
    )
    material = models.ForeignKey(
        Material,
        on_delete=models.PROTECT,
        related_name="handouts",
        verbose_name=_("material"),
    )
    brought = models.PositiveIntegerField(_("quantity brought"), default=0)
    handed_out = models.PositiveIntegerField(_("quantity handed out"), default=0)

    class Meta:
        ordering = ["material__title"]
        verbose_name = _("material handout")
        verbose_name_plural = _("material handouts")
        constraints = [
            models.CheckConstraint(
                condition=Q(handed_out__lte=F("brought")),
                name="handout_within_brought",
                violation_error_message=_("More handed out than brought."),
            ),
            models.UniqueConstraint(
                fields=["event", "material"],
                name="handout_unique_material_per_event",
                violation_error_message=_(
                    "This material is already listed for the event."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.material}: {self.handed_out}/{self.brought}"


class ReviewQuerySet(models.QuerySet):
    def published(self, now: datetime | None = None) -> Self:
        """Reviews a citizen may read: published, of a public event, not post-dated."""
        return self.filter(
            status=Review.Status.PUBLISHED,
            published_at__lte=now or timezone.now(),
            event__status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED],
        )


class Review(models.Model):
    """A short article after an event (Rückblick): what happened and how it went."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="review", verbose_name=_("event")
    )
    headline = models.CharField(
        _("headline"),
        max_length=200,
        help_text=_("E.g. a visitor's words, if they agreed to publication."),
    )
    lead = models.TextField(
        _("lead"),
        max_length=600,
        validators=[MaxLengthValidator(600)],
        help_text=_("Two or three sentences: what happened, for whom."),
    )
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_(
            "Blank lines separate paragraphs. Allowed: <strong>, <em>, lists "
            "(<ul>, <ol>, <li>) and links (<a href>). Everything else is removed."
        ),
    )
    show_figures = models.BooleanField(
        _("show live figures"),
        default=False,
        help_text=_(
            "Shows contacts, feedback and material handed out, read at the moment "
            "the page is viewed; only once at least 5 visitors gave feedback."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_(
            "Set automatically when first published; a later date schedules it."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        indexes = [
            models.Index(
                fields=["status", "published_at"], name="review_status_published"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="review_published_has_date",
                violation_error_message=_(
                    "A published review needs a publication date."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs):
        self.body = sanitize_rich_text(self.body)
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self.event.get_absolute_url()

    def clean(self) -> None:
        super().clean()
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()
        event = self.event if self.event_id else None
        if (
            self.status == self.Status.PUBLISHED
            and event is not None
            and not event.is_past()
        ):
            raise ValidationError(
                {"status": _("A review can only be published once the event is over.")}
            )

    @property
    def body_html(self):
        return render_rich_text(self.body)


class ReviewPhoto(models.Model):
    review = models.ForeignKey(
        Review,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("review"),
    )
    image = CleanImageField(
        _("photo"),
        upload_to="reviews/%Y/",
        width_field="width",
        height_field="height",
        help_text=_("JPEG, PNG or WebP. Location data and other metadata are removed."),
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    alt_text = models.CharField(
        _("photo description"),
        max_length=250,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    credit = models.CharField(_("photo credit"), max_length=200)
    caption = models.CharField(_("caption"), max_length=250, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("review photo")
        verbose_name_plural = _("review photos")
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt_text="") & ~Q(credit=""),
                name="review_photo_alt_and_credit",
                violation_error_message=_(
                    "Every photo needs a description and a credit."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.alt_text

    @property
    def srcset(self) -> str:
        return srcset(self.image, self.width)
