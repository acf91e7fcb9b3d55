"""What a door gives the ledger, read the same way from a page's form, an API body, a CLI
file and a CSV line: French keys (the CSV's columns), texts or JSON values, into the
service's arguments. A value that cannot be read is an InvalidData naming its key."""
import re
from datetime import date, datetime

from ..errors import InvalidData

SERIAL_SEPARATORS = re.compile(r"[\s,;|]+")
YES = frozenset({"oui", "o", "1", "true", "vrai", "x", "yes", "qpv"})
NO = frozenset({"non", "n", "0", "false", "faux", "no", ""})


def handout(values, today=None):
    """{prescripteur, public, date, carnets, identifiant, tranche_age, commune, qpv} -> hand_out's arguments."""
    return {"prescriber": text(values, "prescripteur", required=True), "public": text(values, "public"),
            "on": day(values, "date", today), "serials": serials(values),
            "identifier": text(values, "identifiant") or None, "age_band": text(values, "tranche_age"),
            "commune": text(values, "commune"), "priority_area": flag(values, "qpv")}


def giving_back(values, today=None):
    """{prescripteur, date, carnets} -> return_to_stock's arguments."""
    return {"prescriber": text(values, "prescripteur", required=True), "on": day(values, "date", today),
            "serials": serials(values)}


def transfer(values, today=None):
    """{source, destination, date, carnets} -> transfer's arguments."""
    return {"source": text(values, "source", required=True), "destination": text(values, "destination", required=True),
            "on": day(values, "date", today), "serials": serials(values)}


def text(values, key, required=False):
    value = values.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidData(f"« {key} » : un texte est attendu.", {key: "texte attendu"})
    if required and not value.strip():
        raise InvalidData(f"« {key} » : champ obligatoire.", {key: "champ obligatoire"})
    return value.strip()


def day(values, key, today=None):
    """An ISO date (2027-03-10) or a French one (10/03/2027); absent: `today` when given."""
    value = values.get(key)
    if isinstance(value, date):
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        if today is not None:
            return today
        raise InvalidData(f"« {key} » : champ obligatoire (JJ/MM/AAAA).", {key: "champ obligatoire"})
    if isinstance(value, str):
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.strptime(value.strip(), pattern).date()
            except ValueError:
                pass
    raise InvalidData(f"« {key} » : date invalide {value!r} (JJ/MM/AAAA ou AAAA-MM-JJ).", {key: "date invalide"})


def serials(values, key="carnets"):
    """Booklet numbers: a list, or one text where spaces, commas, semicolons or « | » separate them."""
    value = values.get(key)
    if isinstance(value, str):
        value = SERIAL_SEPARATORS.split(value)
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise InvalidData(f"« {key} » : une liste de numéros de carnets est attendue.", {key: "liste attendue"})
    named = [s.strip() for s in value if s.strip()]
    if not named:
        raise InvalidData("Indiquez au moins un numéro de carnet.", {key: "champ obligatoire"})
    if any(len(s) > 100 for s in named):
        raise InvalidData(f"« {key} » : un numéro de carnet compte 100 caractères au plus.", {key: "numéro trop long"})
    return named


def flag(values, key):
    value = values.get(key)
    if isinstance(value, bool) or value is None:
        return bool(value)
    if isinstance(value, str) and value.strip().casefold() in YES | NO:
        return value.strip().casefold() in YES
    raise InvalidData(f"« {key} » : oui ou non.", {key: "oui ou non"})
