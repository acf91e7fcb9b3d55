"""Turn a set of BPMN/DMN files into checked, serializable process definitions.

A model set is refused whole: every problem is collected with the file, the element
(id and name) and the reason, and nothing is returned unless there is none.
"""
import hashlib
import json
import posixpath
import sys
from dataclasses import dataclass, field

import jsonschema
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask as SubWorkflowTaskMixin
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser

from .sandbox import ScriptRefused, check_source
from .serialization import spec_to_dict
from .timer_bounds import TIMER_KINDS, TimerRefused, check_timer_value, literal_timer_value
from .xml import UnsafeXml, parse_xml

MODEL_SUFFIXES = (".bpmn", ".bpmn20.xml", ".dmn")
SCRIPT_KEYS = ("script", "prescript", "postscript")
EXPRESSION_KEYS = ("condition", "expression", "cardinality")
# The parser recurses once per element along a path: long sequential models need room.
PARSER_RECURSION_LIMIT = 20000


@dataclass(frozen=True)
class Problem:
    file: str | None
    reason: str
    element_id: str | None = None
    element_name: str | None = None
    line: int | None = None

    def describe(self):
        where = self.file or "modèle"
        if self.line:
            where += f", ligne {self.line}"
        if self.element_id or self.element_name:
            label = " ".join(f"« {v} »" for v in (self.element_id, self.element_name) if v)
            where += f", élément {label}"
        return f"{where} : {self.reason}"

    def to_dict(self):
        return {"file": self.file, "element_id": self.element_id, "element_name": self.element_name,
                "line": self.line, "reason": self.reason}


@dataclass
class ParsedProcess:
    process_id: str
    name: str
    spec: object
    subprocess_specs: dict
    spec_json: str
    forms: dict
    sources: dict
    warnings: list = field(default_factory=list)
    content_hash: str = field(default="")


class ModelSetRefused(Exception):
    def __init__(self, problems):
        self.problems = problems
        first = problems[0].describe()
        more = f" (et {len(problems) - 1} autre(s) problème(s))" if len(problems) > 1 else ""
        super().__init__(f"Modèle refusé : {first}{more}")


def is_model_file(name):
    return name.lower().endswith(MODEL_SUFFIXES)


def parse_model_set(sources):
    """Parse and check `sources` ({relative name: bytes}); return [ParsedProcess].

    Raises ModelSetRefused listing every problem found.
    """
    previous_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous_limit, PARSER_RECURSION_LIMIT))
    try:
        return _parse_model_set(sources)
    finally:
        sys.setrecursionlimit(previous_limit)


def _parse_model_set(sources):
    parser = SpiffBpmnParser(validator=VALIDATOR)
    problems = []
    model_names = sorted(name for name in sources if is_model_file(name))
    if not model_names:
        raise ModelSetRefused([Problem(None, "aucun fichier BPMN ou DMN fourni")])
    for name in model_names:
        _add_file(parser, name, sources[name], problems)
    if problems:
        raise ModelSetRefused(problems)
    process_ids = parser.get_process_ids()
    if not process_ids:
        files = ", ".join(n for n in model_names if not n.endswith(".dmn"))
        raise ModelSetRefused([Problem(files, "aucun processus exécutable : aucun élément "
                                              "<process> ne porte isExecutable=\"true\"")])
    parsed = []
    for process_id in process_ids:
        process = _parse_process(parser, process_id, sources, problems)
        if process is not None:
            parsed.append(process)
    if problems:
        raise ModelSetRefused(problems)
    return parsed


def _add_file(parser, name, content, problems):
    try:
        tree = parse_xml(content, name)
        if name.lower().endswith(".dmn"):
            parser.add_dmn_xml(tree, filename=name)
        else:
            parser.add_bpmn_xml(tree, filename=name)
    except UnsafeXml as exc:
        problems.append(Problem(name, str(exc).split(" : ", 1)[-1]))
    except ValidationException as exc:
        problems.append(_problem_from_validation(exc, name))
    except Exception as exc:  # the parser raises bare errors on some malformed models
        problems.append(Problem(name, f"modèle illisible ({type(exc).__name__} : {exc})"))


# The parser speaks English; users read French. The original stays in brackets.
KNOWN_REASONS = (
    ("No start event found", "aucun événement de début"),
    ("Cancel Events may only be used with transactions",
     "un événement d’annulation n’est permis que dans une transaction"),
    ("No DMN Diagram available", "table de décision DMN introuvable"),
    ("Cannot resolve dataOutputAssociation", "association de données de sortie introuvable"),
    ("Cannot resolve dataInputAssociation", "association de données d’entrée introuvable"),
    ("Duplicate process ID", "identifiant de processus en double"),
    ("was not found", "élément introuvable"),
    ("Element '{", "non conforme au schéma BPMN 2.0"),
)


def french_reason(message):
    for marker, french in KNOWN_REASONS:
        if marker in message:
            return f"{french} (moteur : {message})"
    return f"modèle invalide (moteur : {message})"


def _problem_from_validation(exc, default_file):
    reason = french_reason(str(getattr(exc, "error_msg", None) or exc).strip())
    return Problem(getattr(exc, "file_name", None) or default_file, reason,
                   getattr(exc, "id", None) or None, getattr(exc, "name", None) or None,
                   getattr(exc, "line_number", None) or None)


