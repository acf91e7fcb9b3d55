"""Script functions of the evaluation: every indicator, from the ledger's figures of the
campaign, the stock per booklet format and the mediation places' monthly statements and payments.

Plain JSON values in and out, the domain decides (indicators, allocation rules, monthly
payments).
"""
from dataclasses import replace

from ..domain.evaluation_publics import report_publics_error
from ..domain.formats import parse_formats, total_passes
from ..domain.indicators import (
    FundingTerms,
    check_minimum_purchase,
    check_pic_share,
    check_requested_funding,
    distribution_rate,
    state_share_owed,
    usage_rate,
)
from ..domain.mediation_payments import balance_finding, balances
from ..domain.money import to_money
from .conversions import amount, anct_terms_on, day, decimal, json_number, payments, percent, rate


def _funding_terms(taux_cofinancement_etat_pct, part_minimale_public_pic_pct, date_convention) -> FundingTerms:
    """The terms in force on the convention's date, with the shares the convention states."""
    stated = anct_terms_on(date_convention).stating(
        state_max_share=None if taux_cofinancement_etat_pct is None else rate(taux_cofinancement_etat_pct),
        pic_min_share=None if part_minimale_public_pic_pct is None else rate(part_minimale_public_pic_pct))
    return replace(stated, source="convention ANCT")


def _payment_indicators(encaissements: list, paiements_lieux, face_value) -> dict:
    redeemed = {e["lieu"]: e["passes_encaisses"] for e in encaissements}
    lines = balances(redeemed, payments(paiements_lieux), face_value)
    return {
        "paiements_par_lieu": {b.place: {"passes_encaisses": b.redeemed, "passes_payes": b.paid_passes,
                                         "montant_paye": json_number(b.paid),
                                         "reste_a_payer": json_number(b.outstanding)} for b in lines},
        "montant_paye_lieux": json_number(sum((b.paid for b in lines), to_money(0))),
        "reste_a_payer_lieux": json_number(sum((b.outstanding for b in lines), to_money(0))),
        "constat_paiements_lieux": balance_finding(lines),
    }


def calculer_indicateurs(registre, encaissements: list, formats_en_stock: list, valeur_cheque,
                         taux_cofinancement_etat_pct=None, part_minimale_public_pic_pct=None,
                         paiements_lieux: list | None = None, date_convention=None) -> dict:
    """Every indicator of the evaluation from the campaign's ledger figures (``registre``:
    passes handed per format, public and prescriber, beneficiaries), the stock per format
    as delivered, the mediation places' redemptions and the payments made to them, under
    the ANCT terms in force on the convention's date (``date_convention``, the draft's as
    the convention's text has it)."""
    terms = _funding_terms(taux_cofinancement_etat_pct, part_minimale_public_pic_pct, date_convention)
    face_value = amount(valeur_cheque)
    figures = registre or {}
    prescribers = figures.get("prescripteurs") or {}
    purchased = total_passes(parse_formats(formats_en_stock))
    handed_out = int(figures.get("passes_remis") or 0)
    pic_passes = int(figures.get("passes_remis_pic") or 0)
    redeemed = sum(e["passes_encaisses"] for e in encaissements)
    pic_check = check_pic_share(pic_passes, handed_out, terms)
    unused = max(purchased - redeemed, 0)
    return {
        "passes_achetes": purchased,
        "passes_remis": handed_out,
        "passes_remis_pic": pic_passes,
        "passes_remis_par_format": dict(figures.get("passes_remis_par_format") or {}),
        "passes_remis_par_public": dict(figures.get("passes_remis_par_public") or {}),
        "passes_remis_par_prescripteur": {name: one["passes_remis"] for name, one in sorted(prescribers.items())
                                          if one["passes_remis"]},
        "passes_encaisses": redeemed,
        "taux_distribution_pct": percent(distribution_rate(handed_out, purchased)),
        "taux_utilisation_pct": percent(usage_rate(redeemed, handed_out)),
        "beneficiaires_par_public": dict(figures.get("beneficiaires_par_public") or {}),
        "beneficiaires_qpv": int(figures.get("beneficiaires_qpv") or 0),
        "territoire": figures.get("territoire"),
        "beneficiaires_par_prescripteur": {name: one["beneficiaires"] for name, one in sorted(prescribers.items())
                                           if one["beneficiaires"]},
        "passes_encaisses_par_lieu": {e["lieu"]: e["passes_encaisses"] for e in encaissements},
        "part_public_pic_pct": percent(pic_check.value),
        "objectif_public_pic_atteint": pic_check.met,
        "constat_public_pic": pic_check.message,
        "part_etat_due": json_number(state_share_owed(face_value * redeemed, terms)),
        "passes_non_utilises": unused,
        "avoir_attendu": json_number(to_money(face_value * unused)),
        "erreur_achat_minimal": check_minimum_purchase(face_value * purchased, terms),
        **_payment_indicators(encaissements, paiements_lieux, face_value),
    }


def verifier_cofinancement_demande(montant_cofinancement_demande, indicateurs: dict) -> str | None:
    """None when the co-financing asked of the ANCT is at most the State's share the
    indicators computed (``indicateurs["part_etat_due"]``), else what is wrong in French."""
    return check_requested_funding(decimal(montant_cofinancement_demande), decimal(indicateurs["part_etat_due"]))


def verifier_publics_rapport(pass_utilises_par_public: list, indicateurs: dict, date_rapport=None,
                             periode_fin=None) -> str | None:
    """None when every public of the report's table is one its territory retained on the report's
    date (``date_rapport``, else the end of the period), or one of the library's five when the
    territory has no list; else what is wrong in French."""
    on = day(date_rapport or periode_fin)
    codes = [row["public"] for row in pass_utilises_par_public or []]
    return report_publics_error(codes, (indicateurs or {}).get("territoire"), on)


VERBS = (calculer_indicateurs, verifier_cofinancement_demande, verifier_publics_rapport)
