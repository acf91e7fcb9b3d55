"""A task's instructionsForEndUser, written by modelers as a Jinja template over the task's data.

Rendered in an immutable sandbox with autoescape: a model's text can show data, never run
code nor inject markup. Variables the data lacks render empty; a broken template is shown
as written.
"""
from jinja2 import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

_ENVIRONMENT = ImmutableSandboxedEnvironment(autoescape=True)


def render_instructions(text, data):
    if not text:
        return None
    try:
        return Markup(_ENVIRONMENT.from_string(text).render(**(data or {})).strip()) or None
    except TemplateError:
        return escape(text)
