"""Script functions of the distribution: dotations per booklet format and the prescribers'
handouts to beneficiaries.

Plain JSON values in and out, a French verb as name, the domain decides (here the booklet
ledger and the allocation rules); the conversions only happen at the edge.
"""
from ..domain.allocation import is_pic_public
from ..domain.calendar import format_date
from ..domain.errors import LedgerError
from ..domain.formats import BookletFormat, booklet_count, booklet_size, by_format, parse_formats, remaining
from ..domain.ledger import Beneficiary, Ledger
from ..domain.passes import Booklet
from .conversions import allocation_rule, day


# Who records the control moves in the throw-away ledger.
CONTROL = "contrôle"


# --- dotations ------------------------------------------------------------------------


def _dotation_format(dotation: dict, where: str | None = None) -> BookletFormat:
    where = where or f"Dotation de {dotation.get('prescripteur')}"
    return BookletFormat(booklet_size(dotation.get("cheques_par_carnet"), where),
                         booklet_count(dotation.get("nombre_carnets"), where, minimum=1))


def verifier_dotations(dotations: list, prescripteurs_conventionnes: list, formats_en_stock: list,
                       date_remise: str) -> str | None:
    """None when every prescriber has a convention de mandat and the stock of each format
    covers the dotations of that format, else every refusal of the booklet ledger, in French.

    ``dotations`` are [{prescripteur, nombre_carnets, cheques_par_carnet}];
    ``formats_en_stock`` [{cheques_par_carnet, nombre_carnets}] as the purchase delivered them.
    """
    on = day(date_remise)
    ledger = Ledger(prescripteurs_conventionnes)
    stand_ins = [Booklet(f"STOCK-{f.size:02d}-{n:06d}", f.size, on.year, "émetteur")
                 for f in parse_formats(formats_en_stock) for n in range(1, f.booklets + 1)]
    if stand_ins:
        ledger.receive(stand_ins, order="stock", by=CONTROL, on=on)
    errors = []
    for dotation in dotations:
        wanted = _dotation_format(dotation)
        try:
            ledger.assign_quantity_to_prescriber(wanted.booklets, dotation["prescripteur"], by=CONTROL,
                                                 on=on, booklet_size=wanted.size)
        except LedgerError as error:
            errors.append(f"{dotation['prescripteur']} : {error}")
    return " ".join(errors) or None


def verifier_dates_executoires(dotations: list, transmissions_conventions: list, date_remise: str) -> str | None:
    """None when every endowed prescriber's convention de mandat was executory on the day
    the booklets are handed to it, else, per prescriber, what is wrong and from when the
    handover may be dated. ``transmissions_conventions`` are the partner conventions
    phase's [{nom, date_executoire, ...}]."""
    on = day(date_remise)
    executory = {t.get("nom"): t.get("date_executoire") for t in transmissions_conventions or []}
    errors = []
    for prescriber in dict.fromkeys(d["prescripteur"] for d in dotations):
        since = executory.get(prescriber)
        if since is None:
            errors.append(f"{prescriber} : aucune date à laquelle sa convention de mandat est devenue "
                          "exécutoire (transmission au contrôle de légalité) : pas de carnets avant qu'elle "
                          "le soit.")
        elif on < day(since):
            errors.append(f"{prescriber} : carnets remis le {format_date(on)}, avant que sa convention de "
                          f"mandat soit exécutoire ({format_date(day(since))}) : datez la remise à partir "
                          f"du {format_date(day(since))}.")
    return " ".join(errors) or None


def calculer_stock_restant(formats_en_stock: list, dotations: list) -> list:
    """The stock left per format once the dotations went out ([{cheques_par_carnet, nombre_carnets}])."""
    left = remaining(parse_formats(formats_en_stock), [_dotation_format(d) for d in dotations])
    return [{"cheques_par_carnet": f.size, "nombre_carnets": f.booklets} for f in left]


def compter_beneficiaires_pic(remises: list) -> int:
    """Distinct beneficiaries of the PIC public (the form's "pic" and the allocation
    rules' publics flagged PIC, such as PLIE job seekers)."""
    return len({r["identifiant_beneficiaire"] for r in remises if is_pic_public(r["public"])})


def compter_par_format(lignes: list) -> list:
    """Booklets and passes per format of dotations or handouts
    ([{cheques_par_carnet, nombre_carnets, nombre_pass}], increasing size)."""
    formats = by_format(_dotation_format(line, _line_name(line)) for line in lignes)
    return [{"cheques_par_carnet": f.size, "nombre_carnets": f.booklets, "nombre_pass": f.passes}
            for f in formats]


def _line_name(line: dict) -> str:
    if "identifiant_beneficiaire" in line:
        return f"Remise à {line['identifiant_beneficiaire']}"
    return f"Dotation de {line.get('prescripteur')}"


# --- handouts -------------------------------------------------------------------------


def _handout_size(remise: dict) -> int:
    return booklet_size(remise.get("cheques_par_carnet"),
                        f"Remise à {remise.get('identifiant_beneficiaire')}")


