"""Demo data for Pforzheim: realistic, idempotent, and scalable for benchmarks."""

import random
from datetime import date, datetime, time, timedelta
from io import BytesIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from events.defaults import DEFAULT_TARGET_GROUPS, default_target_groups
from events.demo_texts import translate_event, translate_service, volume_translations
from events.models import (
    SOURCE_LANGUAGE,
    District,
    Event,
    Location,
    Material,
    MaterialHandout,
    Review,
    ReviewPhoto,
    ServiceOffering,
    new_short_code,
)
from events.roles import COORDINATION, STAFF
from jobcenters.models import ROLE_GROUPS, Host, Jobcenter, Membership
from jobcenters.services import create_jobcenter

GROUP_ROLES = {group: role for role, group in ROLE_GROUPS.items()}

DISTRICTS = [
    ("Innenstadt", "innenstadt"),
    ("Oststadt", "oststadt"),
    ("Weststadt", "weststadt"),
    ("Nordstadt", "nordstadt"),
    ("Südoststadt", "suedoststadt"),
    ("Brötzingen", "broetzingen"),
    ("Haidach", "haidach"),
]

FOOT = Location.FootTraffic
# The nearest stop where the demo knows it (the other places show none).
DEMO_STOPS = {
    "Leopoldplatz, Stand am Brunnen": "Leopoldplatz (Busse), 2 Minuten zu Fuß"
}
LOCATIONS = [
    # name, street, postcode, district slug, lat, lon, foot traffic, step-free, toilet, notes
    (
        "Quartierswerkstatt, ehemalige Stadtgärtnerei",
        "Kronprinzenstraße 60",
        "75177",
        "oststadt",
        "48.894400",
        "8.718600",
        FOOT.LOW,
        True,
        True,
        "Ebenerdiger Zugang über den Hof; barrierefreie Toilette im Werkstattgebäude.",
    ),
    (
        "Leopoldplatz, Stand am Brunnen",
        "Leopoldplatz 1",
        "75172",
        "innenstadt",
        "48.891500",
        "8.703300",
        FOOT.HIGH,
        True,
        False,
        "Stand unter freiem Himmel; öffentliche Toilette im Rathaus nebenan.",
    ),
    (
        "Stadtteiltreff Weststadt",
        "Westliche Karl-Friedrich-Straße 140",
        "75172",
        "weststadt",
        "48.888900",
        "8.690300",
        FOOT.MEDIUM,
        True,
        True,
        "Rampe am Seiteneingang; ruhiger Beratungsraum vorhanden.",
    ),
    (
        "Bürgerhaus Nordstadt",
        "Zähringerallee 26",
        "75177",
        "nordstadt",
        "48.897700",
        "8.700100",
        FOOT.MEDIUM,
        False,
        False,
        "Drei Stufen am Eingang; bitte klingeln, wir helfen gern.",
    ),
    (
        "Wochenmarkt Brötzingen",
        "Marktplatz Brötzingen",
        "75179",
        "broetzingen",
        "48.886600",
        "8.673800",
        FOOT.HIGH,
        True,
        False,
        "Stand auf dem Markt, ebenerdig erreichbar.",
    ),
    (
        "Familienzentrum Haidach",
        "Haidachstraße 99",
        "75181",
        "haidach",
        "48.882500",
        "8.738800",
        FOOT.LOW,
        True,
        True,
        "Spielecke für Kinder; Wickelraum.",
    ),
    (
        "Einkaufszentrum Südoststadt, Foyer",
        "Brettener Straße 54",
        "75175",
        "suedoststadt",
        "48.881200",
        "8.721900",
        FOOT.HIGH,
        True,
        True,
        "Aufzug vom Parkdeck; barrierefreie Toilette im Erdgeschoss.",
    ),
]

TARGET_GROUPS = DEFAULT_TARGET_GROUPS

CAT = ServiceOffering.Category
SERVICES = [
    (
        CAT.CAREER_DEVELOPMENT,
        "Beratung zu Arbeit und Ausbildung",
        "Persönliche Beratung zu Jobsuche, Weiterbildung und Ausbildung – ohne Termin.",
        ["arbeitsuchende", "migration"],
    ),
    (
        CAT.CAREER_DEVELOPMENT,
        "Bewerbungsmappen-Check",
        "Wir schauen gemeinsam auf Lebenslauf und Anschreiben.",
        ["arbeitsuchende"],
    ),
    (
        CAT.INTEGRATION_NETWORKS,
        "Netzwerk Integration",
        "Sprachkurse, Anerkennung ausländischer Abschlüsse, Kontakte zu Beratungsstellen.",
        ["migration"],
    ),
    (
        CAT.CHILDCARE,
        "Kinderbetreuung und Vereinbarkeit",
        "Wie Arbeit und Familie zusammenpassen: Kita-Plätze, Betreuungszeiten, Zuschüsse.",
        ["familien"],
    ),
    (
        CAT.EQUAL_OPPORTUNITY,
        "Beauftragte für Chancengleichheit",
        "Beratung zum Wiedereinstieg, zu Teilzeit und zu Chancengleichheit am Arbeitsmarkt.",
        ["familien", "arbeitsuchende"],
    ),
]

