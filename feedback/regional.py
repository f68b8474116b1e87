"""Regional view: the totals of every Jobcenter one coordinates, side by side.

Only totals (events held, contacts, feedback, the mean overall rating, the
channels named most): never a comment or anything else a visitor wrote. The
figures are grouped by Jobcenter in the database, so the number of queries
stays the same however many Jobcenters and events there are. See
docs/staff-and-roles.md.
"""

from dataclasses import dataclass

from django.db.models import Count, Sum

from events.models import Event
from feedback.models import ContactCount, Feedback, FeedbackTotals
from feedback.summaries import Filters, Row, _average, _held, _rows
from jobcenters.models import Jobcenter, Membership
from jobcenters.scoping import jobcenter_scope

TOP_CHANNELS = 3


@dataclass(frozen=True)
class JobcenterTotals:
    jobcenter: Jobcenter
    events_held: int
    contacts: int
    feedback: int
    average_overall: float | None
    top_channels: list[Row]


def coordinated_jobcenters(user) -> list[Jobcenter]:
    """The Jobcenters where the user holds the role Koordination (1 query).

    Superusers coordinate every Jobcenter.
    """
    if not user.is_authenticated or not user.is_active:
        return []
    jobcenters = Jobcenter.objects.order_by("name", "pk")
    if user.is_superuser:
        return list(jobcenters)
    return list(
        jobcenters.filter(
            memberships__user=user,
            memberships__role=Membership.Role.COORDINATION,
        ).distinct()
    )


def regional_totals(
    jobcenters: list[Jobcenter], filters: Filters | None = None
) -> list[JobcenterTotals]:
    """Each Jobcenter's totals, in the order given (3 queries, however many).

    Runs in the scope of exactly these Jobcenters: rows of any other are
    never read, whatever scope the caller is in.
    """
    if not jobcenters:
        return []
    filters = filters or Filters()
    channels = Feedback.Channel.values
    with jobcenter_scope([jobcenter.pk for jobcenter in jobcenters]):
        events = dict(
            Event.objects.filter(_held(filters))
            .order_by()
            .values("jobcenter")
            .annotate(n=Count("pk"))
            .values_list("jobcenter", "n")
        )
        contacts = dict(
            ContactCount.objects.filter(_held(filters, "event__"))
            .order_by()
            .values("jobcenter")
            .annotate(n=Sum("quantity"))
            .values_list("jobcenter", "n")
        )
        feedback = {
            row["event__jobcenter"]: row
            for row in FeedbackTotals.objects.filter(_held(filters, "event__"))
            .order_by()
            .values("event__jobcenter")
            .annotate(
                answers=Sum("feedback"),
                overall_sum=Sum("rating_overall_sum"),
                overall_count=Sum("rating_overall_count"),
                **{f"channel_{value}": Sum(f"channel_{value}") for value in channels},
            )
        }
    labels = dict(Feedback.Channel.choices)
    result = []
    for jobcenter in jobcenters:
        row = feedback.get(jobcenter.pk, {})
        named = _rows(
            [
                (value, str(labels[value]), row.get(f"channel_{value}") or 0)
                for value in channels
            ]
        )
        top = sorted(
            (channel for channel in named if channel.count),
            key=lambda channel: -channel.count,
        )[:TOP_CHANNELS]
        result.append(
            JobcenterTotals(
                jobcenter=jobcenter,
                events_held=events.get(jobcenter.pk, 0),
                contacts=contacts.get(jobcenter.pk) or 0,
                feedback=row.get("answers") or 0,
                average_overall=_average(
                    row.get("overall_sum"), row.get("overall_count")
                ),
                top_channels=top,
            )
        )
    return result
