"""The document templates themselves, outside any instance: the choice offered, a rendering
from given data (to try a template from the shell), and the check of every template."""
from pathlib import Path

from .. import documents as rendering
from ..errors import InvalidData


def template_choices():
    """(name, French title) of every template, for a generation form."""
    return [(spec.name, spec.title) for spec in rendering.TemplateRegistry()]


def render_template_file(template, data, out, recipient=None):
    """Render `template` from `data` into the file `out` (.docx, or .pdf through LibreOffice);
    its path. Every refusal is InvalidData with a French message."""
    try:
        return rendering.render_to_file(template, data, out, recipient=recipient)
    except rendering.PdfUnavailable as exc:
        raise InvalidData(f"{exc} Le document Word est écrit : {Path(out).with_suffix('.docx')}.") from None
    except rendering.DocumentError as exc:
        raise InvalidData(str(exc)) from None
    except OSError as exc:
        raise InvalidData(f"Impossible d’écrire {out} ({exc.strerror}).") from None


def check_templates():
    """Whether every template uses only the variables its context provides: the report (ok, as_text())."""
    return rendering.check_templates()