MATERIALS = [
    (
        "Jobcenter im Quartier – Flyer",
        Material.Kind.FLYER,
        "de",
        CAT.CAREER_DEVELOPMENT,
    ),
    (
        "Jobcenter im Quartier – Flyer",
        Material.Kind.FLYER,
        "tr",
        CAT.CAREER_DEVELOPMENT,
    ),
    (
        "Jobcenter im Quartier – Flyer",
        Material.Kind.FLYER,
        "ar",
        CAT.CAREER_DEVELOPMENT,
    ),
    (
        "Jobcenter im Quartier – Flyer",
        Material.Kind.FLYER,
        "uk",
        CAT.CAREER_DEVELOPMENT,
    ),
    ("Bürgergeld – was Sie wissen sollten", Material.Kind.BROCHURE, "de", None),
    ("Kinderbetreuung in Pforzheim", Material.Kind.BROCHURE, "de", CAT.CHILDCARE),
    (
        "Anerkennung ausländischer Abschlüsse",
        Material.Kind.BROCHURE,
        "de",
        CAT.INTEGRATION_NETWORKS,
    ),
    ("Weiterbewilligungsantrag", Material.Kind.FORM, "de", None),
]

LANGUAGE_SETS = [["de", "tr"], ["de", "ar", "en"], ["de", "ru", "uk"], ["de", "en"]]

DEMO_ACCOUNTS = [
    # username, password, group: documented in the README, created with DEBUG on only.
    ("mitarbeit", "quartier-mitarbeit", STAFF),
    ("koordination", "quartier-koordination", COORDINATION),
]

FIRST_EVENT_SLUG = "jobcenter-im-quartier-oststadt-2024-07-23"


