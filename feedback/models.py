from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import connections, models, transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, Review, ServiceOffering, TargetGroup
from jobcenters.models import JobcenterOwned
from jobcenters.scoping import scoped_manager

COMMENT_MAX_LENGTH = 1000
RATING_FIELDS = (
    "rating_overall",
    "rating_consultation",
    "rating_material",
    "rating_location",
)


def rating_field(verbose_name, *, required: bool = False):
    return models.PositiveSmallIntegerField(
        verbose_name,
        null=not required,
        blank=not required,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )


def rating_constraint(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__range": (1, 5)}),
        name=f"feedback_{field}_1_to_5",
        violation_error_message=_("Ratings go from 1 to 5."),
    )


# The questionnaire, in its order (online form, paper form in the admin).
QUESTION_FIELDS = (
    *RATING_FIELDS,
    "heard_via",
    "services_of_interest",
    "would_come_again",
    "target_group",
    "comment",
    "may_publish",
)
# The self-description that names no target group (Feedback.describes_self_otherwise).
SOMETHING_ELSE = "other"
HELPFUL_FROM = 4  # a consultation rated 4 or 5 counts as helpful
# The answers FeedbackTotals and FeedbackGroupTotals count: a change to any of them
# recounts the event.
COUNTED_FIELDS = frozenset(
    {
        "event",
        "event_id",
        *RATING_FIELDS,
        "would_come_again",
        "heard_via",
        "target_group",
        "target_group_id",
        "describes_self_otherwise",
    }
)


