"""CAP Nord's roster (data/membres-cap-nord.csv: the 53 members in office of seed 003) and the
attendance of its 27 April 2023 sitting, as the library's scenario typed it from the register."""
import json

from helpers import ROOT

ROSTER = ROOT / "data" / "membres-cap-nord.csv"
SCENARIO = ROOT / "tests" / "scenarios" / "deliberation_adoptee_martinique.json"


def register_extract():
    steps = json.loads(SCENARIO.read_text(encoding="utf-8"))["steps"]
    return next(s["data"] for s in steps if s.get("task") == "etablir_extrait")


def attendance():
    """(present names, {represented: holder as the roster spells it}, absent names)."""
    extract = register_extract()
    present = [r["nom"] for r in extract["liste_presents"]]

    def spelled(holder):   # the register writes « Patricia PALMONT » for « Patricia Athanase PALMONT »
        import unicodedata
        plain = lambda t: unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode().upper()
        return next(p for p in present if plain(p.split()[-1]) == plain(holder.split()[-1])
                    and plain(p.split()[0]) == plain(holder.split()[0]))
    proxies = {r["mandant"]: spelled(r["mandataire"]) for r in extract["liste_representes"]}
    return present, proxies, [r["nom"] for r in extract["liste_absents"]]
