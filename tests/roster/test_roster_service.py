"""The members of each territory's assemblies: the CSV import (all or nothing, the assembly bound to
the territory's kind), the list by assembly and by day, who may read or import, on SQLite and on
PostgreSQL; and the sitting's attendance made from the roster's ticks."""
from datetime import date

import pytest
from sqlalchemy import func, select

from helpers import ADMIN, ROOT, actor
from roster_helpers import ROSTER, attendance
from workflows.services.actors import Actor
from workflows.errors import Forbidden, InvalidData, NotFound
from workflows.services.attendance import ABSENT, PRESENT, REPRESENTED, roster_data, roster_mode
from workflows.services.roster import import_members, list_members, sitting_roster
from workflows.services.territory_import import import_territories
from workflows.store.models import AssemblyMember, AuditEntry

TERRITORIES = ROOT / "data" / "territoires.csv"


@pytest.fixture
def seeded(any_app):
    import_territories(any_app, ADMIN, TERRITORIES.read_bytes())
    return any_app


def counts(app):
    with app.db.sessions() as session:
        return tuple(session.execute(select(func.count()).select_from(m)).scalar()
                     for m in (AssemblyMember, AuditEntry))


def test_cap_nord_s_53_members_import_and_a_new_file_replaces_them(seeded):
    done = import_members(seeded, ADMIN, "cap-nord", ROSTER.read_bytes())
    assert done == {"territory": "cap-nord", "members": 53, "assemblies": {"conseil_communautaire": 53}}
    members = list_members(seeded, ADMIN, "cap-nord")
    assert len(members) == 53 and members[0]["name"] == "Maryse ALSIF épouse RANGOLY"
    assert {m["assembly_label"] for m in members} == {"Conseil communautaire"}
    assert next(m for m in members if m["name"] == "Bruno Nestor AZÉROT")["function"] == "Président"
    again = "nom;fonction\nBruno Nestor AZÉROT;Président\nPatricia Athanase PALMONT;Vice-présidente\n"
    assert import_members(seeded, ADMIN, "cap-nord", again.encode("cp1252"))["members"] == 2
    assert [m["name"] for m in list_members(seeded, ADMIN, "cap-nord")] == \
        ["Bruno Nestor AZÉROT", "Patricia Athanase PALMONT"]


def test_the_members_in_office_on_the_day_of_the_sitting(seeded):
    text = ("Nom,Fonction,Assemblée,Début,Fin\n"
            "Ancien ÉLU,Conseiller,Conseil communautaire,01/07/2014,30/06/2020\n"
            "Nouvel ÉLU,Conseiller,conseil_communautaire,2020-07-01,\n"
            "Membre DU BUREAU,Vice-président,Bureau communautaire,,\n")
    assert import_members(seeded, ADMIN, "cap-nord", text.encode())["assemblies"] == \
        {"conseil_communautaire": 2, "bureau_communautaire": 1}
    on = lambda day: [m["name"] for m in list_members(seeded, ADMIN, "cap-nord", "conseil_communautaire", day)]
    assert on(date(2019, 3, 1)) == ["Ancien ÉLU"] and on(date(2023, 4, 27)) == ["Nouvel ÉLU"]
    sitting = sitting_roster(seeded, ADMIN, "cap-nord", "conseil_municipal", "2023-04-27")
    assert (sitting["assembly"], [m["name"] for m in sitting["members"]], sitting["quorum"]) == \
        ("conseil_communautaire", ["Nouvel ÉLU"], 1)   # a commune's council is no EPCI's: its own first assembly
    assert sitting_roster(seeded, ADMIN, "978", None, "2023-04-27") is None   # no roster: typed by hand


def test_a_bad_file_names_each_line_and_column_and_changes_nothing(seeded):
    import_members(seeded, ADMIN, "cap-nord", ROSTER.read_bytes())
    before = counts(seeded)
    text = ("nom;fonction;assemblee;debut;fin\n"
            ";Conseiller;;;\n"                                        # line 2: no name
            "Jean MARTIN;Conseiller;conseil municipal;;\n"             # line 3: a commune's assembly
            "Jeanne DURAND;Conseillère;;31/02/2023;\n"                 # line 4: no such day
            "Paul PETIT;Conseiller;;2023-05-01;2023-04-01\n"           # line 5: ends before it starts
            "Jean MARTIN;Conseiller;;;\n"                              # line 6: fine
            "jean martin;Conseiller;;;\n")                             # line 7: the same member again
    with pytest.raises(InvalidData) as refused:
        import_members(seeded, ADMIN, "cap-nord", text.encode())
    details = refused.value.details
    assert set(details) == {"ligne 2, colonne « nom »", "ligne 3, colonne « assemblee »", "ligne 4, colonne « debut »",
                            "ligne 5, colonne « fin »", "ligne 7, colonne « nom »"}
    assert details["ligne 3, colonne « assemblee »"].startswith(
        "assemblée « conseil municipal » impossible pour un territoire de type « EPCI »")
    assert details["ligne 4, colonne « debut »"] == "date invalide « 31/02/2023 » (JJ/MM/AAAA ou AAAA-MM-JJ)"
    assert details["ligne 7, colonne « nom »"] == "« jean martin » déjà donné ligne 6"
    assert refused.value.message.startswith("Import refusé, rien n’a été enregistré. ligne 2, colonne « nom »")
    assert counts(seeded) == before


