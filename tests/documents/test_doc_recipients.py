"""Templates made one per recipient: the rejection letter, one per evicted candidate, each
with its own name, address and notes against the holder's."""

import copy

import pytest

from workflows.documents import (
    InvalidData, NotPerRecipient, TemplateRegistry, UnknownRecipient, render_document,
    render_documents, slug,
)
from workflows.documents.examples import EXAMPLES

from .conftest import docx_text, table_rows

HOLDER = "Solidarité Numérique Émission SAS"
CARAIBES = "Chèques & Services Caraïbes SARL"
ANTILLES = "Inclusion Numérique Antilles SAS"
BUYER = {key: EXAMPLES["lettre_rejet"][key] for key in (
    "collectivite", "collectivite_adresse", "reference_marche", "objet")}


def _notes(candidate, price, delays):
    return [{"candidat": candidate, "critere": "Prix (60 %)", "note_candidat": price, "note_attributaire": "60/60"},
            {"candidat": candidate, "critere": "Délais (40 %)", "note_candidat": delays,
             "note_attributaire": "30/40"}]


def process_data(**changes):
    """What the open tender holds when the evicted candidates are informed."""
    data = {
        **BUYER, "procedure": "appel_offres", "titulaire": HOLDER, "montant_marche_ht": 258750,
        "offres": [
            {"candidat": HOLDER, "adresse": "14 quai de Bacalan, 33300 Bordeaux", "montant_ht": 258750},
            {"candidat": CARAIBES, "adresse": "12 rue Victor Hugo, 97200 Fort-de-France", "montant_ht": 260000},
            {"candidat": ANTILLES, "adresse": "5 boulevard du Général de Gaulle, 97110 Pointe-à-Pitre",
             "montant_ht": 259400},
        ],
        "date_envoi_lettres_rejet": "2027-06-15", "lettres_rejet_electroniques": False,
        "motifs_rejet": "votre offre n'est pas la mieux classée",
        "notes_offres": _notes(CARAIBES, "54/60", "36/40") + _notes(ANTILLES, "57/60", "22/40"),
    }
    data.update(copy.deepcopy(changes))
    return data


def letters(data, recipient=None):
    return {document.recipient: document for document in render_documents("lettre_rejet", data, recipient=recipient)}


def test_the_recipients_are_every_offer_but_the_holders_in_their_order():
    spec = TemplateRegistry().get("lettre_rejet")
    assert spec.recipients_of(process_data()) == [CARAIBES, ANTILLES]
    assert spec.recipients_of(process_data(titulaire=f"  {ANTILLES.upper()} ")) == [HOLDER, CARAIBES]
    assert spec.recipients_of(EXAMPLES["lettre_rejet"]) is None   # plain input: its own candidat
    assert TemplateRegistry().get("notification_attribution").recipients_of(process_data()) is None


def test_each_letter_names_its_own_candidate_with_its_address_and_its_notes():
    made = letters(process_data())
    assert list(made) == [CARAIBES, ANTILLES]
    for name, own, other in ((CARAIBES, "Fort-de-France", ANTILLES), (ANTILLES, "Pointe-à-Pitre", CARAIBES)):
        assert made[name].title == f"Lettre de rejet d'une offre — {name}"
        assert made[name].data["candidat"]["nom"] == name
        text = docx_text(made[name].content)
        assert name in text and own in text and other not in text
        assert HOLDER in text
    assert ["Prix (60 %)", "54/60", "60/60"] in table_rows(made[CARAIBES].content)
    assert ["Délais (40 %)", "36/40", "30/40"] in table_rows(made[CARAIBES].content)
    assert ["Prix (60 %)", "57/60", "60/60"] in table_rows(made[ANTILLES].content)
    assert ["Délais (40 %)", "22/40", "30/40"] in table_rows(made[ANTILLES].content)
    assert not [row for row in table_rows(made[ANTILLES].content) if "54/60" in row]


def test_every_letter_of_a_formal_procedure_states_the_standstill():
    for document in letters(process_data()).values():
        text = docx_text(document.content)
        assert "délai de 16 jours" in text and "1er juillet 2027" in text


def test_one_evicted_candidate_gets_one_letter_with_the_notes_that_name_no_candidate():
    anonymous = [{k: v for k, v in row.items() if k != "candidat"} for row in _notes(CARAIBES, "41/60", "33/40")]
    data = process_data(offres=process_data()["offres"][:2], notes_offres=anonymous)
    made = letters(data)
    assert list(made) == [CARAIBES]
    assert ["Prix (60 %)", "41/60", "60/60"] in table_rows(made[CARAIBES].content)
    plain = render_document("lettre_rejet", data)   # without naming the recipient, as before
    assert plain.recipient is None and "Fort-de-France" in docx_text(plain.content)


def test_notes_naming_no_candidate_are_refused_when_several_were_evicted():
    anonymous = [{k: v for k, v in row.items() if k != "candidat"} for row in _notes(CARAIBES, "41/60", "33/40")]
    with pytest.raises(InvalidData) as refused:
        render_documents("lettre_rejet", process_data(notes_offres=anonymous))
    assert "2 candidats sont évincés" in str(refused.value) and CARAIBES in str(refused.value)
    assert ANTILLES in str(refused.value)


def test_notes_naming_someone_who_was_not_evicted_are_refused():
    mistyped = _notes("Cheques & Services Caraibe", "54/60", "36/40") + _notes(ANTILLES, "57/60", "22/40")
    with pytest.raises(InvalidData) as refused:
        render_documents("lettre_rejet", process_data(notes_offres=mistyped))
    assert "Cheques & Services Caraibe" in str(refused.value) and CARAIBES in str(refused.value)


def test_a_candidate_without_notes_gets_a_letter_without_the_table():
    made = letters(process_data(notes_offres=_notes(CARAIBES, "54/60", "36/40")))
    assert not [row for row in table_rows(made[ANTILLES].content) if "Prix (60 %)" in row]
    assert [row for row in table_rows(made[CARAIBES].content) if "Prix (60 %)" in row]


def test_no_evicted_candidate_means_no_letter():
    only_holder = process_data(offres=process_data()["offres"][:1], notes_offres=[])
    assert render_documents("lettre_rejet", only_holder) == []
    assert "aucun candidat évincé" in TemplateRegistry().get("lettre_rejet").fan_out.nobody


def test_the_letter_of_one_named_recipient_only():
    made = letters(process_data(), recipient="  inclusion numérique antilles sas")
    assert list(made) == [ANTILLES]   # the data's spelling
    with pytest.raises(UnknownRecipient) as unknown:
        render_documents("lettre_rejet", process_data(), recipient="Société X")
    message = str(unknown.value)
    assert "« Société X »" in message and CARAIBES in message and ANTILLES in message
    assert HOLDER not in message
    with pytest.raises(NotPerRecipient):
        render_documents("notification_attribution", process_data(), recipient=CARAIBES)


def test_a_letter_without_a_named_recipient_refuses_several_candidates():
    with pytest.raises(InvalidData) as refused:
        render_document("lettre_rejet", process_data())
    assert "générez une lettre par candidat évincé" in str(refused.value)


def test_recipient_slugs_are_readable_file_names():
    assert slug(CARAIBES) == "cheques-services-caraibes-sarl"
    assert slug("  Société  X / Y  ") == "societe-x-y"
    assert slug("«»") == "destinataire"
    assert len(slug("a" * 500)) == 60
