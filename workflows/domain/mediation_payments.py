"""Monthly payment of the mediation places for the passes they redeemed.

APTIC's terms (docs/domain.md#passes-and-the-issuer): places are paid monthly for the passes
scanned the month before. A month is therefore payable from the first day of the next
one, every month from the opening of the campaign until the month in which the passes
stop being accepted. These are the issuer's terms, not law: the schedule is computed
from the campaign's own dates.

Each month and place gets one statement (passes redeemed, amount = passes x face value);
a month is never paid twice, a mandate number pays one statement only, and the places
together never declare more passes than the prescribers handed out to beneficiaries.
"""
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .errors import DomainError
from .french_dates import format_date
from .money import format_eur, to_money

MONTH_NAMES = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
               "septembre", "octobre", "novembre", "décembre")


class PaymentError(DomainError):
    """A payment to a mediation place would break a rule of the monthly statement."""


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise DomainError(f"Mois invalide : {self.month!r}.")

    @classmethod
    def of(cls, day: date) -> "Month":
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text) -> "Month":
        """"2027-09" as a month; anything else is refused in French."""
        try:
            year, month = str(text).split("-")
            return cls(int(year), int(month))
        except (TypeError, ValueError, DomainError):
            raise DomainError(f"Mois invalide : {text!r} (format AAAA-MM attendu).") from None

    def next(self) -> "Month":
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def payable_from(self) -> date:
        """Passes scanned during a month are paid the month after."""
        return self.next().first_day

    @property
    def label(self) -> str:
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def payment_schedule(opening: date, acceptance_end: date) -> tuple[Month, ...]:
    """The months to pay: from the month the campaign opens to the month in which the
    passes are accepted for the last time, each payable on the first day of the next."""
    if acceptance_end < opening:
        raise DomainError(f"Fin d'acceptation des passes ({format_date(acceptance_end)}) antérieure "
                          f"à l'ouverture de la campagne ({format_date(opening)}).")
    months, month = [], Month.of(opening)
    while month <= Month.of(acceptance_end):
        months.append(month)
        month = month.next()
    return tuple(months)


@dataclass(frozen=True)
class Statement:
    """What a place is owed for a month: its redeemed passes at face value."""

    place: str
    month: Month
    passes: int
    amount: Decimal


@dataclass(frozen=True)
class Payment:
    place: str
    month: Month
    passes: int
    amount: Decimal
    mandate: str
    paid_on: date


# What bounds the redemptions when no other bound is named: the passes that exist.
PURCHASED = "passes achetés"


def statement(place: str, month: Month, passes: int, face_value, payments: Iterable[Payment] = (),
              declared: int = 0, ceiling: int | None = None, bound: str = PURCHASED) -> Statement:
    """The statement of ``place`` for ``month``.

    ``payments`` are those already made (a month paid is never stated again);
    ``declared`` the passes the places declared so far, which with ``passes`` may not
    exceed ``ceiling`` when it is given; ``bound`` says in French what the ceiling counts
    (the passes handed out to beneficiaries, in the campaign).
    """
    if not place or not str(place).strip():
        raise DomainError("Lieu de médiation non renseigné.")
    if isinstance(passes, bool) or not isinstance(passes, int) or passes < 0:
        raise DomainError(f"{place} : nombre de passes encaissés invalide {passes!r}.")
    _refuse_paid_twice(place, month, payments)
    if ceiling is not None and declared + passes > ceiling:
        raise PaymentError(f"{place} : {passes} passes déclarés pour {month.label} portent le total "
                           f"des passes encaissés à {declared + passes}, au-delà des {ceiling} "
                           f"{bound}. Corrigez la déclaration du lieu.")
    value = to_money(face_value)
    if value <= 0:
        raise DomainError(f"Valeur faciale invalide : {face_value!r}.")
    return Statement(place, month, passes, to_money(value * passes))


def pay(line: Statement, mandate: str, paid_on: date, payments: Iterable[Payment] = ()) -> Payment:
    """The payment of a statement: once per place and month, after the month is over,
    for exactly the passes redeemed."""
    if line.passes == 0:
        raise PaymentError(f"{line.place} : aucun pass encaissé en {line.month.label}, rien à payer.")
    if not isinstance(mandate, str) or not mandate.strip():
        raise PaymentError(f"{line.place} : le numéro de mandat est obligatoire.")
    if paid_on < line.month.payable_from:
        raise PaymentError(f"{line.place} : les passes de {line.month.label} se paient à partir du "
                           f"{format_date(line.month.payable_from)}, le mois écoulé ; mandat daté du "
                           f"{format_date(paid_on)}.")
    payments = tuple(payments)
    _refuse_paid_twice(line.place, line.month, payments)
    _refuse_mandate_reused(line.place, line.month, mandate.strip(), payments)
    return Payment(line.place, line.month, line.passes, line.amount, mandate.strip(), paid_on)


