"""Context of the evaluation report: indicators, tables and charts."""

from decimal import Decimal

from ..charts import bar_chart
from ..errors import InvalidData
from ..rendering import Image
from .base import InputData, context_builder

COUNTS = ("beneficiaires", "pass_distribues", "pass_utilises")


def _rate(part, whole) -> Decimal:
    """A percentage with one decimal; 0 when there is nothing to divide."""
    if not whole:
        return Decimal(0)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _rows(data: InputData, key: str, label: str) -> list[dict]:
    rows = data.records(key, (label,) + COUNTS)
    for row in rows:
        for count in COUNTS:
            row[count] = int(data.decimal_of(key, row[count]))
        row["taux_utilisation"] = _rate(row["pass_utilises"], row["pass_distribues"])
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


def _state_share(data: InputData, used: int) -> dict:
    face_value = data.decimal("valeur_pass", Decimal(10))
    rate = data.decimal("taux_participation_etat", Decimal(50))
    due = face_value * used * rate / 100
    ceiling = data.get("plafond_participation_etat")
    if ceiling is not None:
        due = min(due, data.decimal("plafond_participation_etat"))
    return {"valeur_pass": face_value, "taux_participation_etat": rate,
            "participation_etat_due": due}


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


@context_builder(
    requires=("collectivite", "periode_debut", "periode_fin", "pass_commandes",
              "par_public", "par_prescripteur"),
    provides=(
        "periode_debut", "periode_fin", "date_rapport", "auteur", "pass_commandes",
        "pass_distribues", "pass_utilises", "pass_non_utilises", "pass_expires",
        "beneficiaires", "taux_distribution", "taux_utilisation", "part_pic",
        "pass_pic", "part_pic_minimum", "objectif_pic_atteint", "valeur_pass",
        "taux_participation_etat", "participation_etat_due", "par_public", "par_prescripteur",
        "graphique_prescripteurs", "graphique_publics", "observations",
    ),
)
def rapport_evaluation(data: InputData) -> dict:
    """Rapport d'évaluation du déploiement.

    Requis : collectivite ; periode_debut, periode_fin (dates) ; pass_commandes
    (int) ; par_public (liste de {public, beneficiaires, pass_distribues,
    pass_utilises} et pic (bool) si le public relève du PIC) ; par_prescripteur
    (liste de {prescripteur, beneficiaires, pass_distribues, pass_utilises}).
    Les totaux des deux listes doivent concorder.
    Facultatif : valeur_pass (10) ; taux_participation_etat (50) ;
    plafond_participation_etat (montant maximal de la convention ANCT) ;
    part_pic_minimum (50, en % des pass distribués) ;
    pass_expires (pass non utilisés à l'échéance) ; observations (liste) ;
    date_rapport ; auteur.
    Calculé : taux de distribution et d'utilisation, part du public PIC,
    participation de l'État due, graphiques (PNG).
    """
    by_public = _rows(data, "par_public", "public")
    by_prescriber = _rows(data, "par_prescripteur", "prescripteur")
    totals = _totals(by_public, by_prescriber)
    ordered = data.integer("pass_commandes")
    pic_passes = sum(row["pass_distribues"] for row in by_public if row["pic"])
    expired = data.get("pass_expires")
    pic_share = _rate(pic_passes, totals["pass_distribues"])
    pic_minimum = data.decimal("part_pic_minimum", Decimal(50))
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
        "taux_distribution": _rate(totals["pass_distribues"], ordered),
        "taux_utilisation": _rate(totals["pass_utilises"], totals["pass_distribues"]),
        "pass_pic": pic_passes,
        "part_pic": pic_share,
        "part_pic_minimum": pic_minimum,
        "objectif_pic_atteint": pic_share >= pic_minimum,
        **_state_share(data, totals["pass_utilises"]),
        "par_public": by_public,
        "par_prescripteur": by_prescriber,
        **_charts(by_public, by_prescriber),
        "observations": data.texts("observations", []),
    }
