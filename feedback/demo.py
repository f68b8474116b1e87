"""Demo feedback and contact counts for the demo events (idempotent)."""

import random
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from events.demo import FIRST_EVENT_SLUG, seed_base
from events.models import Event, MaterialHandout, Review
from feedback.models import SOMETHING_ELSE, ContactCount, Feedback, ReviewQuote

QUOTE = "Ohne euch ging es ganz vielen Leuten schlecht"

CH = Feedback.Channel
# Services by their position in events.demo.SERVICES: 0 advice on work and
# training, 1 application check, 2 integration, 3 childcare, 4 equal opportunity.
# overall, consultation, material, location, channel, would come again,
# target group (or SOMETHING_ELSE), comment, may publish, services of interest
FIRST_EVENT_FEEDBACK = [
    (5, 5, 5, 3, CH.PASSING_BY, True, "arbeitsuchende", QUOTE, True, [0]),
    (5, 5, 4, 3, CH.LETTER, True, "arbeitsuchende", "", False, [0, 1]),
    (
        4,
        5,
        5,
        2,
        CH.PASSING_BY,
        True,
        "familien",
        "Endlich mal jemand, der sich Zeit für meine Fragen nimmt.",
        True,
        [3],
    ),
    (5, 5, 5, 4, CH.LETTER, True, "migration", "", False, [2]),
    (
        4,
        4,
        5,
        3,
        CH.PASSING_BY,
        None,
        None,
        "Schwer zu finden, der Eingang im Hof war versteckt.",
        False,
        [],
    ),
    (5, 5, 4, 3, CH.FRIENDS_FAMILY, True, "familien", "", False, [3, 4]),
    (
        4,
        5,
        4,
        2,
        CH.PASSING_BY,
        True,
        "arbeitsuchende",
        "Im Hof war es sehr heiß, beim nächsten Mal bitte mit Schatten.",
        False,
        [0],
    ),
    (
        5,
        5,
        5,
        4,
        CH.LETTER,
        True,
        "migration",
        "Die Broschüre zur Anerkennung meines Abschlusses hilft mir sehr.",
        True,
        [2],
    ),
    (3, 4, 4, 2, CH.PASSING_BY, False, None, "", False, []),
    (5, 5, 5, 3, CH.POSTER, True, "arbeitsuchende", "", False, [1]),
    (4, 4, 4, 3, CH.LETTER, True, "familien", "", False, [3]),
    (
        5,
        5,
        4,
        4,
        CH.PASSING_BY,
        True,
        "migration",
        "Gerne wieder in der Oststadt!",
        True,
        [0, 2],
    ),
    (4, 5, 5, 3, CH.LETTER, None, "arbeitsuchende", "", False, [0]),
    (5, 5, 5, 3, CH.PASSING_BY, True, SOMETHING_ELSE, "", False, []),
    (
        4,
        4,
        4,
        2,
        CH.PARTNER,
        True,
        "familien",
        "Ich hätte gern früher von dem Termin erfahren.",
        False,
        [4],
    ),
    (5, 5, 5, 4, CH.LETTER, True, "arbeitsuchende", "", False, [1]),
    (4, None, 4, 3, CH.PASSING_BY, None, None, "", False, []),
    (5, 5, None, 3, "", True, "migration", "", False, []),
]
PAPER_FROM = 14  # the last rows were paper forms, typed in afterwards

# target group slug (None: not asked), service position (None: general), conversations
FIRST_EVENT_CONTACTS = [
    ("arbeitsuchende", 0, 14),
    ("arbeitsuchende", 1, 6),
    ("migration", 2, 9),
    ("migration", 0, 4),
    ("familien", 3, 8),
    ("familien", 4, 3),
    (None, 0, 5),
    (None, None, 3),
]
FIRST_EVENT_HANDOUTS = [(200, 137), (80, 41), (60, 38), (40, 12), (120, 95)]

# Channels of the generated feedback, weighted like the first event.
CHANNEL_WEIGHTS = {
    CH.PASSING_BY: 8,
    CH.LETTER: 6,
    CH.POSTER: 2,
    CH.FRIENDS_FAMILY: 2,
    CH.PARTNER: 1,
    CH.WEBSITE: 1,
    CH.SOCIAL_MEDIA: 1,
    CH.OTHER: 1,
    "": 2,
}


def seed_feedback(base: dict | None = None, *, now=None) -> int:
    """Feedback and contacts for past demo events that have none; returns rows added."""
    base = base or seed_base()
    added = 0
    first = Event.objects.filter(slug=FIRST_EVENT_SLUG).first()
    if first is not None:
        added += _seed_first_event(first, base)
        _quote_in_review(first)
    added += _seed_other_past_events(base, now=now or timezone.now())
    return added


