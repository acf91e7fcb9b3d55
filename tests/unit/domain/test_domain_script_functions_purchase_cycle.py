"""The purchase's formats and the issuer's cycle as BPMN scripts see them: plain JSON in and
out, the domain's answers (procurement.py and the dated issuer cycles)."""
import json
from datetime import date

import pytest

from workflows.domain.errors import DomainError
from workflows.domain.procurement import is_overseas, issuer_cycle
from workflows.domain.script_functions import SCRIPT_FUNCTIONS
from workflows.domain.script_functions_procurement import PROCUREMENT_FUNCTIONS
from workflows.engine.sandbox import RestrictedEnvironment

F = SCRIPT_FUNCTIONS
TWO_FORMATS = [{"cheques_par_carnet": 10, "nombre_carnets": 150}, {"cheques_par_carnet": 5, "nombre_carnets": 100}]


def json_round_trip(value):
    assert json.loads(json.dumps(value)) == value
    return value


def test_every_procurement_function_is_registered_under_its_own_name():
    for function in PROCUREMENT_FUNCTIONS:
        assert F[function.__name__].__name__ == function.__name__


# --- formats ---------------------------------------------------------------------------------


def test_an_order_of_two_formats_totals_its_booklets_and_passes():
    answer = json_round_trip(F["compter_formats"](TWO_FORMATS))
    assert answer["nombre_carnets"] == sum(row["nombre_carnets"] for row in TWO_FORMATS)
    assert answer["nombre_pass"] == sum(row["nombre_carnets"] * row["cheques_par_carnet"] for row in TWO_FORMATS)
    assert answer["formats"] == sorted(TWO_FORMATS, key=lambda row: row["cheques_par_carnet"])


def test_the_delivery_is_compared_to_the_order_format_by_format():
    assert F["verifier_livraison"](TWO_FORMATS, list(reversed(TWO_FORMATS))) is None
    short = [{"cheques_par_carnet": 10, "nombre_carnets": 150}, {"cheques_par_carnet": 5, "nombre_carnets": 90}]
    assert F["verifier_livraison"](TWO_FORMATS, short) == \
        "Livraison différente de la commande : carnets de 5 chèques : 90 livré(s) pour 100 commandé(s)."
    wrong_size = [{"cheques_par_carnet": 5, "nombre_carnets": 300}]
    message = F["verifier_livraison"]([{"cheques_par_carnet": 10, "nombre_carnets": 300}], wrong_size)
    assert "carnets de 5 chèques : 300 livré(s) pour 0 commandé(s)" in message
    assert "carnets de 10 chèques : 0 livré(s) pour 300 commandé(s)" in message


@pytest.mark.parametrize("function, args, message", [
    ("compter_formats", ([{"cheques_par_carnet": 20, "nombre_carnets": 1}],), "format de carnet 20"),
    ("compter_formats", ([],), "Formats de carnets de la commande absents"),
    ("verifier_livraison", (TWO_FORMATS, [{"cheques_par_carnet": 10, "nombre_carnets": -1}]),
     "Formats de carnets de la livraison"),
])
def test_bad_formats_are_refused(function, args, message):
    with pytest.raises(DomainError, match=message):
        F[function](*args)


# --- the issuer's cycle ------------------------------------------------------------------------


@pytest.mark.parametrize("territoire", ["972", "974", "FR", "57"])
def test_the_delays_proposed_follow_the_issuer_cycle_and_the_territory(territoire):
    answer = json_round_trip(F["determiner_delais_emetteur"](territoire, "2027-05-04"))
    cycle = issuer_cycle(None, date(2027, 5, 4))
    assert answer["outre_mer"] is is_overseas(territoire)
    assert answer["delai_bat_jours"] == cycle.proof_approval_days
    assert answer["delai_livraison_jours"] == cycle.delivery_days_for(is_overseas(territoire))
    assert answer["avertissement"] == cycle.caveat and answer["source"] == cycle.source
    assert "Les délais du contrat prévalent" in answer["explication"]


def test_martinique_gets_the_overseas_delay_and_the_mainland_the_other():
    overseas = F["determiner_delais_emetteur"]("972", "2027-05-04", "Solidarité Numérique Émission SAS")
    mainland = F["determiner_delais_emetteur"]("FR", "2027-05-04", "APTIC")
    assert (overseas["delai_livraison_jours"], mainland["delai_livraison_jours"]) == (14, 7)
    assert "en outre-mer (Martinique)" in overseas["explication"]
    assert "cycle de référence" in overseas["explication"]
    assert "cycle connu de l'émetteur APTIC" in mainland["explication"]


def test_a_missing_territory_is_refused_in_french():
    with pytest.raises(DomainError, match="Territoire non renseigné"):
        F["determiner_delais_emetteur"](None, "2027-05-04")


def test_deadlines_as_iso_dates():
    assert F["calculer_date_limite_bat"]("2027-07-10", 6) == "2027-07-16"
    assert F["calculer_date_limite_livraison"]("2027-07-10", "2027-07-19", 14) == "2027-08-02"
    with pytest.raises(DomainError, match="avant le bon de commande du 10 juillet 2027"):
        F["calculer_date_limite_livraison"]("2027-07-10", "2027-07-01", 14)
    with pytest.raises(DomainError, match="Date invalide"):
        F["calculer_date_limite_bat"]("10/07/2027", 6)


def test_the_late_signal_names_the_step_the_issuer_and_the_deadline():
    message = F["determiner_retard_emetteur"]("livraison", "2027-08-02", "Solidarité Numérique Émission SAS")
    assert message.startswith("Carnets non livrés par Solidarité Numérique Émission SAS")
    assert "échu le 2 août 2027" in message
    assert F["determiner_retard_emetteur"]("bat", "2027-07-16").startswith("Bon à tirer non validé à l'issue")
    with pytest.raises(DomainError, match="Étape du cycle de l'émetteur inconnue : 'paiement'"):
        F["determiner_retard_emetteur"]("paiement", "2027-07-16")


def test_activation_gives_the_dates_the_distribution_reads():
    answer = json_round_trip(F["calculer_validite_pass"]("2027-08-06", "2027-08-05", "Émetteur X"))
    valid_until, accepted_until = issuer_cycle("Émetteur X", date(2027, 8, 6)).validity(2027)
    assert (answer["date_fin_validite"], answer["date_limite_acceptation"]) == \
        (valid_until.isoformat(), accepted_until.isoformat()) == ("2027-12-31", "2028-01-31")
    # What the distribution's calculer_dates_alerte does with it.
    assert answer["jours_alerte_expiration"] == [30, 15]
    assert F["calculer_dates_alerte_expiration"](answer["date_fin_validite"], answer["jours_alerte_expiration"]) == \
        {"j30": "2027-12-01", "j15": "2027-12-16"}
    with pytest.raises(DomainError, match="avant le mandatement du 5 août 2027"):
        F["calculer_validite_pass"]("2027-08-04", "2027-08-05")


def test_the_model_scripts_run_in_the_sandbox():
    environment = RestrictedEnvironment(dict(F))
    context = {"formats": TWO_FORMATS, "territoire": "972", "date_lancement": "2027-05-04",
               "formats_livres": TWO_FORMATS}
    environment.execute(
        'commande_formats = compter_formats(formats)\n'
        'nombre_pass = commande_formats["nombre_pass"]\n'
        'delais_emetteur = determiner_delais_emetteur(territoire, date_lancement)', context)
    assert context["nombre_pass"] == 2000
    assert context["delais_emetteur"]["delai_livraison_jours"] == 14
