"""Reading spreadsheets of past dates and of pedestrian counters.

One reader for the command line and the admin, in three steps:

1. ``read_table`` turns the bytes of a CSV file (``;``, ``,`` or tab; UTF-8
   with or without BOM, UTF-16 or Windows-1252 as Excel writes them) or of an
   XLSX workbook (its first sheet) into a header and numbered rows; a file
   that is none of these is refused as a whole (``FileProblem``).
2. ``parse_history`` / ``parse_counter`` read each cell (German and ISO
   dates, ``10:00`` and ``10.00``, ``1.234``) into plain values, every bad
   cell an error with its line number.
3. ``plan_history`` / ``plan_counter`` compare with what is stored and say
   for each row what importing it does: created, updated or unchanged (the
   unique constraints decide what "the same" is); ``apply_*`` stores a plan
   without errors in one transaction. Nothing is stored of a file with an
   error.

The parsed rows are plain data (``to_payload``/``from_payload``): the admin
carries them, signed, from the preview to the confirmation, and the plan is
made again against the database as it is then.
"""

from planning.imports.counter import (
    CounterHour,
    import_counter,
    parse_counter,
    parse_timestamp,
    plan_counter,
    run_counter,
)
from planning.imports.history import (
    HistoryRow,
    import_history,
    parse_history,
    plan_history,
    run_history,
)
from planning.imports.reading import (
    MAX_COUNTER_ROWS,
    MAX_FILE_BYTES,
    MAX_HISTORY_ROWS,
    CellError,
    FileProblem,
    Outcome,
    Parsed,
    Plan,
    RowError,
    Table,
    parse_count,
    parse_date,
    parse_time,
    read_table,
    street_key,
)

__all__ = [
    "MAX_COUNTER_ROWS",
    "MAX_FILE_BYTES",
    "MAX_HISTORY_ROWS",
    "CellError",
    "CounterHour",
    "FileProblem",
    "HistoryRow",
    "Outcome",
    "Parsed",
    "Plan",
    "RowError",
    "Table",
    "import_counter",
    "import_history",
    "parse_count",
    "parse_counter",
    "parse_date",
    "parse_history",
    "parse_time",
    "parse_timestamp",
    "plan_counter",
    "plan_history",
    "read_table",
    "run_counter",
    "run_history",
    "street_key",
]
