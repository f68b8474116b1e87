import pytest

from events.geo import distance_km


def test_same_point_is_zero():
    assert distance_km(48.8915, 8.7156, 48.8915, 8.7156) == 0


def test_pforzheim_to_karlsruhe_is_about_25_km():
    # Marktplatz Pforzheim to Marktplatz Karlsruhe: 25.4 km as the crow flies.
    assert distance_km(48.8922, 8.7047, 49.0094, 8.4044) == pytest.approx(25.4, abs=0.3)


def test_symmetric_and_accepts_decimals():
    from decimal import Decimal

    there = distance_km(Decimal("48.894400"), Decimal("8.718600"), 48.8825, 8.7388)
    back = distance_km(48.8825, 8.7388, Decimal("48.894400"), Decimal("8.718600"))
    assert there == pytest.approx(back)
    assert 1.5 < there < 2.5
