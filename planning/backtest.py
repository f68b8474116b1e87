"""Honest accuracy: a rolling-origin backtest of the estimate over the held dates.

The held dates are taken in date order, month by month. The dates of a
month are predicted by a model fitted only on the dates that ended before
that month began (a refit per month, each starting from the last fit, keeps
the run to seconds; within a month no date sees another of the same month,
so the model is never told the answer; with more than ``MAX_FITS`` months
the refits are spaced out, see there). Two baselines get the same dates
to learn from: the programme's mean and the place's own mean (the
programme's where the place had none). Months are scored once at least
``MIN_HISTORY`` dates came before them.

Measured: the mean absolute error of each (the expected count against the
counted one) and the share of dates whose count fell inside the stated 80 %
range (the model's only). Passers-by counts are read as they are today for
every month (they describe the place rather than the date).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from planning import estimates, history
from planning.history import Observation

MIN_HISTORY = 30
# At most this many fits: with a long history the model is refitted every
# k-th month (k = months / MAX_FITS, rounded up) and predicts the k months up
# to its next refit from the dates before the first of them.
MAX_FITS = 24


@dataclass(frozen=True)
class Row:
    """One held date predicted from the dates before its month."""

    day: date
    location_id: int
    predicted: float
    low: int
    high: int
    counted: int
    programme_mean: float
    location_mean: float

    @property
    def inside(self) -> bool:
        return self.low <= self.counted <= self.high


@dataclass
class Result:
    rows: list[Row] = field(default_factory=list)

    @property
    def events(self) -> int:
        return len(self.rows)

    def _mae(self, attribute: str) -> float | None:
        if not self.rows:
            return None
        error = sum(abs(getattr(r, attribute) - r.counted) for r in self.rows)
        return round(error / len(self.rows), 2)

    @property
    def coverage(self) -> float | None:
        if not self.rows:
            return None
        return round(sum(r.inside for r in self.rows) / len(self.rows), 3)

    def as_json(self) -> dict:
        return {
            "events": self.events,
            "model": {"mae": self._mae("predicted"), "coverage_80": self.coverage},
            "baselines": {
                "programme_mean": {"mae": self._mae("programme_mean")},
                "location_mean": {"mae": self._mae("location_mean")},
            },
        }


def _month(o: Observation) -> tuple[int, int]:
    return (o.start.year, o.start.month)


def run(
    observations: list[Observation] | None = None,
    slots: dict | None = None,
    *,
    min_history: int = MIN_HISTORY,
) -> Result:
    """Predict every held date from the dates before its month (refit monthly)."""
    observations = history.observations() if observations is None else observations
    slots = history.hourly_rates() if slots is None else slots
    months: dict[tuple[int, int], list[Observation]] = {}
    for o in observations:
        months.setdefault(_month(o), []).append(o)
    result = Result()
    previous = None
    params: dict = {}
    scored = [
        month
        for month in sorted(months)
        if sum(1 for o in observations if o.end.date() < date(*month, 1)) >= min_history
    ]
    every = max(1, -(-len(scored) // MAX_FITS))
    for n, month in enumerate(scored):
        if n % every == 0:  # refit from the dates before this month
            first_day = date(month[0], month[1], 1)
            earlier = [o for o in observations if o.end.date() < first_day]
            params, previous = estimates.fit_params(earlier, slots, start=previous)
        programme = params["programme_mean"]
        sums: dict[int, list[int]] = {}
        for o in earlier:
            sums.setdefault(o.location_id, []).append(o.contacts)
        for o in months[month]:
            expected, low, high, _factors = estimates.predict(
                params,
                location_id=o.location_id,
                district_id=o.district_id,
                foot_traffic=o.foot_traffic,
                start=o.start,
                end=o.end,
            )
            own = sums.get(o.location_id)
            result.rows.append(
                Row(
                    day=o.start.date(),
                    location_id=o.location_id,
                    predicted=round(expected, 2),
                    low=low,
                    high=high,
                    counted=o.contacts,
                    programme_mean=round(programme, 2),
                    location_mean=round(sum(own) / len(own), 2)
                    if own
                    else round(programme, 2),
                )
            )
    return result


def monthly_summary(rows: list[Row]) -> list[list]:
    """Per month: ["2025-03", dates, MAE, share inside the 80 % range] (JSON-ready)."""
    by_month: dict[str, list[Row]] = {}
    for row in rows:
        by_month.setdefault(f"{row.day:%Y-%m}", []).append(row)
    return [
        [
            month,
            len(group),
            round(sum(abs(r.predicted - r.counted) for r in group) / len(group), 2),
            round(sum(r.inside for r in group) / len(group), 3),
        ]
        for month, group in sorted(by_month.items())
    ]


def accuracy_by_month() -> list[tuple[date, int, float, float]]:
    """The model's accuracy so far, per month: (first day, dates, MAE, coverage of the 80 % range).

    Computed by the background refit with the backtest and stored with the
    fit (so it follows the history's data version); two queries, no fitting.
    Empty before the first fit.
    """
    params = estimates.current_params() or {}
    return [
        (date(int(month[:4]), int(month[5:7]), 1), n, mae, coverage)
        for month, n, mae, coverage in params.get("accuracy", [])
    ]
