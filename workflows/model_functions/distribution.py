"""Script functions of the distribution: the dotations and the prescribers' handouts, as
the pass ledger of the instance's campaign counts them.

The booklets, their moves and the beneficiaries live in the ledger's tables; a step of the
process receives the campaign's figures (``registre``: per format, per prescriber and per
public, never per booklet or per person) and these functions check them against what the
process decided (the conventions de mandat, their executory dates). Plain JSON values in
and out, a French verb as name.
"""
from ..domain.calendar import format_date
from ..domain.formats import BookletFormat, booklet_count, booklet_size, by_format
from .conversions import day

NO_CAMPAIGN = ("Aucune campagne du registre des carnets n'est liée à ce processus : ouvrez-la, "
               "réceptionnez-y les carnets et enregistrez-y les dotations, puis reprenez cette étape.")


# --- dotations ------------------------------------------------------------------------


def _dotation_format(dotation: dict, where: str | None = None) -> BookletFormat:
    where = where or f"Dotation de {dotation.get('prescripteur')}"
    return BookletFormat(booklet_size(dotation.get("cheques_par_carnet"), where),
                         booklet_count(dotation.get("nombre_carnets"), where, minimum=1))


def lister_dotations(registre) -> list:
    """The dotations the ledger recorded, one per prescriber and format
    ([{prescripteur, cheques_par_carnet, nombre_carnets}]): what each prescriber was
    endowed with, transfers received included, corrections deducted."""
    return [{"prescripteur": name, "cheques_par_carnet": int(size), "nombre_carnets": counts["dotes"]}
            for name, one in sorted(((registre or {}).get("prescripteurs") or {}).items())
            for size, counts in sorted(one["formats"].items(), key=lambda item: int(item[0]))
            if counts["dotes"] > 0]


def verifier_dotations(registre, prescripteurs_conventionnes: list) -> str | None:
    """None when the campaign's ledger holds dotations, each to a prescriber whose
    convention de mandat the process knows, else why in French."""
    if registre is None:
        return NO_CAMPAIGN
    dotations = lister_dotations(registre)
    if not dotations:
        return ("Le registre de la campagne n'enregistre encore aucune dotation : dotez les prescripteurs "
                "dans le registre des carnets, puis reprenez cette étape.")
    unknown = sorted({d["prescripteur"] for d in dotations} - set(prescripteurs_conventionnes or []))
    if unknown:
        return (f"{', '.join(unknown)} : doté(s) dans le registre sans convention de mandat signée dans ce "
                "processus : aucun carnet ne peut lui être remis.")
    return None


def decrire_stock(registre) -> list:
    """The booklets left in stock, per format ([{cheques_par_carnet, nombre_carnets}])."""
    return list((registre or {}).get("stock") or [])


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


def compter_par_format(lignes: list) -> list:
    """Booklets and passes per format of dotations
    ([{cheques_par_carnet, nombre_carnets, nombre_pass}], increasing size)."""
    formats = by_format(_dotation_format(line) for line in lignes)
    return [{"cheques_par_carnet": f.size, "nombre_carnets": f.booklets, "nombre_pass": f.passes}
            for f in formats]


# --- the prescribers' handouts ------------------------------------------------------------


def _format_figures(registre, prescripteur, cheques_par_carnet) -> dict:
    one = ((registre or {}).get("prescripteurs") or {}).get(prescripteur) or {"formats": {}}
    return one["formats"].get(str(cheques_par_carnet)) or {"confies": 0, "dotes": 0, "detenus": 0, "remis": 0}


def verifier_carnets_rendus(registre, dotation: dict) -> str | None:
    """None when the prescriber holds none of the dotation's format any more (each booklet
    handed to a beneficiary, returned to stock, transferred or declared lost), else how
    many are left: a prescriber keeps no public money once its report is in."""
    if registre is None:
        return NO_CAMPAIGN
    counts = _format_figures(registre, dotation["prescripteur"], dotation["cheques_par_carnet"])
    if counts["detenus"]:
        return (f"{dotation['prescripteur']} : {counts['detenus']} carnet(s) de {dotation['cheques_par_carnet']} "
                "pass ni remis ni restitués selon le registre : enregistrez-en la remise, le retour au stock ou "
                f"la perte (dotation de {counts['dotes']} carnets, {counts['remis']} remis).")
    return None


def etablir_bilan_prescripteur(registre, dotation: dict, date_fin_remises: str | None = None) -> dict:
    """A prescriber's report for one format of its dotation, from the ledger's figures:
    booklets endowed, handed and returned, its beneficiaries (all formats)."""
    one = ((registre or {}).get("prescripteurs") or {}).get(dotation["prescripteur"]) or {}
    counts = _format_figures(registre, dotation["prescripteur"], dotation["cheques_par_carnet"])
    return {"prescripteur": dotation["prescripteur"], "cheques_par_carnet": dotation["cheques_par_carnet"],
            "carnets_dotes": counts["dotes"], "carnets_remis": counts["remis"],
            "carnets_restitues": counts["dotes"] - counts["remis"] - counts["detenus"],
            "passes_remis": counts["remis"] * int(dotation["cheques_par_carnet"]),
            "beneficiaires": one.get("beneficiaires", 0), "beneficiaires_pic": one.get("beneficiaires_pic", 0),
            "date_fin_remises": date_fin_remises}


def compter_passes_remis(registre) -> int:
    """The passes in beneficiaries' hands according to the ledger: what the mediation
    places' statements may not exceed, all places and months together."""
    return int((registre or {}).get("passes_remis") or 0)


def decrire_distribution(registre) -> dict:
    """The campaign's totals at its end: booklets received, endowed, handed, in stock;
    beneficiaries (of the PIC public among them); passes handed."""
    prescribers = ((registre or {}).get("prescripteurs") or {}).values()
    formats = [counts for one in prescribers for counts in one["formats"].values()]
    return {"carnets_recus": sum(f["nombre_carnets"] for f in (registre or {}).get("recus") or []),
            "carnets_en_stock": sum(f["nombre_carnets"] for f in decrire_stock(registre)),
            "carnets_dotes": sum(f["dotes"] for f in formats), "carnets_remis": sum(f["remis"] for f in formats),
            "carnets_detenus": sum(f["detenus"] for f in formats),
            "beneficiaires": sum(one["beneficiaires"] for one in prescribers),
            "beneficiaires_pic": sum(one["beneficiaires_pic"] for one in prescribers),
            "passes_remis": compter_passes_remis(registre)}


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
    lister_dotations, verifier_dotations, verifier_dotations_mandats, verifier_dates_executoires, decrire_stock,
    compter_par_format, verifier_carnets_rendus, etablir_bilan_prescripteur, compter_passes_remis,
    decrire_distribution,
)