def _parse_process(parser, process_id, sources, problems):
    process_parser = parser.get_process_parser(process_id)
    filename = process_parser.filename
    before = len(problems)
    try:
        spec = parser.get_spec(process_id)
        _check_called_processes(parser, spec, filename, problems)
        if len(problems) > before:
            return None
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except ValidationException as exc:
        problems.append(_problem_from_validation(exc, filename))
        return None
    except Exception as exc:
        problems.append(Problem(filename, f"processus « {process_id} » illisible ({exc})"))
        return None
    all_specs = {process_id: spec, **subprocess_specs}
    spec_dicts = {pid: spec_to_dict(s) for pid, s in all_specs.items()}
    for pid, spec_dict in spec_dicts.items():
        _check_sandbox(spec_dict, all_specs[pid].file, problems)
        _check_timers(spec_dict, all_specs[pid].file, problems)
    forms, warnings = {}, []
    for s in all_specs.values():
        forms.update(_collect_forms(s, sources, problems, warnings))
    if len(problems) > before:
        return None
    spec_json = json.dumps({"spec": spec_dicts[process_id],
                            "subprocess_specs": {k: v for k, v in spec_dicts.items() if k != process_id}},
                           sort_keys=True, separators=(",", ":"))
    files = sorted({s.file for s in all_specs.values() if s.file} | _dmn_files(sources))
    used_sources = {f: sources[f].decode("utf-8") for f in files if f in sources}
    process = ParsedProcess(process_id, process_parser.get_name() or process_id, spec,
                            subprocess_specs, spec_json, forms, used_sources, warnings)
    process.content_hash = _content_hash(process)
    return process


def _dmn_files(sources):
    return {name for name in sources if name.lower().endswith(".dmn")}


def _check_called_processes(parser, spec, filename, problems):
    for task_spec in spec.task_specs.values():
        if isinstance(task_spec, SubWorkflowTaskMixin) and parser.get_process_parser(task_spec.spec) is None:
            if task_spec.spec in (spec.name, None):
                continue
            problems.append(Problem(filename, f"le sous-processus appelé « {task_spec.spec} » est introuvable",
                                    task_spec.bpmn_id, task_spec.bpmn_name))


def _check_sandbox(spec_dict, filename, problems):
    for task_spec in spec_dict.get("task_specs", {}).values():
        for key, source, is_expression in _sources_in(task_spec):
            try:
                check_source(source, is_expression)
            except ScriptRefused as exc:
                kind = "expression" if is_expression else "script"
                problems.append(Problem(filename, f"{kind} refusé par le bac à sable ({key}) : {exc}",
                                        task_spec.get("bpmn_id"), task_spec.get("bpmn_name")))
            except SyntaxError as exc:
                problems.append(Problem(filename, f"erreur de syntaxe ({key}) : {exc}",
                                        task_spec.get("bpmn_id"), task_spec.get("bpmn_name")))


def _check_timers(spec_dict, filename, problems):
    """Timers written as literals are checked now; computed ones when they are evaluated."""
    for task_spec in spec_dict.get("task_specs", {}).values():
        for kind, expression in _timers_in(task_spec):
            try:
                value = literal_timer_value(expression)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                continue
            try:
                check_timer_value(kind, value)
            except TimerRefused as exc:
                problems.append(Problem(filename, f"minuteur refusé : {exc}",
                                        task_spec.get("bpmn_id"), task_spec.get("bpmn_name")))


def _timers_in(node):
    if isinstance(node, dict):
        if node.get("typename") in TIMER_KINDS:
            yield node["typename"], node.get("expression")
        for value in node.values():
            yield from _timers_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from _timers_in(item)


def _sources_in(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and value.strip():
                if key in SCRIPT_KEYS:
                    yield key, value, False
                elif key in EXPRESSION_KEYS:
                    yield key, value, True
            else:
                yield from _sources_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from _sources_in(item)


def _collect_forms(spec, sources, problems, warnings):
    forms = {}
    for task_spec in spec.task_specs.values():
        properties = (getattr(task_spec, "extensions", None) or {}).get("properties") or {}
        schema = _form_schema(properties, spec.file, sources, task_spec, problems, warnings)
        if schema is not None:
            forms[f"{spec.name}:{task_spec.name}"] = schema
    return forms


def _form_schema(properties, filename, sources, task_spec, problems, warnings):
    def refuse(reason):
        problems.append(Problem(filename, reason, task_spec.bpmn_id, task_spec.bpmn_name))

    if "formJsonSchema" in properties:
        text, origin = properties["formJsonSchema"], "propriété formJsonSchema"
    elif "formJsonSchemaFilename" in properties:
        relative = properties["formJsonSchemaFilename"]
        path = posixpath.normpath(posixpath.join(posixpath.dirname(filename or ""), relative))
        if path not in sources:
            # Models drawn elsewhere may name forms they do not ship: deployable, but said.
            what = "le démarrage" if isinstance(task_spec, StartEvent) else "la tâche"
            warnings.append(Problem(filename, f"formulaire « {relative} » introuvable : {what} "
                                              f"acceptera des données sans contrôle",
                                    task_spec.bpmn_id, task_spec.bpmn_name).describe())
            return None
        text, origin = sources[path].decode("utf-8"), path
    else:
        return None
    try:
        schema = json.loads(text)
        jsonschema.validators.validator_for(schema).check_schema(schema)
    except (ValueError, jsonschema.SchemaError) as exc:
        refuse(f"formulaire invalide ({origin}) : {str(exc).splitlines()[0]}")
        return None
    return schema


def _content_hash(process):
    digest = hashlib.sha256()
    digest.update(process.spec_json.encode())
    digest.update(json.dumps(process.forms, sort_keys=True).encode())
    for name in sorted(process.sources):
        digest.update(name.encode())
        digest.update(process.sources[name].encode())
    return digest.hexdigest()
