"""The rolling-origin backtest: honest (no date sees its own month), better than
both baselines on data with real effects, a calibrated 80 % range, and the
command's output."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from planning import backtest, estimates
from tests.planning import synthetic
from tests.planning.helpers import store_synthetic


@pytest.fixture(scope="module")
def dates():
    return synthetic.held_dates(900, seed=11)


@pytest.fixture(scope="module")
def result(dates):
    return backtest.run(dates, {})


def test_the_model_beats_both_baselines(result):
    summary = result.as_json()
    model = summary["model"]["mae"]
    assert model < summary["baselines"]["programme_mean"]["mae"]
    assert model < summary["baselines"]["location_mean"]["mae"]


def test_the_80_percent_range_covers_between_70_and_90_percent(result):
    assert 0.70 <= result.coverage <= 0.90


def test_dates_are_scored_once_enough_came_before(dates, result):
    first_scored = result.rows[0].day
    before = [o for o in dates if o.end.date() < first_scored.replace(day=1)]
    assert len(before) >= backtest.MIN_HISTORY
    assert result.events == sum(1 for o in dates if o.start.date() >= first_scored)


def test_no_date_is_predicted_from_itself_or_later_ones(dates, result):
    """Changing the last month's counts changes none of the earlier predictions."""
    last = max(o.start.date() for o in dates).replace(day=1)
    changed = [
        o
        if o.start.date() < last
        else synthetic.history_replace(o, contacts=o.contacts * 10 + 50)
        for o in dates
    ]
    again = backtest.run(changed, {})
    before = [r.predicted for r in result.rows if r.day < last]
    after = [r.predicted for r in again.rows if r.day < last]
    assert before == after


def test_the_monthly_summary():
    rows = [
        backtest.Row(date(2025, 3, 4), 1, 10.0, 6, 14, 12, 9.0, 11.0),
        backtest.Row(date(2025, 3, 20), 1, 10.0, 6, 14, 20, 9.0, 11.0),
        backtest.Row(date(2025, 4, 1), 2, 5.0, 2, 9, 5, 9.0, 9.0),
    ]
    assert backtest.monthly_summary(rows) == [
        ["2025-03", 2, 6.0, 0.5],
        ["2025-04", 1, 0.0, 1.0],
    ]


@pytest.mark.django_db
def test_the_command_prints_the_json_the_issue_asks_for():
    store_synthetic(240, seed=3)
    out = StringIO()
    call_command("plan_backtest", "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert set(summary) == {"events", "model", "baselines"}
    assert set(summary["model"]) == {"mae", "coverage_80"}
    assert set(summary["baselines"]) == {"programme_mean", "location_mean"}
    assert set(summary["baselines"]["programme_mean"]) == {"mae"}
    assert set(summary["baselines"]["location_mean"]) == {"mae"}
    assert summary["events"] > 100
    assert 0 <= summary["model"]["coverage_80"] <= 1
    table = StringIO()
    call_command("plan_backtest", stdout=table)
    text = table.getvalue()
    assert f"{summary['events']} held dates" in text
    assert "| model |" in text and "| location mean |" in text


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_jobcenter():
    with pytest.raises(CommandError, match="No Jobcenter"):
        call_command("plan_backtest", "--jobcenter", "nirgendwo")


@pytest.mark.django_db
def test_the_command_on_an_empty_history():
    out = StringIO()
    call_command("plan_backtest", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "events": 0,
        "model": {"mae": None, "coverage_80": None},
        "baselines": {"programme_mean": {"mae": None}, "location_mean": {"mae": None}},
    }


@pytest.mark.django_db
def test_accuracy_by_month_comes_with_the_stored_fit(django_assert_num_queries):
    cache.clear()
    assert backtest.accuracy_by_month() == []  # no fit yet
    store_synthetic(240, seed=3)
    estimates.store_fit()
    cache.clear()
    with django_assert_num_queries(2):  # the fit and the data version
        months = backtest.accuracy_by_month()
    assert months
    first, dates_, mae, coverage = months[0]
    assert first.day == 1 and dates_ > 0 and mae >= 0 and 0 <= coverage <= 1
    assert sum(m[1] for m in months) == backtest.run().events
    cache.clear()
