"""Baselines for bench/uncached.py, kept out of the site: a bare Django app
(``reference.bare``) and a reference page (``reference.settings``): a plain
ListView of 20 rows from a 10,000-row table. Run with ``bench/`` on the path.
"""
