"""What a file is, read from its first bytes and, for a zip, from the parts it holds: a name
ending in .pdf proves nothing. Only the kinds a dossier takes: PDF, images, office documents."""
import io
import zipfile

PDF = ("application/pdf", "PDF")
SIGNATURES = (  # leading bytes -> (media type, French label)
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", ("image/png", "image PNG")),
    (b"\xff\xd8\xff", ("image/jpeg", "image JPEG")),
    (b"II*\x00", ("image/tiff", "image TIFF")),
    (b"MM\x00*", ("image/tiff", "image TIFF")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ("application/x-ole-storage", "document Office (ancien format)")),
)
OOXML = (  # the part a zip must hold -> its kind
    ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "document Word"),
    ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "classeur Excel"),
    ("ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
     "présentation PowerPoint"),
)
ODF = {"application/vnd.oasis.opendocument.text": "document OpenDocument",
       "application/vnd.oasis.opendocument.spreadsheet": "classeur OpenDocument",
       "application/vnd.oasis.opendocument.presentation": "présentation OpenDocument"}
ACCEPTED = "PDF, image (PNG, JPEG, TIFF), document Word, Excel, PowerPoint ou OpenDocument"


def file_kind(content: bytes) -> tuple[str, str] | None:
    """(media type, French label) of an accepted file, None for any other content."""
    for signature, kind in SIGNATURES:
        if content.startswith(signature):
            return kind
    if content.startswith(b"PK\x03\x04"):
        return _zip_kind(content)
    return None


def _zip_kind(content):
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                media_type = archive.read("mimetype").decode("ascii", "replace").strip()
                return (media_type, ODF[media_type]) if media_type in ODF else None
            if "[Content_Types].xml" not in names:
                return None
            return next(((media_type, label) for part, media_type, label in OOXML if part in names), None)
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
