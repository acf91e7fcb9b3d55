"""Monthly payment of the mediation places: passes scanned during a month are paid the
month after, each month once, never beyond what was redeemed."""
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.domain.errors import DomainError
from workflows.domain.mediation_payments import (
    Month,
    PaymentError,
    Payment,
    balance_finding,
    balances,
    check_distinct_places,
    pay,
    payment_schedule,
    repeated,
    settle_month,
    statement,
)

DETERMINISTIC = settings(derandomize=True, database=None, deadline=None)
NOVEMBER, DECEMBER, JANUARY = Month(2027, 11), Month(2027, 12), Month(2028, 1)
MEDIATHEQUE, CYBER = "Médiathèque de Trinité", "Cyber-base du Lorrain"


def test_a_month_is_payable_from_the_first_day_of_the_next():
    assert (NOVEMBER.payable_from, DECEMBER.payable_from) == (date(2027, 12, 1), date(2028, 1, 1))
    assert (str(DECEMBER), DECEMBER.label, DECEMBER.next()) == ("2027-12", "décembre 2027", JANUARY)
    assert Month.parse("2028-01") == JANUARY and Month.of(date(2028, 1, 31)) == JANUARY


@pytest.mark.parametrize("text", ["2027-13", "2027/11", "novembre", None])
def test_an_invalid_month_is_refused_in_french(text):
    with pytest.raises(DomainError, match="Mois invalide"):
        Month.parse(text)


def test_the_schedule_runs_from_the_opening_to_the_month_of_the_acceptance_end():
    # Campaign opened on 24 August 2027, passes accepted until 31 January 2028: six months.
    months = payment_schedule(date(2027, 8, 24), date(2028, 1, 31))
    assert [str(m) for m in months] == ["2027-08", "2027-09", "2027-10", "2027-11", "2027-12", "2028-01"]
    assert months[-1].payable_from == date(2028, 2, 1)
    assert payment_schedule(date(2028, 1, 5), date(2028, 1, 31)) == (JANUARY,)
    with pytest.raises(DomainError, match="antérieure à l'ouverture"):
        payment_schedule(date(2028, 2, 1), date(2028, 1, 31))


def test_a_statement_is_the_passes_at_face_value():
    line = statement(MEDIATHEQUE, NOVEMBER, 12, Decimal("10.00"))
    assert (line.passes, line.amount) == (12, Decimal("120.00"))
    assert statement(CYBER, NOVEMBER, 0, 10).amount == Decimal("0.00")


@pytest.mark.parametrize("passes", [-1, 2.5, True, None])
def test_a_statement_refuses_an_impossible_count(passes):
    with pytest.raises(DomainError, match="nombre de passes encaissés invalide"):
        statement(MEDIATHEQUE, NOVEMBER, passes, 10)


def test_no_statement_beyond_the_passes_purchased():
    assert statement(MEDIATHEQUE, JANUARY, 5, 10, declared=95, ceiling=100).passes == 5
    with pytest.raises(PaymentError, match="portent le total des passes encaissés à 101, au-delà des 100"):
        statement(MEDIATHEQUE, JANUARY, 6, 10, declared=95, ceiling=100)


def test_a_payment_comes_after_the_month_once_and_for_the_statement_s_amount():
    line = statement(MEDIATHEQUE, NOVEMBER, 12, 10)
    with pytest.raises(PaymentError, match="se paient à partir du 1er décembre 2027"):
        pay(line, "M2027-11001", date(2027, 11, 30))
    paid = pay(line, " M2027-12001 ", date(2027, 12, 8))
    assert (paid.passes, paid.amount, paid.mandate) == (12, Decimal("120.00"), "M2027-12001")
    with pytest.raises(PaymentError, match="ont déjà été payés .*un mois n'est payé qu'une fois"):
        pay(line, "M2027-12002", date(2027, 12, 9), [paid])
    with pytest.raises(PaymentError, match="ont déjà été payés"):
        statement(MEDIATHEQUE, NOVEMBER, 3, 10, [paid])
    # Another place, or another month, is not the same statement.
    assert pay(statement(CYBER, NOVEMBER, 1, 10), "M2", date(2027, 12, 8), [paid]).amount == Decimal("10.00")
    assert pay(statement(MEDIATHEQUE, DECEMBER, 1, 10), "M3", date(2028, 1, 2), [paid]).month == DECEMBER


def test_nothing_is_paid_for_a_month_without_passes_nor_without_a_mandate_number():
    with pytest.raises(PaymentError, match="aucun pass encaissé en novembre 2027, rien à payer"):
        pay(statement(CYBER, NOVEMBER, 0, 10), "M1", date(2027, 12, 8))
    with pytest.raises(PaymentError, match="numéro de mandat est obligatoire"):
        pay(statement(CYBER, NOVEMBER, 2, 10), "  ", date(2027, 12, 8))


def test_balances_compare_what_was_paid_with_what_was_redeemed():
    november = pay(statement(MEDIATHEQUE, NOVEMBER, 15, 10), "M1", date(2027, 12, 3))
    december = pay(statement(MEDIATHEQUE, DECEMBER, 5, 10), "M2", date(2028, 1, 6))
    [line] = balances({MEDIATHEQUE: 25}, [november, december], 10)
    assert (line.redeemed, line.paid_passes, line.paid) == (25, 20, Decimal("200.00"))
    assert (line.outstanding_passes, line.outstanding) == (5, Decimal("50.00"))
    assert balance_finding([line]) == "Médiathèque de Trinité : 5 passes encaissés restent à payer (50,00\u00a0€)."
    [even] = balances({MEDIATHEQUE: 20}, [november, december], 10)
    assert balance_finding([even]) == "Lieux de médiation payés de tous les passes encaissés : 200,00\u00a0€."
    [over] = balances({MEDIATHEQUE: 18}, [november, december], 10)
    assert balance_finding([over]) == ("Médiathèque de Trinité : 20 passes payés pour 18 encaissés, trop-perçu "
                                       "de 20,00\u00a0€ à recouvrer.")
    # A place paid but absent from the redemptions is listed too.
    assert [b.place for b in balances({CYBER: 3}, [november], 10)] == [CYBER, MEDIATHEQUE]


