"""Expected contacts for a planned date: the interface the panel and pages use.

``estimate(location, start, end)`` and ``estimate_many(candidates)`` answer
from the Jobcenter's stored ``EstimatorFit`` and never fit: one query (the
fit; two when the history's data version must be read, at most once a
minute) whatever the number of candidates. When
there is no fit yet, or the history changed since it was made, the answer
comes from the stored fit (or, before the first fit, from the programme's
mean) and a refit is queued for the background worker (``planning.tasks``).

The model itself (``planning.nbmodel``): contacts ~ negative binomial with
log mean = programme + place (pulled towards its district) + district (pulled
towards the programme) + weekday + time of day + season + β·log(passers-by
per hour) + γ·log(hours). ``fit_params(observations)`` turns the held dates
(``planning.history``) into the stored, JSON-ready parameters;
``predict(params, …)`` reads them. docs/planning.md explains it for staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from math import exp, log

from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from events.models import Location
from planning import history, nbmodel
from planning.history import SEASONS, TIMES_OF_DAY, Observation
from planning.models import EstimatorFit

# Bump when the stored parameters' meaning changes: old fits are then stale.
MODEL_VERSION = 1
# Passers-by per hour assumed for a foot-traffic class where fewer than two
# places of that class were counted: the "passersby" helper's
# planning.passers_by.FALLBACK_PER_HOUR (a quiet courtyard, a neighbourhood
# centre, a market square); with two or more, their geometric mean is used.
DEFAULT_CLASS_RATES = {"low": 60.0, "medium": 250.0, "high": 900.0}
# A factor is named as a reason only from a change of 10 % on.
NOTABLE = log(1.10)
QUANTILES = (0.1, 0.9)

WEEKDAYS = (
    _("On Mondays"),
    _("On Tuesdays"),
    _("On Wednesdays"),
    _("On Thursdays"),
    _("On Fridays"),
    _("On Saturdays"),
    _("On Sundays"),
)
TIMES = {
    "morning": _("In the mornings"),
    "midday": _("Around midday"),
    "afternoon": _("In the afternoons"),
    "evening": _("In the evenings"),
}
SEASON_NAMES = {
    "winter": _("In winter"),
    "spring": _("In spring"),
    "summer": _("In summer"),
    "autumn": _("In autumn"),
}


@dataclass(frozen=True)
class Estimate:
    expected: float  # mean contacts
    low: int  # 10th percentile: the 80 % range is low to high
    high: int  # 90th percentile
    dates_here: int  # earlier dates at this location
    dates_district: int  # earlier dates in the location's district
    reasons: tuple[str, ...]  # short sentences for staff, in the active language

    @property
    def range_label(self) -> str:
        return f"{self.low}–{self.high}"


# --- Fitting (background only) ---------------------------------------------


def _location_rates(observations: list[Observation], slots: dict) -> dict[int, float]:
    """Each place's typical passers-by per hour: geometric mean of what is known."""
    logs: dict[int, list[float]] = {}
    for o in observations:
        if o.passers_by_per_hour:
            logs.setdefault(o.location_id, []).append(log(o.passers_by_per_hour))
    for (location_id, _day, _hour), rate in slots.items():
        if rate > 0:
            logs.setdefault(location_id, []).append(log(rate))
    return {k: exp(sum(v) / len(v)) for k, v in logs.items()}


def _class_rates(observations: list[Observation], location_rates: dict) -> dict:
    """Per foot-traffic class, the geometric mean of its counted places (≥ 2 of them)."""
    by_class: dict[str, dict[int, float]] = {}
    for o in observations:
        if o.location_id in location_rates:
            by_class.setdefault(o.foot_traffic, {})[o.location_id] = location_rates[
                o.location_id
            ]
    rates = dict(DEFAULT_CLASS_RATES)
    for name, places in by_class.items():
        if len(places) >= 2:
            rates[name] = exp(sum(log(r) for r in places.values()) / len(places))
    return rates