@transaction.atomic
def _seed_first_event(event: Event, base: dict) -> int:
    if not MaterialHandout.objects.filter(event=event).exists():
        MaterialHandout.objects.bulk_create(
            MaterialHandout(event=event, material=material, brought=b, handed_out=h)
            for material, (b, h) in zip(
                base["materials"], FIRST_EVENT_HANDOUTS, strict=False
            )
        )
    if not ContactCount.objects.filter(event=event).exists():
        ContactCount.objects.bulk_create(
            ContactCount(
                event=event,
                target_group=base["groups"][group] if group else None,
                service=base["services"][service] if service is not None else None,
                quantity=quantity,
                counted_at=event.end,
            )
            for group, service, quantity in FIRST_EVENT_CONTACTS
        )
    if Feedback.objects.filter(event=event).exists():
        return 0
    for n, row in enumerate(FIRST_EVENT_FEEDBACK):
        (overall, consultation, material, location, channel, again, group) = row[:7]
        comment, may_publish, services = row[7:]
        paper = n >= PAPER_FROM
        feedback = Feedback(
            event=event,
            submitted_at=event.start
            + timedelta(minutes=15 * n + (240 if paper else 20)),
            source=Feedback.Source.PAPER if paper else Feedback.Source.ONLINE,
            rating_overall=overall,
            rating_consultation=consultation,
            rating_material=material,
            rating_location=location,
            heard_via=channel,
            would_come_again=again,
            target_group=None
            if group in (None, SOMETHING_ELSE)
            else base["groups"][group],
            describes_self_otherwise=group == SOMETHING_ELSE,
            comment=comment,
            may_publish=may_publish,
        )
        feedback.full_clean()
        feedback.save()
        feedback.services_of_interest.set([base["services"][i] for i in services])
    return len(FIRST_EVENT_FEEDBACK)


def _quote_in_review(event: Event) -> None:
    """Quote the consented comment in the demo review, once."""
    review = Review.objects.filter(event=event, quote__isnull=True).first()
    quote = Feedback.objects.quotable().filter(event=event, comment=QUOTE).first()
    if review is None or quote is None:
        return
    ReviewQuote.objects.create(review=review, feedback=quote)
    if not review.show_figures:
        review.show_figures = True
        review.save(update_fields=["show_figures", "updated_at"])


@transaction.atomic
def _seed_other_past_events(base: dict, *, now) -> int:
    """Plausible random feedback for generated demo events that are over."""
    demo = Q(slug__startswith="jobcenter-im-quartier-demo-") | Q(
        slug__startswith="volume-"
    )
    events = list(
        Event.objects.published()
        .past(now)
        .filter(demo)
        .exclude(Exists(Feedback.objects.filter(event=OuterRef("pk"))))
        .exclude(Exists(ContactCount.objects.filter(event=OuterRef("pk"))))
        .order_by("pk")
        .only("pk", "slug", "start", "end")
    )
    groups = list(base["groups"].values())
    services = base["services"]
    channels = list(CHANNEL_WEIGHTS)
    weights = list(CHANNEL_WEIGHTS.values())
    feedback, contacts = [], []
    for event in events:
        rng = random.Random(event.slug)
        for _ in range(rng.randint(3, 10)):
            group = rng.choice([None, SOMETHING_ELSE, *groups])
            feedback.append(
                Feedback(
                    event=event,
                    submitted_at=event.start + timedelta(minutes=rng.randint(10, 170)),
                    rating_overall=rng.choice([3, 4, 4, 5, 5]),
                    rating_consultation=rng.choice([None, 4, 5, 5, 5]),
                    rating_material=rng.choice([None, 3, 4, 5]),
                    rating_location=rng.choice([None, 2, 3, 3, 4]),
                    heard_via=rng.choices(channels, weights)[0],
                    would_come_again=rng.choice([None, True, True, False]),
                    target_group=None if group == SOMETHING_ELSE else group,
                    describes_self_otherwise=group == SOMETHING_ELSE,
                )
            )
        for group in [None, *groups]:
            contacts.append(
                ContactCount(
                    event=event,
                    target_group=group,
                    service=rng.choice([None, *services]),
                    quantity=rng.randint(1, 12),
                    counted_at=event.end,
                )
            )
    Feedback.objects.bulk_create(feedback, batch_size=2000)
    ContactCount.objects.bulk_create(contacts, batch_size=2000)
    return len(feedback)
