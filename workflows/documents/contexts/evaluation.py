"""Context of the evaluation report: indicators, tables and charts."""

from datetime import date
from decimal import Decimal

from ...domain.allocation import FORM_PIC_PUBLIC, pic_publics
from ...domain.evaluation_publics import PRIORITY_AREA_SHARE, territory_indicator
from ...domain.publics import territory_publics
from ...domain.errors import DomainError
from ...domain.funding_terms import FundingTerms, anct_terms
from ...domain.indicators import rate, state_share_owed
from ...domain.money import rate_as_percentage
from ...domain.passes import DEFAULT_FACE_VALUE
from ..charts import bar_chart
from ..errors import InvalidData
from ..rendering import Image
from .base import InputData, context_builder
from .process import describe, public_label, taking, value_at

COUNTS = ("beneficiaires", "pass_distribues", "pass_utilises")
EVALUATION_NAMES = {  # the indicators the domain computed at the start of the evaluation
    "pass_commandes": "indicateurs.passes_achetes",
    "pass_expires": "indicateurs.passes_non_utilises",
    "taux_distribution": "indicateurs.taux_distribution_pct",
    "taux_utilisation": "indicateurs.taux_utilisation_pct",
    "part_pic": "indicateurs.part_public_pic_pct",
    "objectif_pic_atteint": "indicateurs.objectif_public_pic_atteint",
    "participation_etat_due": "indicateurs.part_etat_due",
    "valeur_pass": "valeur_cheque",
    "taux_participation_etat": "taux_cofinancement_etat_pct",
    "part_pic_minimum": "part_minimale_public_pic_pct",
}
PROCESS_TOTALS = {  # table column: the domain's indicator, as the report names it
    "pass_distribues": ("passes_remis", "pass remis par les prescripteurs"),
    "pass_utilises": ("passes_encaisses", "pass encaissés par les lieux de médiation"),
}


def _rows_from_indicators(values, passes: dict, label, used_key, beneficiaries_key) -> list[dict]:
    """One row per group: beneficiaries and passes handed out (the indicators the domain
    computed from the campaign's ledger), passes used (as the evaluator reported them from
    the issuer's data)."""
    beneficiaries = value_at(values, f"indicateurs.{beneficiaries_key}") or {}
    used = {row.get(label): row.get("pass_utilises") for row in values.get(used_key) or []
            if isinstance(row, dict)}
    return [{label: group, "beneficiaires": beneficiaries.get(group, 0), "pass_distribues": count,
             "pass_utilises": used.get(group)} for group, count in passes.items()]


def _from_process(values) -> dict:
    adapted = taking(values, EVALUATION_NAMES)
    by_prescriber = value_at(values, "indicateurs.passes_remis_par_prescripteur")
    if not isinstance(by_prescriber, dict):
        return adapted
    if "par_prescripteur" not in values:
        adapted["par_prescripteur"] = _rows_from_indicators(
            values, by_prescriber, "prescripteur", "pass_utilises_par_prescripteur", "beneficiaires_par_prescripteur")
    territory, on = value_at(values, "indicateurs.territoire"), _report_date(values)
    if "par_public" not in values:
        adapted["par_public"] = _by_public(values, territory, on)
    if "beneficiaires_qpv" not in values and on is not None \
            and territory_indicator(territory, PRIORITY_AREA_SHARE, on) is not None:
        adapted["beneficiaires_qpv"] = value_at(values, "indicateurs.beneficiaires_qpv")
    if "observations" not in values:
        adapted["observations"] = [values[key] for key in ("synthese", "recommandations")
                                   if isinstance(values.get(key), str) and values[key].strip()]
    return adapted


def _report_date(values) -> date | None:
    """The report's date as the process holds it (else the end of the period); None when unreadable."""
    try:
        return date.fromisoformat(values.get("date_rapport") or values.get("periode_fin"))
    except (TypeError, ValueError):
        return None


def _by_public(values, territory, on) -> list[dict]:
    """The report's rows per public: the territory's publics in force on the report's date, in
    their order and with their labels, handed out or not (and any other public the ledger
    recorded); without a list, the publics handed out as the forms and the rules name them."""
    handed = value_at(values, "indicateurs.passes_remis_par_public") or {}
    listed = territory_publics(territory, on) if on is not None else ()
    if not listed:
        pic = {FORM_PIC_PUBLIC} | pic_publics()
        rows = _rows_from_indicators(values, handed, "public", "pass_utilises_par_public", "beneficiaires_par_public")
        return [{**row, "public": public_label(row["public"]), "pic": row["public"] in pic} for row in rows]
    codes = [p.public for p in listed] + [code for code in handed if code not in {p.public for p in listed}]
    rows = _rows_from_indicators(values, {code: handed.get(code, 0) for code in codes}, "public",
                                 "pass_utilises_par_public", "beneficiaires_par_public")
    known = {p.public: p for p in listed}
    return [{**row, "public": known[row["public"]].label if row["public"] in known else public_label(row["public"]),
             "pic": row["public"] in known and known[row["public"]].pic,
             "pass_utilises": 0 if row["pass_utilises"] is None and not row["pass_distribues"] else row["pass_utilises"]}
            for row in rows]


