"""Context builders: required keys, derived values, clear French errors."""

import copy
import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from workflows.domain.indicators import ANCT_2020, check_minimum_purchase
from workflows.documents import InvalidData, MissingData, TemplateRegistry, UnknownTemplate
from workflows.documents.examples import EXAMPLES


def build(name: str, **changes):
    data = copy.deepcopy(EXAMPLES[name])
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return TemplateRegistry().get(name).build_context(data)


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_builder_provides_exactly_what_it_declares(name):
    spec = TemplateRegistry().get(name)
    assert set(spec.build_context(EXAMPLES[name])) == spec.builder.provides


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_required_key_is_documented_and_checked(name):
    spec = TemplateRegistry().get(name)
    for key in spec.builder.requires:
        assert key in spec.builder.description, f"{key} absent de la docstring"
        data = {k: v for k, v in EXAMPLES[name].items() if k != key}
        with pytest.raises(MissingData) as missing:
            spec.build_context(data)
        assert missing.value.missing == [key]
        assert spec.title in str(missing.value)


def test_missing_keys_are_all_named_at_once():
    with pytest.raises(MissingData) as missing:
        TemplateRegistry().get("extrait_deliberation").build_context({"collectivite": "X"})
    message = str(missing.value)
    assert message.startswith("Données manquantes pour le document « Extrait du registre")
    for key in ("date_seance", "presents", "membres_en_exercice", "votes_pour"):
        assert key in message


def test_blank_strings_count_as_missing():
    with pytest.raises(MissingData, match="objet"):
        build("extrait_deliberation", objet="   ")


def test_missing_field_inside_a_list_is_located():
    representes = copy.deepcopy(EXAMPLES["extrait_deliberation"]["representes"])
    del representes[1]["mandataire"]
    with pytest.raises(MissingData, match=r"representes\[2\]\.mandataire"):
        build("extrait_deliberation", representes=representes)


def test_deliberation_derived_values_match_the_seed():
    context = build("extrait_deliberation")
    assert (context["membres_en_exercice"], context["nb_presents"],
            context["nb_representes"], context["votants"]) == (53, 28, 10, 38)
    assert context["quorum"] == 27
    assert context["vote"] == {"pour": 38, "contre": 0, "abstentions": 0, "non_votants": 0,
                               "suffrages_exprimes": 38}
    assert context["mode_adoption"] == "À l'unanimité"
    assert context["date_seance"] == date(2023, 4, 27)
    assert len(context["presents_colonnes"]) == 10  # 28 names in rows of 3


def test_vote_wording_follows_the_figures():
    assert build("extrait_deliberation", votes_pour=36, abstentions=2)["mode_adoption"] == (
        "À l'unanimité des suffrages exprimés")
    assert build("extrait_deliberation", votes_pour=30, votes_contre=8)["mode_adoption"] == (
        "À la majorité des suffrages exprimés")
    tie = build("extrait_deliberation", votes_pour=19, votes_contre=19, voix_preponderante=True)
    assert "voix du président étant prépondérante" in tie["mode_adoption"]
    with pytest.raises(InvalidData, match="n'est pas adoptée"):
        build("extrait_deliberation", votes_pour=19, votes_contre=19)


def test_vote_count_must_match_the_voters():
    with pytest.raises(InvalidData, match=r"décompte des votes \(37.*votants \(38\)"):
        build("extrait_deliberation", votes_pour=37)


def test_attendance_must_add_up_and_reach_quorum():
    with pytest.raises(InvalidData, match="ne totalisent pas les 54 membres"):
        build("extrait_deliberation", membres_en_exercice=54)
    few = EXAMPLES["extrait_deliberation"]["presents"][:20]
    with pytest.raises(InvalidData, match="Quorum non atteint : 20 présents pour 27"):
        build("extrait_deliberation", presents=few, absents=None, votes_pour=30)
    reconvened = build("extrait_deliberation", presents=few, absents=None, votes_pour=30,
                       reconvocation_sans_quorum=True)
    assert reconvened["votants"] == 30


