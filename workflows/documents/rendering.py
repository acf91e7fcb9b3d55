"""docxtpl rendering inside a Jinja sandbox.

A template is data, not code: whoever edits a .docx must not reach Python.
The sandbox already hides `_` attributes by returning an undefined value; we
refuse them outright instead, so a probing template fails loudly with a
TemplateSecurityError naming the template rather than rendering something.
"""

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateSyntaxError, Undefined, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from .errors import TemplateSecurityError, TemplateSyntaxProblem, UndefinedVariable
from .formatting import FILTERS


@dataclass(frozen=True)
class Image:
    """A picture a context builder wants in the document (PNG bytes).
    Builders stay free of docxtpl: the renderer turns it into an InlineImage."""

    png: bytes
    width_mm: float


def _refuse_private(name) -> None:
    if isinstance(name, str) and name.startswith("_"):
        raise TemplateSecurityError(f"accès interdit à l'attribut « {name} »")


def _strict(filter_function):
    """Our filters convert their input; an undefined value must fail as undefined
    (StrictUndefined), not as a badly formatted number."""

    def strict_filter(value, *args, **kwargs):
        if isinstance(value, Undefined):
            value._fail_with_undefined_error()
        return filter_function(value, *args, **kwargs)

    return strict_filter


class DocumentEnvironment(SandboxedEnvironment):
    """Sandbox + StrictUndefined + autoescape + the French filters.

    Compiled templates are cached by source: docxtpl calls `from_string` on the
    whole document XML at every render, and compiling costs more than rendering.
    """

    def __init__(self):
        super().__init__(undefined=StrictUndefined, autoescape=True)
        self.filters.update({name: _strict(f) for name, f in FILTERS.items()})
        self._compiled_by_source = lru_cache(maxsize=256)(super().from_string)

    def getattr(self, obj, attribute):
        _refuse_private(attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        _refuse_private(argument)
        return super().getitem(obj, argument)

    def from_string(self, source, globals=None, template_class=None):
        if globals is None and template_class is None:
            return self._compiled_by_source(source)
        return super().from_string(source, globals, template_class)


@lru_cache(maxsize=1)
def environment() -> DocumentEnvironment:
    return DocumentEnvironment()


def _with_images(value, template: DocxTemplate):
    if isinstance(value, Image):
        return InlineImage(template, io.BytesIO(value.png), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {key: _with_images(item, template) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_images(item, template) for item in value]
    return value


def render_docx(template_file: Path | bytes, context: dict, template_name: str) -> bytes:
    """Render a .docx template with `context`; return the .docx bytes.

    Raises TemplateSecurityError, UndefinedVariable or TemplateSyntaxProblem,
    each naming `template_name`.
    """
    source = io.BytesIO(template_file) if isinstance(template_file, bytes) else template_file
    template = DocxTemplate(source)
    try:
        template.render(_with_images(context, template), jinja_env=environment())
    except TemplateSecurityError as error:
        raise error.for_template(template_name) from error
    except SecurityError as error:
        raise TemplateSecurityError(str(error), template_name) from error
    except UndefinedError as error:
        raise UndefinedVariable(template_name, str(error)) from error
    except TemplateSyntaxError as error:
        raise TemplateSyntaxProblem(template_name, str(error)) from error
    except OverflowError as error:   # the sandbox's bound on range()
        raise TemplateSecurityError(f"boucle trop longue ({error})", template_name) from error
    output = io.BytesIO()
    template.save(output)
    return output.getvalue()