def test_a_territory_without_an_assembly_or_unknown_is_refused(seeded):
    with pytest.raises(InvalidData) as refused:
        import_members(seeded, ADMIN, "prefecture-974", b"nom\nX\n")
    assert refused.value.details == {"territory": "sans assemblée"}
    assert refused.value.message.startswith("Un territoire de type « Service de l’État » n’a pas d’assemblée")
    with pytest.raises(NotFound):
        import_members(seeded, ADMIN, "inconnu", ROSTER.read_bytes())


def test_administrators_import_whoever_sees_the_territory_reads(seeded):
    import_members(seeded, ADMIN, "cap-nord", ROSTER.read_bytes())
    before = counts(seeded)
    secretariat = actor("assemblees-capnord", "assembly", territories=["cap-nord"])
    hub = Actor("hub", frozenset({"observer"}), frozenset({"hub-antilles-guyane"}), observed=frozenset({"cap-nord"}))
    stranger = actor("dgas78", "director", territories=["78"])
    with pytest.raises(Forbidden):
        import_members(seeded, secretariat, "cap-nord", ROSTER.read_bytes())
    assert len(list_members(seeded, secretariat, "cap-nord")) == 53
    assert len(list_members(seeded, hub, "cap-nord")) == 53
    with pytest.raises(NotFound):
        list_members(seeded, stranger, "cap-nord")
    assert sitting_roster(seeded, stranger, "cap-nord", None, None) is None
    assert counts(seeded) == before


def _ticks(members, present, proxies, absent):
    ids = {m["name"]: m["id"] for m in members}
    ticks = {ids[n]: (PRESENT, None) for n in present}
    ticks.update({ids[n]: (ABSENT, None) for n in absent})
    ticks.update({ids[giver]: (REPRESENTED, ids[holder]) for giver, holder in proxies.items()})
    return ticks


def test_the_27_april_2023_ticks_make_the_sitting_s_counts_and_the_extract_s_lists(seeded):
    import_members(seeded, ADMIN, "cap-nord", ROSTER.read_bytes())
    members = sitting_roster(seeded, ADMIN, "cap-nord", "conseil_communautaire", "2023-04-27")["members"]
    present, proxies, absent = attendance()
    ticks = _ticks(members, present, proxies, absent)
    counts_data, problems = roster_data("counts", members, ticks, {"president_seance": "Bruno Nestor AZÉROT"})
    assert problems == {}
    assert counts_data == {"president_seance": "Bruno Nestor AZÉROT", "membres_en_exercice": 53, "presents": 28,
                           "procurations": 10, "absents": 15}
    reconvened = {"presents", "procurations", "absents", "president_seance"}   # its form has no membres_en_exercice
    assert "membres_en_exercice" not in roster_data("counts", members, ticks, {}, declared=reconvened)[0]
    typed = {"liste_absents": [{"nom": "Invité HORS-LISTE"}]}
    lists, problems = roster_data("lists", members, ticks, typed, date(2023, 4, 27))
    assert problems == {}
    assert sorted(r["nom"] for r in lists["liste_presents"]) == sorted(present)
    assert {r["mandant"]: r["mandataire"] for r in lists["liste_representes"]} == proxies
    assert [r["nom"] for r in lists["liste_absents"]][-1] == "Invité HORS-LISTE" and len(lists["liste_absents"]) == 16


def test_proxies_are_checked_at_the_sitting_and_counts_typed_must_match_the_ticks(seeded):
    import_members(seeded, ADMIN, "cap-nord", ROSTER.read_bytes())
    members = sitting_roster(seeded, ADMIN, "cap-nord", None, None)["members"]
    present, proxies, absent = attendance()
    ticks = _ticks(members, present, proxies, absent)
    ids = {m["name"]: m["id"] for m in members}
    ticks[ids["Sylvie PALCY"]] = (REPRESENTED, ids["Kristelle RISAL"])     # RISAL now holds two proxies
    ticks[ids["Maurice BONTÉ"]] = (REPRESENTED, None)                      # no holder named
    ticks[ids["Félix ISMAIN"]] = (REPRESENTED, ids["Pamela PATRON"])      # held by a member absent
    del ticks[ids["Annick CHARLEC"]]                                       # not ticked at all
    data, problems = roster_data("counts", members, ticks, {"presents": 28})
    proxies_problem = problems["procurations de la liste des membres"]
    assert "Kristelle RISAL détient 2 procurations" in proxies_problem
    assert "Maurice BONTÉ : choisissez le membre présent" in proxies_problem
    assert "Pamela PATRON" in proxies_problem
    assert problems["liste des membres"] == "1 membre(s) ni présent, ni représenté, ni absent : Annick CHARLEC"
    assert problems["presents"] == "28 saisi(s), 27 d’après la liste des membres cochée"


def test_nothing_ticked_leaves_the_form_as_typed_and_other_forms_have_no_roster(seeded):
    assert roster_data("counts", [{"id": 1, "name": "A"}], {1: (None, None)}, {"presents": 3}) == ({"presents": 3}, {})
    seance = {"properties": {k: {} for k in ("presents", "procurations", "absents")}}
    extract = {"properties": {k: {} for k in ("liste_presents", "liste_representes", "liste_absents")}}
    assert (roster_mode(seance), roster_mode(extract), roster_mode({"properties": {"presents": {}}})) == \
        ("counts", "lists", None)