class FeedbackQuerySet(models.QuerySet):
    """Every way of writing feedback in bulk keeps the events' FeedbackTotals right."""

    def quotable(self) -> "FeedbackQuerySet":
        """Comments the visitor agreed to publish, not removed by the retention rule."""
        return self.filter(may_publish=True, comment_removed_at__isnull=True).exclude(
            comment=""
        )

    def _event_ids(self) -> set[int]:
        return set(self.order_by().values_list("event_id", flat=True).distinct())

    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            FeedbackTotals.objects.refresh({feedback.event_id for feedback in created})
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if COUNTED_FIELDS.isdisjoint(fields):
            return super().bulk_update(objs, fields, *args, **kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            before = self.filter(pk__in=[feedback.pk for feedback in objs])._event_ids()
            updated = super().bulk_update(objs, fields, *args, **kwargs)
            FeedbackTotals.objects.refresh(before | {o.event_id for o in objs})
        return updated

    def update(self, **kwargs):
        if COUNTED_FIELDS.isdisjoint(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            before = self._event_ids()
            updated = super().update(**kwargs)
            moved_to = kwargs.get("event_id", kwargs.get("event"))
            after = {getattr(moved_to, "pk", moved_to)} if moved_to else set()
            FeedbackTotals.objects.refresh(before | after)
        return updated

    def delete(self):
        with transaction.atomic(using=self.db, savepoint=False):
            before = self._event_ids()
            deleted = super().delete()
            FeedbackTotals.objects.refresh(before)
        return deleted

    delete.queryset_only = True  # as Django's own: no Feedback.objects.delete()


class Feedback(JobcenterOwned):
    """One visitor's anonymous answers: no name, e-mail, IP address or user agent."""

    class Source(models.TextChoices):
        ONLINE = "online", _("online form")
        PAPER = "paper", _("paper form (typed in by staff)")

    class Channel(models.TextChoices):
        POSTER = "poster", _("poster")
        LETTER = "letter", _("letter from the Jobcenter")
        WEBSITE = "website", _("website")
        SOCIAL_MEDIA = "social_media", _("social media")
        FRIENDS_FAMILY = "friends_family", _("friends or family")
        PARTNER = "partner", _("partner organisation")
        PASSING_BY = "passing_by", _("just passing by")
        OTHER = "other", _("other")

    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        related_name="feedback",
        verbose_name=_("event"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ONLINE
    )
    rating_overall = rating_field(_("overall rating"), required=True)
    rating_consultation = rating_field(_("personal consultation"))
    rating_material = rating_field(_("information material"))
    rating_location = rating_field(_("location"))
    heard_via = models.CharField(
        _("heard of the event via"), max_length=20, choices=Channel.choices, blank=True
    )
    services_of_interest = models.ManyToManyField(
        ServiceOffering,
        blank=True,
        related_name="interested_feedback",
        verbose_name=_("services of interest"),
    )
    would_come_again = models.BooleanField(_("would come again"), null=True, blank=True)
    target_group = models.ForeignKey(
        TargetGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
        verbose_name=_("describes themselves as"),
    )
    describes_self_otherwise = models.BooleanField(
        _("describes themselves otherwise"),
        default=False,
        db_default=False,
        help_text=_('Answered "something else" rather than one of the target groups.'),
    )
    comment = models.TextField(
        _("comment"),
        blank=True,
        validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)],
    )
    may_publish = models.BooleanField(
        _("comment may be published"),
        default=False,
        help_text=_(
            "The visitor agreed that the comment may be published without a name."
        ),
    )
    language = models.CharField(
        _("language of the form"),
        max_length=16,
        blank=True,
        default="",
        db_default="",
        help_text=_(
            "The language the visitor read the online form in (empty for paper). "
            "The answers themselves are the same in every language."
        ),
    )
    comment_removed_at = models.DateTimeField(
        _("comment removed at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set by the retention rule; the ratings are kept."),
    )

    objects = scoped_manager(FeedbackQuerySet)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        permissions = [("view_summaries", _("Can view the coordinator summaries"))]
        indexes = [
            models.Index(
                fields=["event", "submitted_at"], name="feedback_event_submitted"
            ),
            models.Index(
                fields=["jobcenter", "submitted_at"], name="feedback_jc_submitted"
            ),
            # Covering index for the summaries: PostgreSQL reads ratings and
            # channels of an event's feedback from the index alone.
            models.Index(
                fields=["event"],
                include=[*RATING_FIELDS, "would_come_again", "heard_via"],
                name="feedback_event_figures",
            ),
        ]
        constraints = [
            *(rating_constraint(field) for field in RATING_FIELDS),
            models.CheckConstraint(
                condition=Q(target_group__isnull=True)
                | Q(describes_self_otherwise=False),
                name="feedback_one_self_description",
                violation_error_message=_(
                    "Choose a target group or “something else”, not both."
                ),
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.submitted_at)
        return f"{self.event.safe_translation_getter('title', any_language=True)}: {self.rating_overall}/5 ({local:%d.%m.%Y %H:%M})"

    def save(self, *args, **kwargs):
        """Save, and recount the event's totals (the old event's too, if it moved)."""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and COUNTED_FIELDS.isdisjoint(update_fields):
            super().save(*args, **kwargs)
            return
        with transaction.atomic(savepoint=False):
            if self._state.adding:
                # A new answer is added on (2 queries), not recounted (7).
                super().save(*args, **kwargs)
                FeedbackTotals.objects.add(self)
                return
            before = Feedback.objects.filter(pk=self.pk)._event_ids()
            super().save(*args, **kwargs)
            FeedbackTotals.objects.refresh(before | {self.event_id})

    def delete(self, *args, **kwargs):
        with transaction.atomic(savepoint=False):
            deleted = super().delete(*args, **kwargs)
            FeedbackTotals.objects.refresh({self.event_id})
        return deleted

    @property
    def is_quotable(self) -> bool:
        return bool(self.may_publish and self.comment and not self.comment_removed_at)


def answer_aggregates() -> dict:
    """What FeedbackTotals keeps per event, as aggregates over Feedback rows.

    The keys are FeedbackTotals' columns. Answers are counted by their (never
    null) event column rather than their id: the column is in the covering index
    feedback_event_figures, so PostgreSQL can answer from the index alone.
    """
    answer = "event"
    aggregates = {"feedback": Count(answer)}
    for field in RATING_FIELDS:
        aggregates[f"{field}_sum"] = Sum(field)
        aggregates[f"{field}_count"] = Count(field)
    aggregates["helpful"] = Count(
        answer, filter=Q(rating_consultation__gte=HELPFUL_FROM)
    )
    aggregates["again_yes"] = Count(answer, filter=Q(would_come_again=True))
    aggregates["again_no"] = Count(answer, filter=Q(would_come_again=False))
    for channel in Feedback.Channel.values:
        aggregates[f"channel_{channel}"] = Count(answer, filter=Q(heard_via=channel))
    return aggregates


TOTAL_FIELDS = tuple(answer_aggregates())


def answer_counts(feedback: "Feedback") -> dict[str, int]:
    """What one answer adds to each of FeedbackTotals' columns.

    The same rules as answer_aggregates(), for one row in Python: adding these
    up over an event's answers gives exactly what a recount gives (tested).
    """
    counts = {"feedback": 1}
    for field in RATING_FIELDS:
        value = getattr(feedback, field)
        counts[f"{field}_sum"] = value or 0
        counts[f"{field}_count"] = int(value is not None)
    consultation = feedback.rating_consultation
    counts["helpful"] = int(consultation is not None and consultation >= HELPFUL_FROM)
    counts["again_yes"] = int(feedback.would_come_again is True)
    counts["again_no"] = int(feedback.would_come_again is False)
    for channel in Feedback.Channel.values:
        counts[f"channel_{channel}"] = int(feedback.heard_via == channel)
    return counts


class FeedbackTotalsQuerySet(models.QuerySet):
    def refresh(self, event_ids) -> None:
        """Recount the totals of these events from their feedback."""
        ids = {pk for pk in event_ids if pk is not None}
        if ids:
            self._recount(Event.objects.filter(pk__in=ids))

    def add(self, feedback: "Feedback") -> None:
        """Add one new answer to its event's totals, in the answer's transaction.

        One upsert adds to the event's row (``INSERT … ON CONFLICT DO UPDATE SET
        n = n + …``, on PostgreSQL and SQLite alike); on PostgreSQL the same
        statement first locks the event FOR NO KEY UPDATE, as a recount does
        (_recount), so answers added on and recounts of one event run one after
        the other until each commits and none is lost or counted twice. Then
        one statement adds to the row of the answer's self-description.
        """
        counts = answer_counts(feedback)
        connection = connections[self.db]
        quote = connection.ops.quote_name
        table = quote(FeedbackTotals._meta.db_table)
        event_id = quote("event_id")
        columns = ", ".join(quote(name) for name in TOTAL_FIELDS)
        values = ", ".join(["%s"] * len(TOTAL_FIELDS))
        add_up = ", ".join(
            f"{column} = {table}.{column} + EXCLUDED.{column}"
            for column in map(quote, TOTAL_FIELDS)
        )
        if connection.vendor == "postgresql":
            events = quote(Event._meta.db_table)
            sql = (
                f"WITH locked AS (SELECT {quote('id')} FROM {events} "
                f"WHERE {quote('id')} = %s FOR NO KEY UPDATE) "
                f"INSERT INTO {table} ({event_id}, {columns}) "
                f"SELECT {quote('id')}, {values} FROM locked "
                f"ON CONFLICT ({event_id}) DO UPDATE SET {add_up}"
            )
        else:
            sql = (
                f"INSERT INTO {table} ({event_id}, {columns}) VALUES (%s, {values}) "
                f"ON CONFLICT ({event_id}) DO UPDATE SET {add_up}"
            )
        with connection.cursor() as cursor:
            cursor.execute(
                sql, [feedback.event_id, *(counts[name] for name in TOTAL_FIELDS)]
            )
            add_to_group(cursor, connection, feedback)

    def rebuild(self) -> int:
        """Recount every event's totals (after loading feedback around the ORM)."""
        return self._recount(Event.objects.all())

    def _recount(self, events: models.QuerySet) -> int:
        """Recount the events' totals in place; returns how many events have feedback.

        The events are locked first (FOR NO KEY UPDATE on PostgreSQL, which new
        feedback rows do not wait for), so two transactions recounting one event
        run one after the other and the later one counts the earlier one's
        answers: the totals never miss a committed answer. FeedbackTotals.add
        takes the same lock, so a recount and an answer added on never overlap.
        SQLite runs one writing transaction at a time anyway.
        """
        with transaction.atomic(using=self.db, savepoint=False):
            list(events.select_for_update(no_key=True).order_by("pk").values_list("pk"))
            counted = (
                Feedback.objects.filter(event__in=events)
                .order_by()
                .values("event")
                .annotate(**answer_aggregates())
            )
            totals = [
                FeedbackTotals(
                    event_id=row["event"],
                    **{name: row[name] or 0 for name in TOTAL_FIELDS},
                )
                for row in counted
            ]
            self.filter(event__in=events).exclude(
                Exists(Feedback.objects.filter(event=OuterRef("event")))
            ).delete()
            self.bulk_create(
                totals,
                update_conflicts=True,
                unique_fields=["event"],
                update_fields=TOTAL_FIELDS,
            )
            FeedbackGroupTotals.objects.filter(event__in=events).delete()
            FeedbackGroupTotals.objects.bulk_create(
                FeedbackGroupTotals(
                    event_id=event,
                    target_group_id=group,
                    describes_self_otherwise=otherwise,
                    feedback=n,
                )
                for event, group, otherwise, n in Feedback.objects.filter(
                    event__in=events
                )
                .order_by()
                .values_list("event", "target_group", "describes_self_otherwise")
                .annotate(n=Count("event"))
            )
        return len(totals)


def add_to_group(cursor, connection, feedback: "Feedback") -> None:
    """Add one answer to the FeedbackGroupTotals row of its self-description.

    Runs after FeedbackTotals.add locked the event (and its totals row), which
    keeps answers to one event in turn: no two of them both find no row and
    insert one. A
    deleted target group can leave two rows for "no answer" (SET_NULL): only
    the first one is added to. PostgreSQL does it in one statement; SQLite
    (no UPDATE in a WITH) in two.
    """
    quote = connection.ops.quote_name
    table = quote(FeedbackGroupTotals._meta.db_table)
    group = feedback.target_group_id
    otherwise = bool(feedback.describes_self_otherwise)
    same_group = (
        f"{quote('target_group_id')} IS NULL"
        if group is None
        else f"{quote('target_group_id')} = %s"
    )
    key = [feedback.event_id, *([] if group is None else [group]), otherwise]
    update = (
        f"UPDATE {table} SET {quote('feedback')} = {quote('feedback')} + 1 "
        f"WHERE {quote('id')} = (SELECT {quote('id')} FROM {table} "
        f"WHERE {quote('event_id')} = %s AND {same_group} "
        f"AND {quote('describes_self_otherwise')} = %s "
        f"ORDER BY {quote('id')} LIMIT 1)"
    )
    insert = (
        f"INSERT INTO {table} ({quote('event_id')}, {quote('target_group_id')}, "
        f"{quote('describes_self_otherwise')}, {quote('feedback')}) "
    )
    row = [feedback.event_id, group, otherwise]
    if connection.vendor == "postgresql":
        cursor.execute(
            f"WITH updated AS ({update} RETURNING 1) {insert}"
            "SELECT %s, %s, %s, 1 WHERE NOT EXISTS (SELECT 1 FROM updated)",
            [*key, *row],
        )
        return
    cursor.execute(update, key)
    if cursor.rowcount == 0:
        cursor.execute(f"{insert}VALUES (%s, %s, %s, 1)", row)


class FeedbackTotals(models.Model):
    """The sums of one event's feedback answers, kept in step with every change.

    Period summaries add up one row per event instead of every answer (see
    docs/summaries.md); Feedback's save, delete and bulk methods recount it.
    """

    event = models.OneToOneField(
        Event,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="feedback_totals",
        verbose_name=_("event"),
    )

    objects = scoped_manager(FeedbackTotalsQuerySet, path="event__jobcenter")

    class Meta:
        verbose_name = _("feedback totals")
        verbose_name_plural = _("feedback totals")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.event_id}: {self.feedback}"


