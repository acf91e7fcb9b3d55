"""A task's instructionsForEndUser: a Jinja template over the task's data, in Markdown.

Three stages, each safe on its own:
1. the template is filled in an immutable sandbox (a model's text cannot reach Python);
   every value it shows is escaped for Markdown, so the data is shown as written and
   never becomes a link, a heading or markup;
2. a Markdown subset becomes HTML: paragraphs, emphasis, lists, links, headings, quotes,
   code; raw HTML in the text is not interpreted (markdown-it shows it as text) and
   images are not rendered (no request to another site when the page opens);
3. a maintained sanitizer (nh3, the Ammonia library) keeps only that subset's tags, links
   to http(s) or relative addresses, and adds rel="noopener noreferrer" to every link.

`render_instructions` is the one entry point (a time limit may wrap it). A broken
template is shown as written, escaped; variables the data lacks render empty.
"""
import re
from html import unescape

import nh3
from jinja2 import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

# Headings of the instructions sit under the page's title (h1) and its sections (h2).
HEADING_SHIFT = 2
ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
                          "blockquote", "code", "pre", "hr"})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https"})
LINK_REL = "noopener noreferrer"

# A broken template, or a value the sandbox refuses, is shown as written. Memory and
# recursion errors are left to whoever bounds the rendering (they are not the text's fault).
TEMPLATE_FAILURES = (TemplateError, ArithmeticError, TypeError, ValueError, LookupError, AttributeError)

_MARKDOWN_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")


def _markdown_literal(value):
    """A value shown by the template, backslash-escaped so that Markdown prints it as is."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", "" if value is None else str(value))


_ENVIRONMENT = ImmutableSandboxedEnvironment(autoescape=False, finalize=_markdown_literal)
# "breaks": a line break the modeler wrote stays a line break (as before Markdown).
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False}).disable("image")
_SANITIZER = nh3.Cleaner(tags=set(ALLOWED_TAGS), attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                         url_schemes=set(URL_SCHEMES), link_rel=LINK_REL, strip_comments=True)


def render_instructions(text, data):
    """The instructions as safe HTML (Markup) over `data`, or None when they say nothing."""
    if not text:
        return None
    try:
        markdown = _ENVIRONMENT.from_string(text).render(**(data or {}))
    except TEMPLATE_FAILURES:
        return Markup("<br>\n").join(escape(line) for line in text.splitlines())
    html = _SANITIZER.clean(_markdown_to_html(markdown)).strip()
    return Markup(html) if html else None


def _markdown_to_html(markdown):
    tokens = _MARKDOWN.parse(markdown)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + HEADING_SHIFT)}"
    if [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]:
        # A single line of instructions reads as a note, not a paragraph.
        return _MARKDOWN.renderer.render(tokens[1].children, _MARKDOWN.options, {})
    return _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})


_LINK = re.compile(r'<a href="([^"]*)"[^>]*>(.*?)</a>', re.S)


def instructions_as_text(html):
    """Rendered instructions (the HTML above) as plain text, for a terminal."""
    if not html:
        return None
    text = _LINK.sub(r"\2 (\1)", str(html))
    text = text.replace("<li>", "<li>- ").replace("<br>\n", "\n").replace("<br>", "\n")
    return unescape(nh3.clean(text, tags=set())).strip() or None
