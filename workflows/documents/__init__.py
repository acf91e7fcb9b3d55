"""Document generation: docxtpl templates rendered in a Jinja sandbox from the
plain data of a process instance, checked statically, converted to PDF by
LibreOffice in batches.

    render_document(name, data) -> RenderedDocument      (bytes + checksum + version)
    render_documents(name, data) -> [RenderedDocument]   (one per recipient when the
                                                          template is made per recipient)
    render_to_file(name, data, out) -> Path              (.docx, or .pdf via LibreOffice)
    check_templates() -> CheckReport                     (variables vs context builders)
    convert_to_pdf(docx_paths, out_dir) -> list[Path]
"""

from .checks import CheckReport, check_templates
from .errors import (
    DocumentError, InvalidData, MissingData, PdfConversionError, PdfUnavailable,
    TemplateSecurityError, TemplateSyntaxProblem, UndefinedVariable, UnknownTemplate,
)
from .pdf import PdfConverter, convert_to_pdf, pdf_available
from .recipients import NotPerRecipient, UnknownRecipient, slug
from .registry import TemplateRegistry, TemplateSpec
from .service import RenderedDocument, render_document, render_documents, render_to_file

__all__ = [
    "CheckReport", "DocumentError", "InvalidData", "MissingData", "NotPerRecipient",
    "PdfConversionError", "PdfConverter", "PdfUnavailable", "RenderedDocument", "TemplateRegistry",
    "TemplateSpec", "TemplateSecurityError", "TemplateSyntaxProblem", "UndefinedVariable",
    "UnknownRecipient", "UnknownTemplate", "check_templates", "convert_to_pdf", "pdf_available",
    "render_document", "render_documents", "render_to_file", "slug",
]
