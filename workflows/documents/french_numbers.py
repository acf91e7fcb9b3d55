"""Numbers and amounts in French words, traditional spelling (the one of the
administrative forms: hyphens only below one hundred, "vingt et un", "deux cents",
"quatre-vingts", "deux cent mille", "deux cents millions").

Written here rather than taken from num2words: the rules fit in a screen, and
num2words says "zéro euros" and brings a docopt dependency.
"""

from decimal import ROUND_HALF_UP, Decimal

UNITS = (
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
    "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize",
)
TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}
CENT = Decimal("0.01")


def _below_100(n: int) -> str:
    if n < 17:
        return UNITS[n]
    if n < 20:
        return "dix-" + UNITS[n - 10]
    tens, unit = divmod(n, 10)
    if tens == 7:
        return "soixante et onze" if unit == 1 else "soixante-" + _below_100(10 + unit)
    if tens == 8:
        return "quatre-vingts" if unit == 0 else "quatre-vingt-" + UNITS[unit]
    if tens == 9:
        return "quatre-vingt-" + _below_100(10 + unit)
    if unit == 0:
        return TENS[tens]
    if unit == 1:
        return TENS[tens] + " et un"
    return TENS[tens] + "-" + UNITS[unit]


def _below_1000(n: int, before_mille: bool = False) -> str:
    """`before_mille`: "mille" is an invariable adjective, so "deux cent mille"
    and "quatre-vingt mille" lose their plural s (million and milliard are nouns
    and keep it)."""
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds == 1:
        words.append("cent")
    elif hundreds > 1:
        plural = rest == 0 and not before_mille
        words.append(UNITS[hundreds] + (" cents" if plural else " cent"))
    if rest:
        tail = _below_100(rest)
        if rest == 80 and before_mille:
            tail = "quatre-vingt"
        words.append(tail)
    return " ".join(words)


def integer_in_words(n: int) -> str:
    """27 -> "vingt-sept", 1_000_000 -> "un million"."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"entier attendu, reçu {n!r}")
    if n < 0:
        return "moins " + integer_in_words(-n)
    if n == 0:
        return UNITS[0]
    words = []
    for scale, name in ((10**9, "milliard"), (10**6, "million")):
        count, n = divmod(n, scale)
        if count:
            words.append(f"{integer_in_words(count)} {name}{'s' if count > 1 else ''}")
    thousands, n = divmod(n, 1000)
    if thousands == 1:
        words.append("mille")
    elif thousands:
        words.append(_below_1000(thousands, before_mille=True) + " mille")
    if n:
        words.append(_below_1000(n))
    return " ".join(words)


def ordinal_day(day: int) -> str:
    """Day of the month as said in a date: "premier", "deux", "vingt et un"."""
    return "premier" if day == 1 else integer_in_words(day)


def _with_unit(count: int, singular: str, plural: str) -> str:
    words = integer_in_words(count)
    unit = singular if count in (0, 1) else plural
    if words.endswith(("million", "millions", "milliard", "milliards")):
        return f"{words} d'{unit}" if unit[0] in "aeéiou" else f"{words} de {unit}"
    return f"{words} {unit}"


def amount_in_words(amount: Decimal) -> str:
    """Decimal("208000") -> "deux cent huit mille euros";
    Decimal("1.50") -> "un euro et cinquante centimes"."""
    amount = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    if amount < 0:
        return "moins " + amount_in_words(-amount)
    euros = int(amount)
    cents = int((amount - euros) * 100)
    euro_words = _with_unit(euros, "euro", "euros")
    if not cents:
        return euro_words
    cent_words = _with_unit(cents, "centime", "centimes")
    return cent_words if euros == 0 else f"{euro_words} et {cent_words}"