def verifier_remises(remises: list, dotation: dict, territoire: str | None = None) -> str | None:
    """None when a prescriber's handouts respect its dotation and, per beneficiary, the
    allocation rule of its public (in force on the handout's date, the territory's own
    rule first), else every refusal in French.

    ``dotation`` is {prescripteur, nombre_carnets, cheques_par_carnet}; ``remises`` the
    handouts recorded ({identifiant_beneficiaire, public, date_remise, nombre_carnets,
    cheques_par_carnet}): a handout gives booklets of the dotation's format, and the
    public's rule is checked with the format the handout names. A public without a rule
    in force is bounded by the dotation only.
    """
    held = _dotation_format(dotation)
    prescriber = dotation["prescripteur"]
    if not remises:
        return None
    handouts = sorted(remises, key=lambda r: day(r["date_remise"]))
    first, last = day(handouts[0]["date_remise"]), day(handouts[-1]["date_remise"])
    handed = sum(r["nombre_carnets"] for r in remises)
    if handed > held.booklets:
        return (f"{prescriber} : {handed} carnet(s) remis, {held.booklets} détenu(s) : un prescripteur "
                "ne remet que les carnets qu'il détient.")
    # The ledger counts booklets: numbered stand-ins for the dotation, of the size each
    # handout names, valid the year of the last handout so that only the rules below refuse.
    sizes = [_handout_size(r) for r in handouts for _ in range(r["nombre_carnets"])]
    sizes += [held.size] * (held.booklets - handed)
    serials = [f"DOTATION-{n:06d}" for n in range(1, held.booklets + 1)]
    ledger = Ledger([prescriber])
    ledger.receive((Booklet(serial, size, last.year, "émetteur") for serial, size in zip(serials, sizes)),
                   order="dotation", by=CONTROL, on=first)
    ledger.assign_to_prescriber(serials, prescriber, by=CONTROL, on=first)
    errors = []
    for remise in handouts:
        on = day(remise["date_remise"])
        beneficiary = Beneficiary(remise["identifiant_beneficiaire"], remise["public"], territoire)
        given, serials = serials[:remise["nombre_carnets"]], serials[remise["nombre_carnets"]:]
        try:
            ledger.hand_to_beneficiary(given, prescriber, beneficiary, by=CONTROL, on=on,
                                       allocation=allocation_rule(remise["public"], on, territoire))
        except LedgerError as error:
            errors.append(f"{beneficiary.id} : {error}")
        if _handout_size(remise) != held.size:
            errors.append(f"{beneficiary.id} : carnets de {_handout_size(remise)} pass remis ; "
                          f"{prescriber} détient des carnets de {held.size} pass (sa dotation).")
    return " ".join(errors) or None


def verifier_carnets_rendus(dotation: dict, remises: list, carnets_restitues) -> str | None:
    """None when every booklet of the dotation is either handed out or returned, else how
    many are neither (a prescriber keeps no public money once its report is in)."""
    held = _dotation_format(dotation)
    handed = sum(booklet_count(r.get("nombre_carnets"), f"Remise à {r.get('identifiant_beneficiaire')}")
                 for r in remises or [])
    returned = booklet_count(carnets_restitues, f"Carnets restitués par {dotation['prescripteur']}")
    missing = held.booklets - handed - returned
    if missing > 0:
        return (f"{dotation['prescripteur']} : {missing} carnets ni remis ni restitués : restituez-les ou "
                f"déclarez-les (dotation de {held.booklets} carnets, {handed} remis, {returned} restitués).")
    if missing < 0:
        return (f"{dotation['prescripteur']} : {handed} carnets remis et {returned} restitués, "
                f"{-missing} de plus que les {held.booklets} de la dotation : corrigez les remises ou "
                "les carnets restitués.")
    return None


def compter_passes_remis(bilans_prescripteurs: list) -> int:
    """The passes handed out to beneficiaries according to the prescribers' reports: each
    handout's booklets times the format it names."""
    return sum(booklet_count(r.get("nombre_carnets"), _line_name(r)) * _handout_size(r)
               for bilan in bilans_prescripteurs or [] for r in bilan.get("remises") or [])


def verifier_dotations_mandats(dotations: list, mandats: list) -> str | None:
    """None when every prescriber's dotations stay within its convention de mandat: the
    formats it entrusts and, per format, the number of booklets; else why, in French.
    ``mandats`` are [{nom, formats: [{cheques_par_carnet, nombre_carnets}]}] from the
    partner conventions."""
    entrusted = {(m["nom"], f["cheques_par_carnet"]): f["nombre_carnets"] for m in mandats for f in m["formats"] or []}
    known = {m["nom"] for m in mandats}
    totals = {}
    for dotation in dotations:
        if dotation["prescripteur"] in known:   # one without convention is refused by verifier_dotations
            key = (dotation["prescripteur"], dotation.get("cheques_par_carnet"))
            totals[key] = totals.get(key, 0) + dotation["nombre_carnets"]
    errors = []
    for (prescriber, size), total in totals.items():
        allowed = entrusted.get((prescriber, size))
        if allowed is None:
            errors.append(f"{prescriber} : carnets de {size} pass, que sa convention de mandat ne lui confie pas ; "
                          "un avenant est nécessaire.")
        elif total > allowed:
            errors.append(f"{prescriber} : dotation de {total} carnets de {size} pass, sa convention de mandat en "
                          f"confie {allowed} ; au-delà, un avenant est nécessaire.")
    return " ".join(errors) or None


VERBS = (
    verifier_dotations, verifier_dotations_mandats, verifier_dates_executoires, calculer_stock_restant, compter_par_format,
    compter_beneficiaires_pic, verifier_remises, verifier_carnets_rendus, compter_passes_remis,
)
