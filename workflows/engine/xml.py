"""Safe XML parsing for uploaded models.

BPMN and DMN never need a DTD: a document that declares one is refused outright, which
stops external entities (file or network reads) and entity-expansion bombs before any
expansion happens. The lxml parser handed to SpiffWorkflow is hardened as well.
"""
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring
from lxml import etree

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
    huge_tree=False, remove_blank_text=False,
)


class UnsafeXml(Exception):
    """The document is malformed or uses DTD features; the message is French."""


def parse_xml(content: bytes, filename: str):
    """Return the lxml tree of a model file, refusing DTDs, entities and bad XML."""
    try:
        defused_fromstring(content, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeXml(f"{filename} : DTD ou entités XML interdites ({type(exc).__name__})") from exc
    except Exception as exc:  # ElementTree.ParseError and friends
        raise UnsafeXml(f"{filename} : XML mal formé ({exc})") from exc
    try:
        return etree.fromstring(content, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise UnsafeXml(f"{filename} : XML mal formé ({exc})") from exc
