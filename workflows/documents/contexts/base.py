"""The shape every context builder shares.

A builder turns the plain instance data of a process (JSON-like: strings, numbers,
ISO dates, lists, dicts) into the context of one template. It declares the keys it
requires, so missing input fails early with every missing key named, and the keys
it provides, so `checks.check_templates` can compare them with the variables the
template uses without rendering anything. A builder may also declare how it reads
the variables of the processes of bpmn/ (`from_process`, see `process.py`): they
are turned into its input keys before anything is checked.
"""

import inspect
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Callable, Mapping

from ...domain.errors import DomainError
from ...domain.legal_delays import legal_value
from ...domain.money import percentage_as_rate
from ..errors import InvalidData, MissingData
from ..formatting import to_date, to_decimal
from ..french_numbers import integer_in_words

ALWAYS_PROVIDED = frozenset({"collectivite", "reference"})


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class InputData:
    """Read access to the instance data, with conversions that fail in French."""

    def __init__(self, values: Mapping, document: str):
        self.values = values
        self.document = document

    def __getitem__(self, key: str):
        value = self.values.get(key)
        if _blank(value):
            raise MissingData(self.document, [key])
        return value

    def get(self, key: str, default=None):
        value = self.values.get(key)
        return default if _blank(value) else value

    def text(self, key: str, default: str | None = None) -> str:
        value = self[key] if default is None else self.get(key, default)
        return str(value).strip()

    def date(self, key: str, optional: bool = False) -> date | None:
        value = self.get(key) if optional else self[key]
        return None if value is None else self.convert(to_date, key, value)

    def decimal(self, key: str, default=None) -> Decimal:
        value = self[key] if default is None else self.get(key, default)
        return self.convert(to_decimal, key, value)

    def decimal_of(self, label: str, value) -> Decimal:
        """Convert a value found inside a list or a dict (`label` names it)."""
        return self.convert(to_decimal, label, value)

    def rate(self, key: str) -> Decimal | None:
        """A percentage the input states (50) as the domain's rate (0.5); None when absent."""
        value = self.get(key)
        return None if value is None else self.convert(_rate_of_percentage, key, value)

    def integer(self, key: str, default: int | None = None) -> int:
        number = self.decimal(key, default)
        if number != number.to_integral_value() or number < 0:
            raise InvalidData(f"« {key} » doit être un entier positif : {number}.")
        return int(number)

    def flag(self, key: str, default: bool = False) -> bool:
        return bool(self.get(key, default))

    def texts(self, key: str, default: list | None = None) -> list[str]:
        values = self[key] if default is None else self.get(key, default)
        if isinstance(values, str) or not isinstance(values, list):
            raise InvalidData(f"« {key} » doit être une liste.")
        return [str(item).strip() for item in values]

    def record(self, key: str, fields: tuple[str, ...]) -> dict:
        """A dict whose `fields` are all present (others kept as given)."""
        value = self[key]
        if not isinstance(value, Mapping):
            raise InvalidData(f"« {key} » doit être un objet.")
        missing = [f"{key}.{field}" for field in fields if _blank(value.get(field))]
        if missing:
            raise MissingData(self.document, missing)
        return dict(value)

    def records(self, key: str, fields: tuple[str, ...], optional=False) -> list[dict]:
        """A list of dicts whose `fields` are all present (others kept as given)."""
        rows = self.get(key, []) if optional else self[key]
        if not isinstance(rows, list) or not all(isinstance(r, Mapping) for r in rows):
            raise InvalidData(f"« {key} » doit être une liste d'objets.")
        missing = [
            f"{key}[{index}].{field}"
            for index, row in enumerate(rows, start=1)
            for field in fields
            if _blank(row.get(field))
        ]
        if missing:
            raise MissingData(self.document, missing)
        return [dict(row) for row in rows]

    def convert(self, convert, key, value):
        try:
            return convert(value)
        except InvalidData as error:
            raise InvalidData(f"« {key} » : {error}") from error


def _rate_of_percentage(value) -> Decimal:
    try:
        return percentage_as_rate(to_decimal(value))
    except DomainError as error:
        raise InvalidData(str(error)) from error


@dataclass(frozen=True)
class ContextBuilder:
    function: Callable[[InputData], dict]
    requires: tuple[str, ...]
    provides: frozenset[str]
    from_process: Callable[[Mapping], Mapping] | None = None

    @property
    def description(self) -> str:
        return inspect.getdoc(self.function) or ""

    def __call__(self, values: Mapping, document: str) -> dict:
        if self.from_process is not None:
            values = self.from_process(values)
        missing = [key for key in self.requires if _blank(values.get(key))]
        if missing:
            raise MissingData(document, missing)
        context = self.function(InputData(values, document))
        undeclared = set(context) ^ self.provides
        if undeclared:  # a programming error: the declaration must stay honest
            raise RuntimeError(
                f"{self.function.__name__}: clés déclarées et fournies différentes "
                f"{sorted(undeclared)}"
            )
        return context


def context_builder(*, requires: tuple[str, ...], provides: tuple[str, ...], doc_suffix="",
                    from_process: Callable[[Mapping], Mapping] | None = None):
    """Declare a builder; "collectivite" and "reference" are always provided.
    `doc_suffix` appends input keys shared by several builders to the docstring;
    `from_process` turns the variables of a process into input keys."""

    def declare(function):
        function.__doc__ = (function.__doc__ or "") + doc_suffix
        return ContextBuilder(function, tuple(requires), frozenset(provides) | ALWAYS_PROVIDED,
                              from_process)

    return declare


def appeal_period(on: date | None) -> str:
    """The period of appeal as the texts state it (« deux mois »), from the dated legal
    delays in force on `on` (the act's date; the latest when it is not known yet)."""
    period = legal_value("recours_mois", on or date.max)
    return f"{integer_in_words(period.value)} {period.unit}"


def in_columns(names: list[str], columns: int = 3) -> list[list[str]]:
    """Names laid out in rows of `columns` cells (the last row padded with "")."""
    rows = [names[i:i + columns] for i in range(0, len(names), columns)]
    return [row + [""] * (columns - len(row)) for row in rows]