def test_anct_convention_figures():
    context = build("convention_anct")
    assert context["valeur_totale"] == Decimal("208000")
    assert context["frais_emetteur"] == Decimal("8320.00")
    assert context["budget_total"] == Decimal("216320.00")
    assert context["participation_etat_max"] == Decimal("104000")
    assert context["nombre_pass_pic_minimum"] == 10400
    with pytest.raises(InvalidData) as refused:
        build("convention_anct", nombre_pass=1999)
    assert str(refused.value) == check_minimum_purchase(Decimal("19990"), ANCT_2020)


def test_specifications_take_the_issuers_reference_cycle_of_the_launch(monkeypatch):
    from workflows.domain import procurement

    [aptic] = procurement.default_issuer_cycles()
    later = dataclasses.replace(aptic, issuer="Émetteur 2027", proof_approval_days=10, delivery_days=21,
                                validity_end=(1, 6, 30), acceptance_end=(1, 7, 1),
                                effective_from=date(2027, 1, 1))
    monkeypatch.setattr(procurement, "default_issuer_cycles", lambda: (aptic, later))
    before = build("cahier_des_charges", delai_livraison_jours=None, date_lancement="2026-03-01")
    assert (before["delai_bat_jours"], before["delai_livraison_jours"]) == (6, 7)
    assert before["validite"] == ("jusqu'au 31 décembre de l'année de leur activation ; ils sont acceptés "
                                  "par les lieux de médiation jusqu'au 31 janvier de l'année suivante")
    after = build("cahier_des_charges", delai_livraison_jours=None, date_lancement="2027-03-01")
    assert (after["delai_bat_jours"], after["delai_livraison_jours"]) == (10, 21)
    assert after["validite"] == ("jusqu'au 30 juin de l'année suivante ; ils sont acceptés par les lieux "
                                 "de médiation jusqu'au 1er juillet de l'année suivante")


def test_mandate_amounts():
    context = build("convention_mandat")
    assert (context["nombre_pass"], context["valeur_totale"]) == (600, Decimal("6000"))


def test_consultation_value_includes_issuer_fees_and_weights_sum_to_100():
    context = build("reglement_consultation")
    assert context["valeur_estimee"] == Decimal("216320.00")
    bad = [{"critere": "Prix", "ponderation": 60}, {"critere": "Technique", "ponderation": 30}]
    with pytest.raises(InvalidData, match="totalisent 90 %"):
        build("reglement_consultation", criteres=bad)


def test_standstill_only_for_formal_procedures():
    formal = build("lettre_rejet")
    assert formal["date_fin_standstill"] == date(2023, 8, 12)
    paper = build("lettre_rejet", envoi_electronique=False)
    assert paper["delai_standstill_jours"] == 16
    assert paper["date_fin_standstill"] == date(2023, 8, 17)
    assert build("lettre_rejet", procedure_formalisee=False)["date_fin_standstill"] is None


def test_order_totals():
    context = build("bon_de_commande")
    assert context["total_ht"] == Decimal("216320.00")
    assert context["total_tva"] == Decimal("707.20")
    assert context["total_ttc"] == Decimal("217027.20")


def test_evaluation_indicators():
    context = build("rapport_evaluation")
    assert (context["pass_distribues"], context["pass_utilises"]) == (20350, 15500)
    assert context["taux_utilisation"] == Decimal("76.17")  # the domain's rate, shown « 76,2 % »
    assert context["part_pic"] == Decimal("51.6")
    assert context["objectif_pic_atteint"] is True
    assert context["participation_etat_due"] == Decimal("77500")
    capped = build("rapport_evaluation", plafond_participation_etat="50000")
    assert capped["participation_etat_due"] == Decimal("50000")


def test_evaluation_tables_must_agree():
    rows = copy.deepcopy(EXAMPLES["rapport_evaluation"]["par_prescripteur"])
    rows[0]["pass_utilises"] += 1
    with pytest.raises(InvalidData, match="pass_utilises"):
        build("rapport_evaluation", par_prescripteur=rows)


def test_bad_values_are_reported_with_their_key():
    with pytest.raises(InvalidData, match="« date_seance » : Date invalide"):
        build("extrait_deliberation", date_seance="27/04/2023")
    with pytest.raises(InvalidData, match="« presents » doit être une liste"):
        build("extrait_deliberation", presents="Patricia PALMONT")


def test_unknown_template_lists_the_known_ones():
    with pytest.raises(UnknownTemplate, match="Modèles disponibles : bon_de_commande"):
        TemplateRegistry().get("convention_inconnue")
