"""Reviews (Rückblicke) after an event, with their photos."""

from datetime import datetime
from typing import Self

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from parler.managers import TranslatableQuerySet

from events.images import CleanImageField, srcset
from events.models.base import TranslatedModel, translated_fields
from events.models.events import Event
from events.richtext import render as render_rich_text
from events.richtext import sanitize as sanitize_rich_text
from jobcenters.models import JobcenterOwned
from jobcenters.scoping import scoped_manager


class ReviewQuerySet(TranslatableQuerySet):
    def published(self, now: datetime | None = None) -> Self:
        """Reviews a citizen may read: published, of a public event, not post-dated."""
        return self.filter(
            status=Review.Status.PUBLISHED,
            published_at__lte=now or timezone.now(),
            event__status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED],
        )


class Review(JobcenterOwned, TranslatedModel):
    """A short article after an event (Rückblick): what happened and how it went."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="review", verbose_name=_("event")
    )
    translations = translated_fields(
        headline=models.CharField(
            _("headline"),
            max_length=200,
            help_text=_("E.g. a visitor's words, if they agreed to publication."),
        ),
        lead=models.TextField(
            _("lead"),
            max_length=600,
            validators=[MaxLengthValidator(600)],
            help_text=_("Two or three sentences: what happened, for whom."),
        ),
        body=models.TextField(
            _("text"),
            blank=True,
            help_text=_(
                "Blank lines separate paragraphs. Allowed: <strong>, <em>, lists "
                "(<ul>, <ol>, <li>) and links (<a href>). Everything else is removed."
            ),
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

    objects = scoped_manager(ReviewQuerySet)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        indexes = [
            models.Index(
                fields=["jobcenter", "status", "published_at"],
                name="review_jc_status_published",
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
        return self.safe_translation_getter("headline", any_language=True) or ""

    def save(self, *args, **kwargs):
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


class ReviewPhoto(JobcenterOwned, TranslatedModel):
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
    translations = translated_fields(
        alt_text=models.CharField(
            _("photo description"),
            max_length=250,
            help_text=_("What the photo shows, for people who cannot see it."),
        ),
        credit=models.CharField(_("photo credit"), max_length=200),
        caption=models.CharField(_("caption"), max_length=250, blank=True),
        meta={
            "constraints": [
                models.CheckConstraint(
                    condition=~Q(alt_text="") & ~Q(credit=""),
                    name="review_photo_translation_alt_and_credit",
                    violation_error_message=_(
                        "Every photo needs a description and a credit."
                    ),
                ),
            ]
        },
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = scoped_manager(TranslatableQuerySet)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("review photo")
        verbose_name_plural = _("review photos")

    def __str__(self) -> str:
        return self.safe_translation_getter("alt_text", any_language=True) or ""

    def clean(self) -> None:
        super().clean()
        # The texts live in translation rows, which full_clean() does not see.
        blank = models.CharField.default_error_messages["blank"]  # Django's own
        missing = {
            field: blank
            for field in ("alt_text", "credit")
            if not (self.safe_translation_getter(field) or "").strip()
        }
        if missing:
            raise ValidationError(missing)

    @property
    def srcset(self) -> str:
        return srcset(self.image, self.width)


@receiver(pre_save, sender=Review._parler_meta.root_model)
def sanitise_review_text(sender, instance, **kwargs) -> None:
    """Every language's text is cleaned, however it is saved (admin, import…)."""
    instance.body = sanitize_rich_text(instance.body)