def _rate(params: dict, location_id: int, foot_traffic: str, start, end, own=None):
    """Passers-by per hour for a date: counted hours, its own figure, the place's, the class's."""
    slots = params["slots"].get(str(location_id), {})
    found = [
        slots[key]
        for hour in history.hours_covered(start, end)
        if (key := f"{start.weekday()}-{hour}") in slots
    ]
    if found:
        return sum(found) / len(found)
    if own:
        return own
    place = params["place_rates"].get(str(location_id))
    if place:
        return place
    return params["class_rates"].get(foot_traffic, DEFAULT_CLASS_RATES["medium"])


def _cells(
    observations: list[Observation], params: dict, log_rates: list[float]
) -> list[nbmodel.Cell]:
    cells: dict[tuple, nbmodel.Cell] = {}
    for o, log_rate in zip(observations, log_rates, strict=True):
        x_rate = round(log_rate - params["rate_centre"], 2)
        x_duration = round(log(o.duration_hours) - params["duration_centre"], 2)
        key = (
            o.location_id,
            o.district_id,
            o.weekday,
            TIMES_OF_DAY.index(o.time_of_day),
            SEASONS.index(o.season),
            x_rate,
            x_duration,
        )
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = nbmodel.Cell(*key)
        cell.add(o.contacts)
    return list(cells.values())


def fit_params(
    observations: list[Observation],
    slots: dict | None = None,
    *,
    start: nbmodel.Fit | None = None,
) -> tuple[dict, nbmodel.Fit]:
    """Fit the model to the held dates; returns JSON-ready parameters and the raw fit.

    ``slots`` are the counted passers-by per (location, weekday, hour)
    (``history.hourly_rates()``); ``start`` an earlier fit to start from.
    """
    slots = history.hourly_rates() if slots is None else slots
    place_rates = _location_rates(observations, slots)
    params: dict = {
        "model": MODEL_VERSION,
        "slots": {},
        "place_rates": {str(k): round(v, 2) for k, v in place_rates.items()},
        "class_rates": _class_rates(observations, place_rates),
    }
    for (location_id, day, hour), rate in slots.items():
        params["slots"].setdefault(str(location_id), {})[f"{day}-{hour}"] = round(
            rate, 2
        )
    logs_rate, logs_hours = [], []
    params["rate_centre"] = params["duration_centre"] = 0.0
    for o in observations:
        rate = _rate(
            params, o.location_id, o.foot_traffic, o.start, o.end, o.passers_by_per_hour
        )
        logs_rate.append(log(max(rate, 0.1)))
        logs_hours.append(log(o.duration_hours))
    n = len(observations)
    params["rate_centre"] = sum(logs_rate) / n if n else log(150.0)
    params["duration_centre"] = sum(logs_hours) / n if n else log(3.0)
    fit = nbmodel.fit(_cells(observations, params, logs_rate), start=start)
    # Predictions keep to the passers-by seen in the fit (no extrapolation).
    params["rate_range"] = [
        min(logs_rate, default=params["rate_centre"]),
        max(logs_rate, default=params["rate_centre"]),
    ]
    here: dict[str, int] = {}
    district: dict[str, int] = {}
    district_of: dict[str, int] = {}
    for o in observations:
        here[str(o.location_id)] = here.get(str(o.location_id), 0) + 1
        district[str(o.district_id)] = district.get(str(o.district_id), 0) + 1
        district_of[str(o.location_id)] = o.district_id
    params.update(
        observations=n,
        programme_mean=(sum(o.contacts for o in observations) / n) if n else 0.0,
        alpha=fit.alpha,
        weekday=fit.weekday,
        time_of_day=dict(zip(TIMES_OF_DAY, fit.time_of_day, strict=False)),
        season=dict(zip(SEASONS, fit.season, strict=False)),
        beta=fit.beta,
        gamma=fit.gamma,
        theta=fit.theta,
        tau2_location=fit.tau2_location,
        tau2_district=fit.tau2_district,
        districts={
            str(k): [v, fit.district_var.get(k, fit.tau2_district)]
            for k, v in fit.district.items()
        },
        places={
            str(k): [v, fit.location_var.get(k, fit.tau2_location), district_of[str(k)]]
            for k, v in fit.location.items()
        },
        dates_here=here,
        dates_district=district,
        sweeps=fit.sweeps,
    )
    return params, fit