def _priority_area_share(data: InputData, beneficiaries: int) -> dict:
    """The share of beneficiaries living in a priority neighbourhood, where the territory retained it."""
    if data.get("beneficiaires_qpv") is None:
        return {"beneficiaires_qpv": None, "part_qpv": None}
    people = data.integer("beneficiaires_qpv")
    return {"beneficiaires_qpv": people, "part_qpv": _percentage(people, beneficiaries)}


def _percentage(part: int, whole: int) -> Decimal:
    """The domain's rate as a percentage (76.17); 0 when there is nothing to divide."""
    share = rate(part, whole)
    return Decimal(0) if share is None else rate_as_percentage(share)


def _rows(data: InputData, key: str, label: str) -> list[dict]:
    rows = data.records(key, (label,) + COUNTS)
    for row in rows:
        for count in COUNTS:
            row[count] = int(data.decimal_of(key, row[count]))
        row["taux_utilisation"] = _percentage(row["pass_utilises"], row["pass_distribues"])
        row["pic"] = bool(row.get("pic", False))
    return rows


def _totals(by_public: list[dict], by_prescriber: list[dict]) -> dict:
    totals = {count: sum(row[count] for row in by_public) for count in COUNTS}
    for count in COUNTS:
        other = sum(row[count] for row in by_prescriber)
        if other != totals[count]:
            raise InvalidData(
                f"Les totaux « {count} » diffèrent entre les tableaux par public "
                f"({totals[count]}) et par prescripteur ({other})."
            )
    return totals


def _agree_with_process(data: InputData, totals: dict) -> None:
    """The tables add up to what the process counted (domain indicators)."""
    for count, (indicator, label) in PROCESS_TOTALS.items():
        counted = value_at(data.values, f"indicateurs.{indicator}")
        if counted is not None and counted != totals[count]:
            raise InvalidData(
                f"Les tableaux totalisent {totals[count]} « {count} » ; le processus a compté "
                f"{counted} {label}."
            )


def _given_or(data: InputData, key: str, computed: Decimal) -> Decimal:
    """A figure the process computed (domain) when given, else the one computed here."""
    return computed if data.get(key) is None else data.decimal(key)


def _terms(data: InputData) -> FundingTerms:
    """The ANCT's terms in force at the start of the period (the domain's dated data), with
    the State's and the PIC shares the convention stated (the process passes them)."""
    try:
        return anct_terms(data.date("periode_debut")).stating(
            state_max_share=data.rate("taux_participation_etat"),
            pic_min_share=data.rate("part_pic_minimum"))
    except DomainError as error:
        raise InvalidData(str(error)) from error


def _state_share(data: InputData, terms: FundingTerms, used: int) -> dict:
    face_value = data.decimal("valeur_pass", DEFAULT_FACE_VALUE)
    cap = None if data.get("plafond_participation_etat") is None else data.decimal("plafond_participation_etat")
    try:
        due = state_share_owed(face_value * used, terms, cap)
    except DomainError as error:
        raise InvalidData(str(error)) from error
    return {"valeur_pass": face_value, "taux_participation_etat": rate_as_percentage(terms.state_max_share),
            "participation_etat_due": _given_or(data, "participation_etat_due", due)}


def _pic(data: InputData, terms: FundingTerms, pic_passes: int, handed_out: int) -> dict:
    share = _given_or(data, "part_pic", _percentage(pic_passes, handed_out))
    minimum = rate_as_percentage(terms.pic_min_share)
    reached = data.get("objectif_pic_atteint")
    return {"pass_pic": pic_passes, "part_pic": share, "part_pic_minimum": minimum,
            "objectif_pic_atteint": share >= minimum if reached is None else bool(reached)}


def _charts(by_public: list[dict], by_prescriber: list[dict]) -> dict:
    def chart(title, rows, label):
        png = bar_chart(title, [row[label] for row in rows], {
            "Pass distribués": [row["pass_distribues"] for row in rows],
            "Pass utilisés": [row["pass_utilises"] for row in rows],
        })
        return Image(png, width_mm=160)

    return {
        "graphique_prescripteurs": chart("Pass par prescripteur", by_prescriber, "prescripteur"),
        "graphique_publics": chart("Pass par public", by_public, "public"),
    }


