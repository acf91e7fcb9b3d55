"""What the pages show of the documents of an instance: the current version of each on a
task's page, any version on its own page, rendered like the sheet it prints on
(documents/preview.py), with its downloads."""
from ..documents.preview import preview_html
from .documents import document_file, get_document, list_documents


def current_documents(app, instance_id, actor):
    """The latest revision of each document of the instance (one per template and recipient),
    most recent first."""
    latest = {}
    for document in list_documents(app, instance_id, actor):
        latest[(document["template"], document["recipient"])] = document   # listed by revision
    return sorted(latest.values(), key=lambda d: (d["created_at"], d["id"]), reverse=True)


def document_preview(app, document, actor, heading_level=4):
    """The document as HTML (documents/preview.py), read from the storage and checked, its
    headings from <h{heading_level}>; (html, truncated)."""
    content, _name, _type = document_file(app, document["id"], actor)
    return preview_html(content, heading_level)


def read_document(app, document_id, actor):
    """A document to read on its own page (its headings under the page's <h1>): its summary,
    its rendering and every version of it the actor may read, oldest first."""
    document = get_document(app, document_id, actor)
    html, truncated = document_preview(app, document, actor, heading_level=2)
    versions = [version for version in list_documents(app, document["instance_id"], actor)
                if (version["template"], version["recipient"]) == (document["template"], document["recipient"])]
    return dict(document, html=html, truncated=truncated, versions=versions)
