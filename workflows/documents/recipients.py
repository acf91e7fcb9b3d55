"""Templates generated one per recipient (the rejection letter: one per evicted candidate).

The registry knows, for such a template, how to list the recipients from the process
data and how to build each recipient's data; the services store one document per
recipient. When the data lists no recipients at all (plain input naming its
`candidat`), the template is made once from the data as given.
"""

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Mapping

from .errors import InvalidData


@dataclass(frozen=True)
class FanOut:
    recipients: Callable[[Mapping], list[str] | None]
    data_for: Callable[[Mapping, str], dict]
    plural: str    # "candidats évincés": who the recipients are, in the messages
    nobody: str    # why the step makes no document when the list is empty


class UnknownRecipient(InvalidData):
    """A recipient named on demand that the instance data does not list."""

    def __init__(self, title: str, wanted: str, known: list[str], plural: str):
        self.wanted = wanted
        self.known = list(known)
        listed = ", ".join(f"« {name} »" for name in known) if known else "aucun"
        super().__init__(f"« {wanted} » n'est pas un destinataire du document « {title} ». "
                         f"{plural[0].upper()}{plural[1:]} : {listed}.")


class NotPerRecipient(InvalidData):
    def __init__(self, title: str):
        super().__init__(f"Le document « {title} » ne se génère pas par destinataire : "
                         "n'indiquez pas de destinataire.")


def same_name(first, second) -> bool:
    return str(first or "").strip().casefold() == str(second or "").strip().casefold()


def matching(known: list[str], wanted: str) -> str | None:
    """The recipient as the data names it, for a name typed with other case or spaces."""
    return next((name for name in known if same_name(name, wanted)), None)


def slug(text: str, limit: int = 60) -> str:
    """"Chèques & Services Caraïbes SARL" -> "cheques-services-caraibes-sarl"."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return words[:limit].rstrip("-") or "destinataire"