def berlin(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def placeholder_photo(text: str) -> ContentFile:
    """A generated placeholder photo (no real people, no metadata)."""
    image = Image.new("RGB", (1600, 1000), (11, 83, 148))
    draw = ImageDraw.Draw(image)
    for i in range(0, 1600, 80):
        draw.rectangle([i, 700, i + 60, 1000], fill=(255, 191, 71))
    draw.text((80, 80), text, fill=(255, 255, 255))
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return ContentFile(buffer.getvalue(), name="quartier-placeholder.jpg")


@transaction.atomic
def seed_base() -> dict:
    """Districts, locations, target groups, services and materials (idempotent)."""
    districts = {
        slug: District.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for name, slug in DISTRICTS
    }
    locations = []
    for (
        name,
        street,
        postcode,
        district,
        lat,
        lon,
        foot,
        step_free,
        toilet,
        notes,
    ) in LOCATIONS:
        location = Location.objects.filter(
            street=street, postcode=postcode, translations__name=name
        ).first() or Location.objects.create(
            name=name,
            street=street,
            postcode=postcode,
            district=districts[district],
            latitude=lat,
            longitude=lon,
            foot_traffic=foot,
            step_free=step_free,
            accessible_toilet=toilet,
            accessibility_notes=notes,
            stop=DEMO_STOPS.get(name, ""),
        )
        locations.append(location)
    groups = default_target_groups()
    services = []
    for category, title, description, group_slugs in SERVICES:
        service = ServiceOffering.objects.filter(translations__title=title).first()
        if service is None:
            service = ServiceOffering.objects.create(
                title=title, category=category, description=description
            )
            service.target_groups.set([groups[slug] for slug in group_slugs])
        translate_service(service)
        services.append(service)
    by_category = {s.category: s for s in reversed(services)}
    materials = [
        Material.objects.filter(language=language, translations__title=title).first()
        or Material.objects.create(
            title=title,
            language=language,
            kind=kind,
            service=by_category.get(category),
        )
        for title, kind, language, category in MATERIALS
    ]
    return {
        "districts": districts,
        "locations": locations,
        "groups": groups,
        "services": services,
        "materials": materials,
    }


def _create_event(slug: str, **fields) -> tuple[Event, bool]:
    existing = Event.objects.filter(slug=slug).first()
    if existing:
        return existing, False
    services = fields.pop("services", [])
    groups = fields.pop("target_groups", [])
    event = Event(slug=slug, **fields)
    event.full_clean()
    event.save()
    event.services.set(services)
    event.target_groups.set(groups)
    translate_event(event)
    return event, True


@transaction.atomic
def seed_first_event(base: dict) -> Event:
    """The evaluated event of 23 July 2024 in the Oststadt."""
    oststadt = base["locations"][0]
    event, created = _create_event(
        FIRST_EVENT_SLUG,
        title="Jobcenter im Quartier Oststadt",
        motto="Wir für Sie",
        location=oststadt,
        start=berlin(date(2024, 7, 23), 10),
        end=berlin(date(2024, 7, 23), 15),
        description=(
            "Das Jobcenter kommt in die Oststadt: Auf dem Gelände der ehemaligen "
            "Stadtgärtnerei beraten wir Sie persönlich – ohne Termin und ohne Wartezeit. "
            "Bringen Sie Ihre Fragen mit, zu Arbeit, Ausbildung, Kinderbetreuung und "
            "Integration."
        ),
        services=base["services"],
        target_groups=list(base["groups"].values()),
        languages=["de", "tr", "ar", "en"],
        photo=placeholder_photo("Jobcenter im Quartier Oststadt"),
        photo_alt="Platzhalterbild: blaue Fläche mit gelben Streifen",
        photo_credit="Jobcenter Pforzheim",
        status=Event.Status.PUBLISHED,
    )
    if created:
        quantities = [(200, 137), (80, 41), (60, 38), (40, 12), (120, 95)]
        MaterialHandout.objects.bulk_create(
            MaterialHandout(event=event, material=material, brought=b, handed_out=h)
            for material, (b, h) in zip(base["materials"], quantities, strict=False)
        )
    return event


@transaction.atomic
def seed_upcoming(
    base: dict, *, count: int = 12, today: date | None = None
) -> list[Event]:
    """A dozen upcoming events, one to two a week, at changing locations."""
    today = today or timezone.localdate()
    events = []
    locations = base["locations"]
    services = base["services"]
    groups = list(base["groups"].values())
    for n in range(count):
        location = locations[(n + 1) % len(locations)]
        day = today + timedelta(days=3 + n * 5)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        slug = f"jobcenter-im-quartier-demo-{n + 1}"
        event, _ = _create_event(
            slug,
            title=f"Jobcenter im Quartier {location.district.name}",
            motto=["Wir für Sie", "Fragen kostet nichts", "Mitten im Quartier"][n % 3],
            location=location,
            start=berlin(day, 10),
            end=berlin(day, 14),
            description=(
                "Persönliche Beratung direkt im Quartier: Kommen Sie vorbei, "
                "ohne Termin. Wir nehmen uns Zeit für Ihre Fragen."
            ),
            services=services[n % 3 : n % 3 + 3],
            target_groups=groups,
            languages=LANGUAGE_SETS[n % len(LANGUAGE_SETS)],
            status=Event.Status.CANCELLED if n == 4 else Event.Status.PUBLISHED,
        )
        events.append(event)
    return events


REVIEW_LEAD = (
    "Einen Tag lang war das Jobcenter mitten in der Oststadt: Auf dem Gelände der "
    "ehemaligen Stadtgärtnerei haben wir unter dem Motto „Wir für Sie“ beraten, "
    "informiert und zugehört – ohne Termin und ohne Wartezeit."
)
REVIEW_BODY = """Am 23. Juli 2024 stand unser Stand in der Quartierswerkstatt. Wer vorbeikam, \
konnte Fragen zu Arbeit, Ausbildung, Kinderbetreuung und Integration direkt \
mit unseren Mitarbeitenden besprechen.

<strong>Was die Besucherinnen und Besucher am meisten geschätzt haben:</strong>
<ul><li>die persönliche Beratung vor Ort – sie wurde am besten bewertet;</li>\
<li>das Infomaterial, das viele als sehr nützlich beschrieben haben.</li></ul>

<strong>Was wir beim nächsten Mal besser machen:</strong>
<ul><li>Reichweite: Viele hätten gern früher von dem Termin erfahren. Wir kündigen \
die nächsten Termine deshalb früher und auf mehr Wegen an – mit Plakaten, Briefen \
und über unsere Partner im Quartier.</li>\
<li>Ort: Ein Platz mit mehr Laufkundschaft hätte wohl mehr Menschen erreicht.</li></ul>

Die Idee selbst hat sich bestätigt: Beratung dort, wo die Menschen leben, senkt \
die Schwelle zum Jobcenter. Wir kommen wieder – die nächsten Termine finden Sie \
auf dieser Seite."""


@transaction.atomic
def seed_review(event: Event) -> Review:
    """The review of the first event, in our own words, with a placeholder photo."""
    review, created = Review.objects.get_or_create(
        event=event,
        defaults={
            "headline": "„Ohne euch ging es ganz vielen Leuten schlecht“",
            "lead": REVIEW_LEAD,
            "body": REVIEW_BODY,
            "show_figures": True,
            "status": Review.Status.PUBLISHED,
            "published_at": berlin(date(2024, 7, 30), 9),
        },
    )
    if created:
        photo = ReviewPhoto(
            review=review,
            image=placeholder_photo("Rückblick Oststadt"),
            alt_text="Platzhalterbild für den Stand in der Quartierswerkstatt: "
            "blaue Fläche mit gelben Streifen",
            credit="Jobcenter Pforzheim",
            caption="Der Stand in der Quartierswerkstatt",
        )
        photo.full_clean()
        photo.save()
    return review


def seed_volume(base: dict, *, count: int, seed: int = 2024) -> int:
    """Many events for benchmarks: one per location and day, around today."""
    rng = random.Random(seed)
    existing = set(
        Event.objects.filter(slug__startswith="volume-").values_list("slug", flat=True)
    )
    locations = base["locations"]
    services = base["services"]
    groups = list(base["groups"].values())
    days = -(-count // len(locations))
    first_day = timezone.localdate() - timedelta(days=days // 2)
    now = timezone.now()
    codes = set(Event.objects.values_list("short_code", flat=True))
    new = []
    for n in range(count):
        slug = f"volume-{n + 1}"
        if slug in existing:
            continue
        location = locations[n % len(locations)]
        day = first_day + timedelta(days=n // len(locations))
        # Afternoons, so they never clash with the daytime demo events.
        start = berlin(day, 15 + rng.randrange(0, 3))
        status = (
            Event.Status.CANCELLED if rng.random() < 0.05 else Event.Status.PUBLISHED
        )
        new.append(
            Event(
                slug=slug,
                location=location,
                start=start,
                end=start + timedelta(hours=3),
                languages=rng.choice(LANGUAGE_SETS),
                status=status,
                published_at=now,
                short_code=_fresh_code(codes),
            )
        )
    with transaction.atomic():
        created = Event.objects.bulk_create(new, batch_size=1000)
        # bulk_create skips parler's save(): the German texts are written here.
        texts = Event._parler_meta.root_model
        texts.objects.bulk_create(
            [
                texts(
                    master_id=e.pk,
                    language_code=SOURCE_LANGUAGE,
                    title=f"Jobcenter im Quartier {e.location.district.name}",
                    motto="Wir für Sie",
                    description="Persönliche Beratung direkt im Quartier.",
                )
                for e in created
            ]
            + volume_translations(texts, created),
            batch_size=2000,
        )
        through_services = Event.services.through
        through_groups = Event.target_groups.through
        through_services.objects.bulk_create(
            [
                through_services(event_id=e.pk, serviceoffering_id=s.pk)
                for e in created
                for s in rng.sample(services, 2)
            ],
            batch_size=2000,
        )
        through_groups.objects.bulk_create(
            [
                through_groups(event_id=e.pk, targetgroup_id=g.pk)
                for e in created
                for g in groups
            ],
            batch_size=2000,
        )
    return len(created)


def _fresh_code(taken: set[str]) -> str:
    code = new_short_code()
    while code in taken:
        code = new_short_code()
    taken.add(code)
    return code


def seed_accounts(
    jobcenter: Jobcenter, accounts=DEMO_ACCOUNTS
) -> list[tuple[str, str]]:
    """One demo account per role in this Jobcenter. Only ever called with DEBUG on.

    Returns (username, password) pairs, to be printed.
    """
    User = get_user_model()
    made = []
    for username, password, group_name in accounts:
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": True}
        )
        if created:
            user.set_password(password)
            user.save()
        # The role gives the permissions in this Jobcenter; the group is read
        # by the second factor rule (OTP_REQUIRED_GROUPS).
        user.groups.add(Group.objects.get(name=group_name))
        Membership.objects.get_or_create(
            user=user, jobcenter=jobcenter, role=GROUP_ROLES[group_name]
        )
        made.append((username, password))
    return made


# The second demo Jobcenter: fictitious, on another host name, so the demo
# shows two Jobcenters side by side (http://127.0.0.1:8000/ and
# http://localhost:8000/).
FIRST_HOST = "127.0.0.1"
SECOND = {
    "name": "Jobcenter Musterstadt",
    "short_name": "JC Musterstadt",
    "slug": "jobcenter-musterstadt",
    "brand_color": "#6a1b9a",  # 8.9:1 against white
}
SECOND_HOST = "localhost"
SECOND_ACCOUNTS = [
    ("mitarbeit-musterstadt", "quartier-mitarbeit", STAFF),
    ("koordination-musterstadt", "quartier-koordination", COORDINATION),
]
SECOND_DISTRICTS = [
    ("Altstadt", "altstadt"),
    ("Hafenviertel", "hafenviertel"),
    ("Lindenhof", "lindenhof"),
]
SECOND_LOCATIONS = [
    # name, street, postcode, district slug, foot traffic, step-free, toilet
    (
        "Marktplatz Altstadt, Stand am Rathaus",
        "Marktplatz 1",
        "12345",
        "altstadt",
        FOOT.HIGH,
        True,
        False,
    ),
    (
        "Bürgertreff Hafenviertel",
        "Kaistraße 12",
        "12347",
        "hafenviertel",
        FOOT.MEDIUM,
        True,
        True,
    ),
    (
        "Familienzentrum Lindenhof",
        "Lindenallee 40",
        "12349",
        "lindenhof",
        FOOT.LOW,
        True,
        True,
    ),
]
# Positions in SERVICES: the same offers, as the second Jobcenter's own rows.
SECOND_SERVICES = [0, 2, 3]
SECOND_EVENT_PREFIX = "musterstadt-demo-"


@transaction.atomic
def demo_jobcenters(*, second: bool = True) -> tuple[Jobcenter, Jobcenter | None]:
    """The first Jobcenter (on 127.0.0.1) and the second (on localhost).

    The first is the installation's, made by the migration; it gets the host
    name 127.0.0.1 if no Jobcenter has it. The second is made once; if
    another Jobcenter already answers on localhost, there is none.
    """
    first = Jobcenter.objects.order_by("pk").first()
    if first is None:
        from django.conf import settings

        first = create_jobcenter(name=settings.ORGANISATION_NAME, host=FIRST_HOST)
    elif not Host.objects.filter(name=FIRST_HOST).exists():
        has_primary = Host.objects.filter(jobcenter=first, is_primary=True).exists()
        Host.objects.create(
            jobcenter=first, name=FIRST_HOST, is_primary=not has_primary
        )
    if not second:
        return first, None
    second = Jobcenter.objects.filter(slug=SECOND["slug"]).first()
    if second is None and not Host.objects.filter(name=SECOND_HOST).exists():
        second = create_jobcenter(host=SECOND_HOST, city="Musterstadt", **SECOND)
    return first, second


@transaction.atomic
def seed_second(*, count: int = 6, today: date | None = None) -> list[Event]:
    """The second Jobcenter's places, offers and upcoming dates (in its scope)."""
    today = today or timezone.localdate()
    districts = {
        slug: District.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for name, slug in SECOND_DISTRICTS
    }
    locations = []
    for name, street, postcode, district, foot, step_free, toilet in SECOND_LOCATIONS:
        location = Location.objects.filter(
            street=street, postcode=postcode, translations__name=name
        ).first() or Location.objects.create(
            name=name,
            street=street,
            postcode=postcode,
            city="Musterstadt",
            district=districts[district],
            foot_traffic=foot,
            step_free=step_free,
            accessible_toilet=toilet,
        )
        locations.append(location)
    groups = default_target_groups()
    services = []
    for position in SECOND_SERVICES:
        category, title, description, group_slugs = SERVICES[position]
        service = ServiceOffering.objects.filter(translations__title=title).first()
        if service is None:
            service = ServiceOffering.objects.create(
                title=title, category=category, description=description
            )
            service.target_groups.set([groups[slug] for slug in group_slugs])
        translate_service(service)
        services.append(service)
    events = []
    for n in range(count):
        location = locations[n % len(locations)]
        day = today + timedelta(days=2 + n * 7)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        event, _ = _create_event(
            f"{SECOND_EVENT_PREFIX}{n + 1}",
            title=f"Jobcenter im Quartier {location.district.name}",
            motto=["Fragen kostet nichts", "Mitten im Quartier"][n % 2],
            location=location,
            start=berlin(day, 9),
            end=berlin(day, 13),
            description=(
                "Persönliche Beratung direkt im Quartier: Kommen Sie vorbei, "
                "ohne Termin. Wir nehmen uns Zeit für Ihre Fragen."
            ),
            services=services,
            target_groups=list(groups.values()),
            languages=LANGUAGE_SETS[n % len(LANGUAGE_SETS)],
            status=Event.Status.PUBLISHED,
        )
        events.append(event)
    return events