# One counter column per aggregate, named as in answer_aggregates().
for _name in TOTAL_FIELDS:
    FeedbackTotals.add_to_class(_name, models.PositiveIntegerField(default=0))
del _name


class FeedbackGroupTotals(models.Model):
    """How many of one event's answers gave one self-description.

    One row per event and answer given (a target group, "something else" or
    none); recounted together with FeedbackTotals, so period summaries can say
    who gave feedback without reading every answer.
    """

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="feedback_group_totals",
        verbose_name=_("event"),
    )
    # As on Feedback: a deleted target group turns its answers into "no answer".
    target_group = models.ForeignKey(
        TargetGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("target group"),
    )
    describes_self_otherwise = models.BooleanField(
        _("describes themselves otherwise"), default=False
    )
    feedback = models.PositiveIntegerField(_("feedback"), default=0)

    objects = scoped_manager(path="event__jobcenter")

    class Meta:
        verbose_name = _("feedback per self-description")
        verbose_name_plural = _("feedback per self-description")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.event_id}/{self.target_group_id}: {self.feedback}"


class ContactCount(JobcenterOwned):
    """Conversations counted by staff at the stand (one tap = one conversation)."""

    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name=_("event"),
    )
    target_group = models.ForeignKey(
        TargetGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("target group"),
    )
    service = models.ForeignKey(
        ServiceOffering,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("service topic"),
    )
    quantity = models.PositiveSmallIntegerField(
        _("conversations"),
        default=1,
        help_text=_("1 for a tap on site; more when typing in a paper tally sheet."),
    )
    counted_at = models.DateTimeField(_("counted at"), default=timezone.now)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counted by"),
    )

    objects = scoped_manager()

    class Meta:
        ordering = ["-counted_at", "-pk"]
        verbose_name = _("contact count")
        verbose_name_plural = _("contact counts")
        indexes = [
            models.Index(fields=["event", "counted_at"], name="contact_event_counted"),
            # One Jobcenter's counts, newest first (the default ordering).
            models.Index(fields=["jobcenter", "counted_at"], name="contact_jc_counted"),
            models.Index(
                fields=["event"],
                include=["quantity", "target_group", "service"],
                name="contact_event_quantity",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1),
                name="contact_quantity_positive",
                violation_error_message=_("Count at least one conversation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event.safe_translation_getter('title', any_language=True)}: {self.quantity}"


class ReviewQuote(models.Model):
    """A visitor's comment quoted in an event's review (Rückblick), only with consent.

    The quote is shown without any other answer of that visitor, and disappears
    from the public page when the retention rule removes the comment.
    """

    review = models.OneToOneField(
        Review,
        on_delete=models.CASCADE,
        related_name="quote",
        verbose_name=_("review"),
    )
    feedback = models.ForeignKey(
        Feedback,
        on_delete=models.CASCADE,
        related_name="quoted_in",
        verbose_name=_("comment"),
        limit_choices_to={"may_publish": True, "comment_removed_at__isnull": True},
        help_text=_(
            "Only comments whose author agreed to publication, from this event's "
            "feedback. Shown without any other answer of that visitor."
        ),
    )

    objects = scoped_manager(path="review__jobcenter")

    class Meta:
        verbose_name = _("visitor quote")
        verbose_name_plural = _("visitor quotes")

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs):
        # Consent is a rule of the model: no path around the admin form skips it.
        self.clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.feedback_id is None or self.review_id is None:
            return
        if not self.feedback.is_quotable:
            raise ValidationError(
                {
                    "feedback": _(
                        "Only a comment whose author agreed to publication can be quoted."
                    )
                },
                code="quote_without_consent",
            )
        if self.feedback.event_id != self.review.event_id:
            raise ValidationError(
                {"feedback": _("The quote must come from this event's feedback.")},
                code="quote_other_event",
            )

    @property
    def text(self) -> str:
        """The quoted comment, or nothing once it was removed or consent is missing."""
        return self.feedback.comment if self.feedback.is_quotable else ""
