"""Errors of the document layer. Messages are in French: they reach the users."""


class DocumentError(Exception):
    """Base class of every error raised while producing a document."""


class UnknownTemplate(DocumentError):
    def __init__(self, name: str, known: list[str]):
        self.name = name
        super().__init__(
            f"Modèle de document inconnu : « {name} ». "
            f"Modèles disponibles : {', '.join(sorted(known))}."
        )


class MissingData(DocumentError):
    """The instance data lacks keys a context builder needs."""

    def __init__(self, document: str, missing: list[str]):
        self.document = document
        self.missing = list(missing)
        super().__init__(
            f"Données manquantes pour le document « {document} » : "
            f"{', '.join(self.missing)}."
        )


class InvalidData(DocumentError):
    """A value is present but unusable (bad date, inconsistent figures...)."""


class TemplateSecurityError(DocumentError):
    """A template tried to reach something the sandbox forbids."""

    def __init__(self, detail: str, template: str | None = None):
        self.detail = detail
        self.template = template
        where = f"Le modèle « {template} »" if template else "Un modèle"
        super().__init__(f"{where} a été refusé pour raison de sécurité : {detail}.")

    def for_template(self, template: str) -> "TemplateSecurityError":
        return TemplateSecurityError(self.detail, template)


class UndefinedVariable(DocumentError):
    """The template uses a variable its context does not give (StrictUndefined)."""

    def __init__(self, template: str, detail: str):
        self.template = template
        self.detail = detail
        super().__init__(
            f"Le modèle « {template} » utilise une variable non fournie : {detail}."
        )


class TemplateSyntaxProblem(DocumentError):
    def __init__(self, template: str, detail: str):
        self.template = template
        super().__init__(f"Le modèle « {template} » est mal formé : {detail}.")


class PdfUnavailable(DocumentError):
    """LibreOffice is not installed: the .docx is produced, the PDF is not."""

    def __init__(self, detail: str = "LibreOffice (soffice) est introuvable"):
        super().__init__(
            f"Conversion PDF indisponible ({detail}) : le document .docx est "
            "tout de même produit ; installez LibreOffice (paquet "
            "libreoffice-writer-nogui) pour obtenir le PDF."
        )


class PdfConversionError(DocumentError):
    """LibreOffice ran but did not produce every PDF asked for."""
