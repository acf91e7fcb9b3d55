"""Entry points: render a registered template from instance data, to bytes or to a file."""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from .errors import InvalidData
from .pdf import convert_to_pdf
from .registry import TemplateRegistry
from .rendering import render_docx

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class RenderedDocument:
    """A generated document and what it was made from (stored together)."""

    template: str
    template_version: str
    title: str
    content: bytes
    data: Mapping = field(repr=False)
    media_type: str = DOCX_MEDIA_TYPE
    recipient: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def render_document(name: str, data: Mapping, registry: TemplateRegistry | None = None,
                    recipient: str | None = None) -> RenderedDocument:
    """Render template `name` with the instance `data` (a plain dict); for a template
    generated per recipient, `recipient`'s own copy.

    Raises UnknownTemplate, MissingData, InvalidData, UndefinedVariable or
    TemplateSecurityError (all DocumentError, messages in French).
    """
    spec = (registry or TemplateRegistry()).get(name)
    _refuse_unwritable_characters(data, spec.title)
    if recipient is not None:
        recipient = spec.recipient_named(data, recipient)
        data = spec.data_for(data, recipient)
    context = spec.build_context(data, recipient)
    content = render_docx(spec.content, context, spec.name)
    return RenderedDocument(spec.name, spec.version, spec.title_for(recipient), content, data,
                            recipient=recipient)


# XML 1.0, hence Word, cannot hold these: control characters other than tab and line
# breaks, lone UTF-16 surrogates, and the two non-characters U+FFFE and U+FFFF.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _refuse_unwritable_characters(data, title):
    """A value no .docx can hold is named before rendering, rather than failing deep in lxml."""
    pending = [("", data)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, str):
            found = UNWRITABLE.search(value)
            if found:
                where = f"la donnée « {path} »" if path else "une donnée"
                raise InvalidData(f"Document « {title} » : {where} contient un caractère qu’un document Word "
                                  f"ne peut pas contenir (U+{ord(found.group()):04X}) ; corrigez-la.")
        elif isinstance(value, Mapping):
            for key, item in value.items():
                pending.append((f"{path}.{key}" if path else str(key), key))
                pending.append((f"{path}.{key}" if path else str(key), item))
        elif isinstance(value, (list, tuple)):
            pending.extend((f"{path}[{i}]", item) for i, item in enumerate(value))


def render_documents(name: str, data: Mapping, registry: TemplateRegistry | None = None,
                     recipient: str | None = None) -> list[RenderedDocument]:
    """Every document `name` makes from `data`: one per recipient the data lists (only
    `recipient`'s when named; none when the list is empty), else the one document.
    All are rendered before any is returned, so that one failure leaves nothing to store."""
    registry = registry or TemplateRegistry()
    spec = registry.get(name)
    if recipient is not None:
        return [render_document(name, data, registry, recipient)]
    recipients = spec.recipients_of(data)
    if recipients is None:
        return [render_document(name, data, registry)]
    return [render_document(name, data, registry, each) for each in recipients]


def render_to_file(name: str, data: Mapping, out: Path | str,
                   registry: TemplateRegistry | None = None, recipient: str | None = None) -> Path:
    """Render to `out` (for `recipient` when the template is made per recipient); a ".pdf"
    suffix converts through LibreOffice.

    For a PDF the .docx is written beside it first, so that if LibreOffice is
    missing (PdfUnavailable) the .docx is still there.
    """
    out = Path(out)
    document = render_document(name, data, registry, recipient)
    if out.suffix.lower() != ".pdf":
        out.write_bytes(document.content)
        return out
    docx_path = out.with_suffix(".docx")
    docx_path.write_bytes(document.content)
    [pdf_path] = convert_to_pdf([docx_path], out.parent)
    return pdf_path