def _refuse_paid_twice(place: str, month: Month, payments: Iterable[Payment]) -> None:
    for payment in payments:
        if payment.place == place and payment.month == month:
            raise PaymentError(f"{place} : les passes de {month.label} ont déjà été payés "
                               f"({format_eur(payment.amount)}, mandat {payment.mandate} du "
                               f"{format_date(payment.paid_on)}) ; un mois n'est payé qu'une fois.")


def _refuse_mandate_reused(place: str, month: Month, mandate: str, payments: Iterable[Payment]) -> None:
    for payment in payments:
        if payment.mandate == mandate:
            raise PaymentError(f"{place} ({month.label}) : le mandat {mandate} a déjà servi à payer "
                               f"{payment.place} pour {payment.month.label} ({format_eur(payment.amount)}, "
                               f"le {format_date(payment.paid_on)}) ; un numéro de mandat ne paie qu'un "
                               "relevé : indiquez le numéro du mandat émis pour ce paiement.")


def settle_month(earlier: Iterable[Payment], month_payments: Iterable[Payment]) -> tuple[Payment, ...]:
    """The payments of the campaign once a month's are added: each place is paid once per
    month and each mandate number pays one statement, the month's payments among
    themselves as with the months already closed."""
    settled: list[Payment] = list(earlier)
    for payment in month_payments:
        _refuse_paid_twice(payment.place, payment.month, settled)
        _refuse_mandate_reused(payment.place, payment.month, payment.mandate, settled)
        settled.append(payment)
    return tuple(settled)


def repeated(names: Iterable[str]) -> dict[str, int]:
    """The names given more than once, with how many times (first-seen order); names are
    compared without surrounding spaces nor case."""
    seen: dict[str, list[str]] = {}
    for name in names:
        seen.setdefault(" ".join(str(name).split()).casefold(), []).append(str(name).strip())
    return {spellings[0]: len(spellings) for spellings in seen.values() if len(spellings) > 1}


def check_distinct_places(places: Iterable[str]) -> None:
    """Each mediation place once: a place listed twice would be stated and paid twice."""
    twice = repeated(places)
    if twice:
        listed = ", ".join(f"« {name} » ({count} fois)" for name, count in twice.items())
        raise PaymentError(f"Lieux de médiation en double : {listed}. Un lieu déclaré deux fois serait "
                           "payé deux fois pour le même mois : gardez une seule fois chaque lieu dans la "
                           "liste des lieux de médiation (conventions des partenaires) et relancez la "
                           "distribution.")


@dataclass(frozen=True)
class PlaceBalance:
    """Paid vs redeemed for one place over the campaign."""

    place: str
    redeemed: int
    paid_passes: int
    paid: Decimal
    outstanding_passes: int
    outstanding: Decimal


def balances(redeemed: Mapping[str, int], payments: Iterable[Payment], face_value) -> tuple[PlaceBalance, ...]:
    """Per place (those that redeemed or were paid): passes redeemed, paid, and what is
    left to pay; a place paid beyond what it redeemed has a negative balance."""
    value = to_money(face_value)
    paid_passes, paid = {}, {}
    for payment in payments:
        paid_passes[payment.place] = paid_passes.get(payment.place, 0) + payment.passes
        paid[payment.place] = paid.get(payment.place, Decimal("0.00")) + payment.amount
    places = sorted(set(redeemed) | set(paid))
    result = []
    for place in places:
        count, done = redeemed.get(place, 0), paid_passes.get(place, 0)
        result.append(PlaceBalance(place, count, done, to_money(paid.get(place, 0)), count - done,
                                   to_money(value * count - paid.get(place, 0))))
    return tuple(result)


def balance_finding(lines: Iterable[PlaceBalance]) -> str:
    """One French sentence on the places' payments: all paid, or who is owed / overpaid."""
    lines = tuple(lines)
    overpaid = [b for b in lines if b.outstanding_passes < 0]
    owed = [b for b in lines if b.outstanding_passes > 0]
    if overpaid:
        return " ".join(f"{b.place} : {b.paid_passes} passes payés pour {b.redeemed} encaissés, "
                        f"trop-perçu de {format_eur(-b.outstanding)} à recouvrer." for b in overpaid)
    if owed:
        return " ".join(f"{b.place} : {b.outstanding_passes} passes encaissés restent à payer "
                        f"({format_eur(b.outstanding)})." for b in owed)
    total = sum((b.paid for b in lines), Decimal("0.00"))
    return f"Lieux de médiation payés de tous les passes encaissés : {format_eur(total)}."
