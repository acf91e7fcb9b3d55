"""The figures the deployment tests assert are the seeds' own: each is read here in its seed's text
(shared/seeds beside the repository, as the conformance corpus is)."""
import os
import re
from pathlib import Path

import pytest

from helpers import ROOT

SEEDS = Path(os.environ.get("CONVENTIO_SEEDS_DIR", ROOT.parent / "shared" / "seeds"))
pytestmark = pytest.mark.skipif(not SEEDS.exists(), reason=f"seeds absents : {SEEDS}")


def seed(number):
    [path] = SEEDS.glob(f"{number}_*.txt")
    return " ".join(path.read_text(encoding="utf-8").split())


def test_003_the_sitting_of_cap_nord():
    text = seed("003")
    for fact in ("SEANCE DU JEUDI 27 AVRIL 2023", "Date de convocation : 19 avril 2023",
                 "Nombre de conseillers en exercice : 53", "Nombre d'élus présents pour ce point : 28",
                 "Nombre de procuration : 10", "Pour : 38", "Contre : 00", "Abstention : 00",
                 "Extrait n°CC-04-2023-095", "Fait à Marigot, le 30 mai 2023",
                 "remettre 3 chéquiers de 10 pass aux bénéficiaires du PLIE", "un chéquier de 5 pass par personne",
                 "Six acteurs de médiation"):
        assert fact.replace("**", "") in text.replace("**", ""), fact


def test_002_two_departements_and_one_figure_for_three_years():
    text = seed("002")
    assert "départements des Hauts-de-Seine et des Yvelines" in text
    assert "36 000 personnes dans les trois ans" in text
    assert "prennent toutes les décisions importantes" in text
    assert not re.search(r"\d[\d  ]* personnes (dans|pour) (les|le) (Yvelines|Hauts-de-Seine)", text)


def test_004_the_hubs_four_territories():
    assert "s’étend sur la Guadeloupe, la Guyane, la Martinique et Saint-Martin" in seed("004")


def test_000_seven_publics_without_a_number_of_booklets():
    text = seed("000")
    publics = re.findall(r"– ([^–]+?)(?= –| La Délégation)", text)
    assert len(publics) == 7, publics
    assert "quartiers identifiés comme prioritaires dans le Contrat de ville" in text
    assert not re.search(r"carnets? de \d|\d+ pass", text)   # what each public receives is not said


def test_001_a_thousand_people_a_booklet_of_five_each():
    text = seed("001")
    assert "1.000 personnes feront l’objet de cet accompagnement" in text
    assert "Chaque bénéficiaire se verra attribuer un carnet de 5 \"Pass numériques\"" in text
    assert "La préfecture de La Réunion et l’association Solidarnum" in text
