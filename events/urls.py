from django.urls import path

from events import embed, feeds, poster, share_cards, views

app_name = "events"

# Public addresses: printed on posters and carried by QR codes. Never change them.
urlpatterns = [
    path("", views.upcoming, name="upcoming"),
    path("archiv/", views.archive, name="archive"),
    path("einbetten/", embed.embed, name="embed"),
    path("veranstaltungen/<slug:slug>/", views.detail, name="detail"),
    path("veranstaltungen/<slug:slug>.ics", feeds.event_ics, name="event_ics"),
    path("veranstaltungen/<slug:slug>/plakat/", poster.poster, name="poster"),
    path(
        "veranstaltungen/<slug:slug>/vorschau.png",
        share_cards.card,
        name="share_card",
    ),
    path("kalender.ics", feeds.calendar_all, name="calendar"),
    path(
        "kalender/bezirk/<slug:slug>.ics",
        feeds.calendar_district,
        name="calendar_district",
    ),
    path(
        "kalender/angebot/<slug:category>.ics",
        feeds.calendar_category,
        name="calendar_category",
    ),
    path("feed.atom", feeds.atom, name="atom"),
    path("rueckblicke.atom", feeds.reviews_atom, name="reviews_atom"),
]