def store_fit(version: str | None = None, *, accuracy: bool = True) -> EstimatorFit:
    """Fit the current Jobcenter's history and store it (the background task's work).

    With ``accuracy`` the backtest runs too and its monthly figures are stored
    with the fit, for the planning page (``backtest.accuracy_by_month``).
    """
    version = version or history.data_version()
    observations = history.observations()
    params, _fit = fit_params(observations)
    now = timezone.now()
    # A date already counted but not yet over joins the history when it ends:
    # the fit is stale from then on, without any change to the counts.
    pending = history.pending_end(now)
    params["stale_after"] = pending.isoformat() if pending else None
    if accuracy:
        from planning.backtest import monthly_summary, run

        params["accuracy"] = monthly_summary(run(observations).rows)
    fit, _created = EstimatorFit.objects.update_or_create(
        defaults={
            "data_version": version,
            "fitted_at": now,
            "observations": len(observations),
            "params": params,
        }
    )
    return fit


# --- Answering (every request) ----------------------------------------------


def predict(
    params: dict,
    *,
    location_id: int,
    district_id: int,
    foot_traffic: str,
    start: datetime,
    end: datetime,
) -> tuple[float, int, int, dict[str, float]]:
    """Mean, 10th and 90th percentile and the factors (log scale) for one date."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    hours = max((end - start).total_seconds() / 3600, 0.25)
    rate = _rate(params, location_id, foot_traffic, start, end)
    low_rate, high_rate = params.get("rate_range", (-20.0, 20.0))
    place = params["places"].get(str(location_id))
    district = params["districts"].get(str(district_id))
    if place is not None and place[2] == district_id:
        district_effect = district[0] if district else 0.0
        own, variance = place[0], place[1]
    elif district is not None:  # a new place in a known district
        district_effect, own = district[0], 0.0
        variance = district[1] + params["tau2_location"]
    else:  # a new district
        district_effect, own = 0.0, 0.0
        variance = params["tau2_district"] + params["tau2_location"]
    factors = {
        "weekday": params["weekday"][start.weekday()],
        "time_of_day": params["time_of_day"][history.time_of_day(start, end)],
        "season": params["season"][history.season(start.date())],
        "passers_by": params["beta"]
        * (min(max(log(max(rate, 0.1)), low_rate), high_rate) - params["rate_centre"]),
        "place": own,
    }
    log_mean = (
        params["alpha"]
        + district_effect
        + sum(factors.values())
        + params["gamma"] * (log(hours) - params["duration_centre"])
    )
    low, high = nbmodel.nb_quantiles(log_mean, variance, params["theta"], QUANTILES)
    factors["rate"] = rate
    return exp(log_mean), low, high, factors


def _strongest(factors: dict[str, float], start: datetime, end: datetime) -> str | None:
    candidates = {
        k: factors[k]
        for k in ("weekday", "time_of_day", "season", "passers_by", "place")
    }
    name, value = max(candidates.items(), key=lambda item: abs(item[1]))
    if abs(value) < NOTABLE:
        return None
    more = value > 0
    start = timezone.localtime(start)
    if name == "weekday":
        when = WEEKDAYS[start.weekday()]
        text = (
            gettext("%(when)s more people come than on other days")
            if more
            else gettext("%(when)s fewer people come than on other days")
        )
        return text % {"when": when}
    if name == "time_of_day":
        when = TIMES[history.time_of_day(start, timezone.localtime(end))]
        text = (
            gettext("%(when)s more people come than at other times of day")
            if more
            else gettext("%(when)s fewer people come than at other times of day")
        )
        return text % {"when": when}
    if name == "season":
        when = SEASON_NAMES[history.season(start.date())]
        text = (
            gettext("%(when)s more people come than in other seasons")
            if more
            else gettext("%(when)s fewer people come than in other seasons")
        )
        return text % {"when": when}
    if name == "passers_by":
        text = (
            gettext("Many people pass by here (about %(rate)d an hour)")
            if more
            else gettext("Few people pass by here (about %(rate)d an hour)")
        )
        return text % {"rate": round(factors["rate"])}
    return (
        gettext("This place draws more people than others in its district")
        if more
        else gettext("This place draws fewer people than others in its district")
    )


def _from_fit(
    params: dict, location: Location, start: datetime, end: datetime
) -> Estimate:
    expected, low, high, factors = predict(
        params,
        location_id=location.pk,
        district_id=location.district_id,
        foot_traffic=location.foot_traffic,
        start=start,
        end=end,
    )
    here = params["dates_here"].get(str(location.pk), 0)
    district = params["dates_district"].get(str(location.district_id), 0)
    reasons = [
        ngettext(
            "from %(count)d earlier date at this place",
            "from %(count)d earlier dates at this place",
            here,
        )
        % {"count": here}
        if here
        else gettext("no earlier dates at this place"),
        ngettext("%(count)d in the district", "%(count)d in the district", district)
        % {"count": district},
    ]
    strongest = _strongest(factors, start, end)
    if strongest:
        reasons.append(strongest)
    return Estimate(
        expected=round(expected, 1),
        low=low,
        high=high,
        dates_here=here,
        dates_district=district,
        reasons=tuple(reasons),
    )


def _fallback(mean: float, n: int) -> Estimate:
    """Before the first fit: the programme's mean with a Poisson range."""
    if not n:
        return Estimate(0.0, 0, 0, 0, 0, (gettext("no earlier dates yet"),))
    low, high = nbmodel.nb_quantiles(log(max(mean, 0.01)), 0.0, 1000.0, QUANTILES)
    return Estimate(
        expected=round(mean, 1),
        low=low,
        high=high,
        dates_here=0,
        dates_district=0,
        reasons=(
            ngettext(
                "the average of %(count)d earlier date; the full estimate is being prepared",
                "the average of %(count)d earlier dates; the full estimate is being prepared",
                n,
            )
            % {"count": n},
        ),
    )


