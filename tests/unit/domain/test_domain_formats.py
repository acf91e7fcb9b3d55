"""Booklet formats: a stock, a dotation or a handout counted per size (5 or 10 passes)."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.domain.errors import DomainError
from workflows.domain.formats import (
    BookletFormat,
    by_format,
    parse_formats,
    remaining,
    total_booklets,
    total_passes,
)

DETERMINISTIC = settings(derandomize=True, database=None, deadline=None)
STOCK = [{"cheques_par_carnet": 10, "nombre_carnets": 1500}, {"cheques_par_carnet": 5, "nombre_carnets": 500}]


def test_a_stock_of_two_formats_counts_its_passes_per_format():
    formats = parse_formats(STOCK)
    assert formats == (BookletFormat(5, 500), BookletFormat(10, 1500))
    assert (total_booklets(formats), total_passes(formats)) == (2000, 17500)
    assert parse_formats([]) == ()


@pytest.mark.parametrize("raw, message", [
    (2000, "liste des formats attendue"),
    ([{"cheques_par_carnet": 8, "nombre_carnets": 1}], "format de carnet 8 ; un carnet compte 5 ou 10 pass"),
    ([{"cheques_par_carnet": 10, "nombre_carnets": -1}], "nombre de carnets invalide -1"),
    ([{"cheques_par_carnet": 10, "nombre_carnets": 1}, {"cheques_par_carnet": 10, "nombre_carnets": 2}],
     "le format de 10 pass figure deux fois"),
    (["10x1500"], "format invalide"),
])
def test_a_malformed_stock_is_refused_in_french(raw, message):
    with pytest.raises(DomainError, match=message):
        parse_formats(raw, "Stock de carnets")


def test_what_is_left_per_format_and_no_format_overdrawn():
    stock = parse_formats(STOCK)
    assert remaining(stock, [BookletFormat(5, 400), BookletFormat(10, 1000)]) == (
        BookletFormat(5, 100), BookletFormat(10, 500))
    # 2,000 booklets for 2,000 in stock, but 1,600 of 10 for 1,500 of that format.
    with pytest.raises(DomainError, match="1600 carnet\\(s\\) de 10 pass demandé\\(s\\), 1500 en stock"):
        remaining(stock, [BookletFormat(5, 400), BookletFormat(10, 1600)])
    with pytest.raises(DomainError, match="de 5 pass demandé\\(s\\), 0 en stock"):
        remaining(parse_formats(STOCK[:1]), [BookletFormat(5, 1)])


def test_several_lines_of_one_format_add_up():
    assert by_format([BookletFormat(10, 3), BookletFormat(5, 1), BookletFormat(10, 2)]) == (
        BookletFormat(5, 1), BookletFormat(10, 5))


formats = st.lists(st.builds(BookletFormat, st.sampled_from([5, 10]), st.integers(0, 10_000)), max_size=6)


@DETERMINISTIC
@given(formats, formats)
def test_taking_never_creates_nor_loses_passes(stock_lines, taken_lines):
    stock = by_format(stock_lines)
    try:
        left = remaining(stock, taken_lines)
    except DomainError:
        held = {f.size: f.booklets for f in stock}
        assert any(t.booklets > held.get(t.size, 0) for t in by_format(taken_lines))
        return
    assert total_passes(left) + total_passes(taken_lines) == total_passes(stock)
    assert all(f.booklets >= 0 for f in left)
