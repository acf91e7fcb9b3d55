"""The templates Conventio knows: name, file, version, French title, context builder."""

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from . import contexts
from .contexts import ContextBuilder
from .errors import UnknownTemplate
from .recipients import FanOut, NotPerRecipient, UnknownRecipient, matching

DEFAULT_TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"

CATALOGUE = {  # name (= file stem): French title, context builder
    "extrait_deliberation": (
        "Extrait du registre des délibérations", contexts.extrait_deliberation),
    "convention_anct": (
        "Convention de cofinancement avec l'ANCT", contexts.convention_anct),
    "convention_relais_commune": (
        "Convention de partenariat avec une commune relais", contexts.convention_relais_commune),
    "convention_mandat": (
        "Convention de mandat avec un prescripteur", contexts.convention_mandat),
    "convention_lieu_mediation": (
        "Convention avec un lieu de médiation numérique", contexts.convention_lieu_mediation),
    "reglement_consultation": (
        "Règlement de la consultation", contexts.reglement_consultation),
    "cahier_des_charges": (
        "Cahier des clauses techniques particulières", contexts.cahier_des_charges),
    "lettre_rejet": ("Lettre de rejet d'une offre", contexts.lettre_rejet),
    "notification_attribution": ("Notification du marché", contexts.notification_attribution),
    "bon_de_commande": ("Bon de commande", contexts.bon_de_commande),
    "lettre_beneficiaire": (
        "Lettre au bénéficiaire du Pass numérique", contexts.lettre_beneficiaire),
    "rapport_evaluation": (
        "Rapport d'évaluation du déploiement", contexts.rapport_evaluation),
}

PER_RECIPIENT = {  # templates generated one per recipient (see recipients.py)
    "lettre_rejet": FanOut(
        recipients=contexts.evicted_candidates, data_for=contexts.rejection_data,
        plural="candidats évincés",
        nobody="aucun candidat évincé, la seule offre reçue étant celle du titulaire"),
}


@lru_cache(maxsize=64)
def _file_digest(path: Path, modified_ns: int, size: int) -> tuple[str, bytes]:
    content = path.read_bytes()
    return hashlib.sha256(content).hexdigest(), content


@dataclass(frozen=True)
class TemplateSpec:
    name: str
    path: Path
    title: str
    builder: ContextBuilder
    fan_out: FanOut | None = None

    def _read(self) -> tuple[str, bytes]:
        stat = self.path.stat()
        return _file_digest(self.path, stat.st_mtime_ns, stat.st_size)

    @property
    def version(self) -> str:
        """sha256 of the template file: what a generated document was made from."""
        return self._read()[0]

    @property
    def content(self) -> bytes:
        return self._read()[1]

    def build_context(self, data: Mapping, recipient: str | None = None) -> dict:
        """The template's context; errors name the document (and its recipient)."""
        return self.builder(data, self.title_for(recipient))

    def recipients_of(self, data: Mapping) -> list[str] | None:
        """Who gets a copy of their own, in order; None when the template is made once
        (not generated per recipient, or the data lists no recipients)."""
        return None if self.fan_out is None else self.fan_out.recipients(data)

    def recipient_named(self, data: Mapping, wanted: str) -> str:
        """The recipient `wanted` as the data names it; a French error listing the others."""
        known = self.recipients_of(data)
        if known is None:
            raise NotPerRecipient(self.title)
        found = matching(known, wanted)
        if found is None:
            raise UnknownRecipient(self.title, wanted, known, self.fan_out.plural)
        return found

    def data_for(self, data: Mapping, recipient: str) -> dict:
        return self.fan_out.data_for(data, recipient)

    def title_for(self, recipient: str | None) -> str:
        return self.title if recipient is None else f"{self.title} — {recipient}"


class TemplateRegistry:
    def __init__(self, templates_dir: Path | str | None = None):
        self.templates_dir = Path(templates_dir) if templates_dir else default_templates_dir()
        self._specs = {
            name: TemplateSpec(name, self.templates_dir / f"{name}.docx", title, builder,
                               PER_RECIPIENT.get(name))
            for name, (title, builder) in CATALOGUE.items()
        }

    def names(self) -> list[str]:
        return list(self._specs)

    def get(self, name: str) -> TemplateSpec:
        try:
            return self._specs[name.removesuffix(".docx")]
        except KeyError:
            raise UnknownTemplate(name, self.names()) from None

    def __iter__(self):
        return iter(self._specs.values())


def default_templates_dir() -> Path:
    """CONVENTIO_TEMPLATES_DIR if set (read at each call), else the repository's templates/."""
    configured = os.environ.get("CONVENTIO_TEMPLATES_DIR")
    return Path(configured) if configured else DEFAULT_TEMPLATES_DIR