def _is_current(fit: EstimatorFit, version: str) -> bool:
    params = fit.params or {}
    if params.get("model") != MODEL_VERSION or fit.data_version != version:
        return False
    stale_after = params.get("stale_after")
    return not (stale_after and timezone.now() >= datetime.fromisoformat(stale_after))


def current_params() -> dict | None:
    """The stored parameters; queues a refit if missing or stale.

    One query (the fit), two when the data version is not in the cache (it is
    kept a minute, and forgotten as soon as the history changes).
    """
    from jobcenters.scoping import current_jobcenter_id
    from planning.tasks import known_version, request_refit

    fit = EstimatorFit.objects.first()
    jobcenter_id = current_jobcenter_id()
    if fit is None or not _is_current(fit, known_version(jobcenter_id)):
        request_refit(jobcenter_id, force=False)
    if fit is None or (fit.params or {}).get("model") != MODEL_VERSION:
        return None
    return fit.params


def estimate_many(
    candidates: list[tuple[Location, datetime, datetime]],
) -> list[Estimate]:
    """Estimates for several planned dates: one or two queries (see ``current_params``),
    two more before the first fit."""
    params = current_params()
    if params is not None and not params.get("observations"):
        return [_fallback(0.0, 0) for _ in candidates]
    if params is None:
        fallback = _fallback(*history.programme_mean())
        return [fallback for _ in candidates]
    return [
        _from_fit(params, location, start, end) for location, start, end in candidates
    ]


def estimate(location: Location, start: datetime, end: datetime) -> Estimate:
    return estimate_many([(location, start, end)])[0]