# --- properties ---------------------------------------------------------------------------

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@DETERMINISTIC
@given(days, st.integers(min_value=0, max_value=800))
def test_the_schedule_has_each_month_once_without_gap(opening, length):
    end = date.fromordinal(opening.toordinal() + length)
    months = payment_schedule(opening, end)
    assert months[0] == Month.of(opening) and months[-1] == Month.of(end)
    assert all(b == a.next() for a, b in zip(months, months[1:]))
    assert len(months) == (end.year - opening.year) * 12 + end.month - opening.month + 1
    # Every month is paid after it ended, the last one after the acceptance end.
    assert all(m.payable_from > date(m.year, m.month, 1) for m in months)
    assert months[-1].payable_from > end


@DETERMINISTIC
@given(st.lists(st.tuples(st.sampled_from([MEDIATHEQUE, CYBER]), st.integers(0, 23),
                          st.integers(min_value=0, max_value=500)), max_size=30),
       st.sampled_from([Decimal("10.00"), Decimal("12.50")]))
def test_paying_every_statement_pays_exactly_what_was_redeemed_once_per_month(declarations, face_value):
    payments, redeemed = [], {}
    for place, offset, passes in declarations:
        month = Month(2027 + offset // 12, offset % 12 + 1)
        try:
            line = statement(place, month, passes, face_value, payments)
        except PaymentError:
            assert any(p.place == place and p.month == month for p in payments)
            continue
        redeemed[place] = redeemed.get(place, 0) + passes
        if passes:
            payments.append(pay(line, f"M{len(payments)}", month.payable_from, payments))
    assert len({(p.place, p.month) for p in payments}) == len(payments)
    for line in balances(redeemed, payments, face_value):
        assert line.paid_passes == line.redeemed and line.outstanding == 0
        assert line.paid == face_value * line.redeemed


# --- mandates, places, ceiling named --------------------------------------------------------


def test_the_ceiling_is_named_in_the_refusal():
    with pytest.raises(PaymentError, match="au-delà des 105 passes remis aux bénéficiaires\\. Corrigez"):
        statement(MEDIATHEQUE, JANUARY, 2000, 10, declared=0, ceiling=105, bound="passes remis aux bénéficiaires")


def test_a_mandate_number_is_never_used_twice():
    november = pay(statement(MEDIATHEQUE, NOVEMBER, 4, 10), "M1", date(2027, 12, 2))
    with pytest.raises(PaymentError, match="le mandat M1 a déjà servi à payer Médiathèque de Trinité pour novembre 2027"):
        pay(statement(CYBER, NOVEMBER, 2, 10), " M1 ", date(2027, 12, 2), [november])
    cyber = pay(statement(CYBER, NOVEMBER, 2, 10), "M2", date(2027, 12, 2), [november])
    assert settle_month([], [november, cyber]) == (november, cyber)
    with pytest.raises(PaymentError, match="le mandat M1 a déjà servi"):
        settle_month([november], [Payment(CYBER, DECEMBER, 1, Decimal("10.00"), "M1", date(2028, 1, 3))])
    with pytest.raises(PaymentError, match="les passes de novembre 2027 ont déjà été payés"):
        settle_month([], [november, Payment(MEDIATHEQUE, NOVEMBER, 4, Decimal("40.00"), "M9", date(2027, 12, 3))])


def test_places_are_distinct_whatever_the_spacing_or_case():
    assert repeated(["A", "B"]) == {}
    assert repeated(["Médiathèque  de Trinité", "B", "médiathèque de trinité", "B"]) == {
        "Médiathèque  de Trinité": 2, "B": 2}
    check_distinct_places([MEDIATHEQUE, CYBER])
    with pytest.raises(PaymentError, match="Lieux de médiation en double : « Cyber-base du Lorrain » \\(2 fois\\)"):
        check_distinct_places([CYBER, MEDIATHEQUE, CYBER])


@DETERMINISTIC
@given(st.lists(st.tuples(st.sampled_from([MEDIATHEQUE, CYBER, "EPN du Nord"]), st.integers(0, 5),
                          st.sampled_from(["M1", "M2", "M3", "M4", "M5", "M6"])), max_size=12))
def test_settled_payments_are_once_per_place_and_month_and_once_per_mandate(candidates):
    settled = ()
    for place, offset, mandate in candidates:
        payment = Payment(place, Month(2027, offset + 1), 1, Decimal("10.00"), mandate, date(2027, 12, 1))
        try:
            settled = settle_month(settled, [payment])
        except PaymentError:
            assert any((p.place, p.month) == (place, payment.month) or p.mandate == mandate for p in settled)
    assert len({(p.place, p.month) for p in settled}) == len(settled)
    assert len({p.mandate for p in settled}) == len(settled)


@DETERMINISTIC
@given(st.lists(st.integers(min_value=0, max_value=300), min_size=1, max_size=8), st.integers(0, 1000))
def test_the_places_never_declare_beyond_the_ceiling(declarations, ceiling):
    declared = 0
    for n, passes in enumerate(declarations):
        try:
            statement(MEDIATHEQUE, Month(2027, n + 1), passes, 10, declared=declared, ceiling=ceiling)
        except PaymentError:
            assert declared + passes > ceiling
            continue
        declared += passes
    assert declared <= ceiling