RAPPORT_EVALUATION_FROM_PROCESS_DOC = """\
    Avec les indicateurs du domaine tirés du registre des carnets (indicateurs) :
      par_prescripteur et par_public ← pass remis et bénéficiaires par
      prescripteur et par public selon le registre, et pass utilisés déclarés dans pass_utilises_par_prescripteur et
      pass_utilises_par_public ({prescripteur ou public, pass_utilises}) ; les
      totaux doivent égaler les pass remis et encaissés comptés par le
      processus ; observations ← synthese, recommandations. Un territoire qui a
      sa liste de publics (données datées) a ses publics, libellés, à la date du
      rapport ; beneficiaires_qpv ← indicateurs.beneficiaires_qpv quand il a retenu
      la part des bénéficiaires en quartier prioritaire.
"""


@context_builder(
    requires=("collectivite", "periode_debut", "periode_fin", "pass_commandes",
              "par_public", "par_prescripteur"),
    provides=(
        "periode_debut", "periode_fin", "date_rapport", "auteur", "pass_commandes",
        "pass_distribues", "pass_utilises", "pass_non_utilises", "pass_expires",
        "beneficiaires", "taux_distribution", "taux_utilisation", "part_pic",
        "pass_pic", "part_pic_minimum", "objectif_pic_atteint", "valeur_pass",
        "taux_participation_etat", "participation_etat_due", "par_public", "par_prescripteur",
        "graphique_prescripteurs", "graphique_publics", "observations", "beneficiaires_qpv", "part_qpv",
    ),
    doc_suffix=describe(EVALUATION_NAMES) + RAPPORT_EVALUATION_FROM_PROCESS_DOC,
    from_process=_from_process,
)
def rapport_evaluation(data: InputData) -> dict:
    """Rapport d'évaluation du déploiement.

    Requis : collectivite ; periode_debut, periode_fin (dates) ; pass_commandes
    (int) ; par_public (liste de {public, beneficiaires, pass_distribues,
    pass_utilises} et pic (bool) si le public relève du PIC) ; par_prescripteur
    (liste de {prescripteur, beneficiaires, pass_distribues, pass_utilises}).
    Les totaux des deux listes doivent concorder.
    Facultatif : valeur_pass (10) ; taux_participation_etat et part_pic_minimum
    (en % des pass utilisés et distribués ; par défaut, les conditions de l'ANCT en
    vigueur au début de la période, tenues datées par le domaine) ;
    plafond_participation_etat (montant maximal de la convention ANCT) ;
    pass_expires (pass non utilisés à l'échéance) ; observations (liste) ;
    date_rapport ; auteur ; beneficiaires_qpv (bénéficiaires habitant un quartier
    prioritaire, quand le territoire a retenu cet indicateur).
    Calculé par le processus (domaine), lu s'il est présent : taux_distribution,
    taux_utilisation, part_pic (en %), objectif_pic_atteint, participation_etat_due.
    Sinon calculé : taux de distribution et d'utilisation, part du public PIC,
    participation de l'État due ; toujours : graphiques (PNG).
    """
    by_public = _rows(data, "par_public", "public")
    by_prescriber = _rows(data, "par_prescripteur", "prescripteur")
    totals = _totals(by_public, by_prescriber)
    _agree_with_process(data, totals)
    ordered = data.integer("pass_commandes")
    pic_passes = sum(row["pass_distribues"] for row in by_public if row["pic"])
    expired = data.get("pass_expires")
    terms = _terms(data)
    return {
        "collectivite": data.text("collectivite"),
        "reference": "Rapport d'évaluation du Pass numérique",
        "periode_debut": data.date("periode_debut"),
        "periode_fin": data.date("periode_fin"),
        "date_rapport": data.date("date_rapport", optional=True),
        "auteur": data.text("auteur", ""),
        "pass_commandes": ordered,
        **totals,
        "pass_non_utilises": totals["pass_distribues"] - totals["pass_utilises"],
        "pass_expires": None if expired is None else data.integer("pass_expires"),
        "taux_distribution": _given_or(data, "taux_distribution",
                                       _percentage(totals["pass_distribues"], ordered)),
        "taux_utilisation": _given_or(data, "taux_utilisation",
                                      _percentage(totals["pass_utilises"], totals["pass_distribues"])),
        **_pic(data, terms, pic_passes, totals["pass_distribues"]),
        **_priority_area_share(data, totals["beneficiaires"]),
        **_state_share(data, terms, totals["pass_utilises"]),
        "par_public": by_public,
        "par_prescripteur": by_prescriber,
        **_charts(by_public, by_prescriber),
        "observations": data.texts("observations", []),
    }
