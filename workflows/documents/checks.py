"""Static check of the templates against their context builders, without rendering.

For every template: the variables its body, headers, footers, footnotes and
document properties use, compared with the keys its builder declares it
provides; plus any access to a `_` attribute (refused at render anyway) and any
Jinja syntax error. Run by `conventio templates check` and by the tests.
"""

import io
from dataclasses import dataclass, field

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, meta, nodes

from .registry import TemplateRegistry, TemplateSpec
from .rendering import environment

FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")


@dataclass
class TemplateCheck:
    name: str
    title: str
    version: str
    variables: set[str] = field(default_factory=set)
    unknown: set[str] = field(default_factory=set)
    forbidden: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.unknown or self.forbidden or self.errors)


@dataclass
class CheckReport:
    templates: list[TemplateCheck]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.templates)

    def as_text(self) -> str:
        """The report as French text, one line per template and one per problem."""
        lines = []
        for check in self.templates:
            status = "OK" if check.ok else "ERREUR"
            lines.append(f"{status:6} {check.name} ({len(check.variables)} variables, "
                         f"version {check.version[:12]})")
            if check.unknown:
                lines.append("       variables non fournies par le constructeur de contexte : "
                             + ", ".join(sorted(check.unknown)))
            if check.forbidden:
                lines.append("       attributs interdits : " + ", ".join(sorted(check.forbidden)))
            lines.extend(f"       {error}" for error in check.errors)
        failed = sum(not check.ok for check in self.templates)
        lines.append(f"{len(self.templates)} modèles vérifiés, {failed} en erreur.")
        return "\n".join(lines)


def template_sources(content: bytes) -> dict[str, str]:
    """The Jinja source of every templated part of a .docx, as docxtpl renders it."""
    template = DocxTemplate(io.BytesIO(content))
    template.init_docx()
    sources = {"corps": template.patch_xml(template.get_xml())}
    parts = {rel.target_part for rel in template.docx.part.rels.values()
             if not rel.is_external and rel.reltype in (RT.HEADER, RT.FOOTER)}
    parts |= {part for part in template.docx.part.package.parts
              if part.content_type == FOOTNOTES_TYPE}
    for part in sorted(parts, key=lambda p: str(p.partname)):
        xml = template.xml_to_string(parse_xml(part.blob))
        sources[str(part.partname)] = template.patch_xml(xml)
    properties = template.docx.core_properties
    for name in PROPERTIES:
        sources[f"propriété {name}"] = getattr(properties, name) or ""
    return sources


def _private_accesses(tree: nodes.Template) -> set[str]:
    found = {node.attr for node in tree.find_all(nodes.Getattr) if node.attr.startswith("_")}
    for node in tree.find_all(nodes.Getitem):
        if isinstance(node.arg, nodes.Const) and str(node.arg.value).startswith("_"):
            found.add(str(node.arg.value))
    return found


def check_template(spec: TemplateSpec) -> TemplateCheck:
    env = environment()
    check = TemplateCheck(spec.name, spec.title, spec.version)
    for part, source in template_sources(spec.content).items():
        try:
            tree = env.parse(source)
        except TemplateSyntaxError as error:
            check.errors.append(f"{part} : syntaxe invalide ligne {error.lineno} : {error.message}")
            continue
        check.variables |= meta.find_undeclared_variables(tree) - set(env.globals)
        check.forbidden |= _private_accesses(tree)
    check.unknown = check.variables - spec.builder.provides
    return check


def check_templates(registry: TemplateRegistry | None = None) -> CheckReport:
    """Check every registered template; `report.ok` is False at the first gap."""
    registry = registry or TemplateRegistry()
    checks = []
    for spec in registry:
        if not spec.path.is_file():
            checks.append(TemplateCheck(spec.name, spec.title, "",
                                        errors=[f"fichier absent : {spec.path}"]))
            continue
        checks.append(check_template(spec))
    return CheckReport(checks)
