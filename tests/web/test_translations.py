"""The pages in English: every message of the pages has its English translation, compiled.

The messages are extracted here as `pybabel extract -F server/babel.cfg -k _l` does (Python
and templates of server/), and compared with the English catalogue the server loads: a
new or changed French message without a translation, a fuzzy one (a guess pybabel made,
never shown), a translation losing a placeholder, or a catalogue left uncompiled fails.
The messages of the services (workflows/) are French only: the pages show them as they are.
"""
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import server

SERVER = Path(server.__file__).parent
CATALOGUE = SERVER / "translations" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]|\{(\w*)\}")
# What a template may show untranslated: names, abbreviations, file types.
NOT_WORDS = {"Conventio", "— Conventio", "FR", "EN", "PDF", ".docx", "CSV", "XLSX"}


def extracted_messages():
    """msgid -> the places it comes from, as pybabel extract finds them."""
    with open(SERVER / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    messages = {}
    for filename, line, message, _comments, _context in extract_from_dir(
            str(SERVER), method_map, options_map, keywords={**DEFAULT_KEYWORDS, "_l": None}):
        for msgid in message if isinstance(message, tuple) else (message,):
            if msgid:
                messages.setdefault(msgid, []).append(f"server/{filename}:{line}")
    return messages


@pytest.fixture(scope="module")
def english():
    with open(CATALOGUE / "messages.po", "rb") as po:
        return read_po(po, locale="en")


def test_the_pages_have_messages_to_translate():
    messages = extracted_messages()
    assert len(messages) > 150
    assert "Identifiant ou mot de passe incorrect." in messages           # Python (server/accounts.py)
    assert "Mes tâches" in messages                                        # a template
    assert "Requête invalide : caractère nul." in messages                 # server/views/errors.py


def test_every_message_of_the_pages_has_an_english_translation(english):
    missing = []
    for msgid, places in sorted(extracted_messages().items()):
        entry = english.get(msgid)
        strings = () if entry is None else entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if entry is None:
            missing.append(f"{places[0]} : « {msgid} » absent du catalogue (pybabel update)")
        elif entry.fuzzy:
            missing.append(f"{places[0]} : « {msgid} » à revoir (fuzzy : « {entry.string} »)")
        elif not all(s.strip() for s in strings):
            missing.append(f"{places[0]} : « {msgid} » sans traduction")
    assert not missing, "Messages des pages sans traduction anglaise :\n" + "\n".join(missing)


def test_every_translation_keeps_the_placeholders(english):
    wrong = []
    for entry in english:
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = {m.group(0) for m in PLACEHOLDER.finditer(ids[0])}
        for string in strings:
            if {m.group(0) for m in PLACEHOLDER.finditer(string)} != wanted:
                wrong.append(f"« {ids[0]} » → « {string} »")
    assert not wrong, "Traductions qui perdent ou ajoutent une variable :\n" + "\n".join(wrong)


def test_the_compiled_catalogue_is_the_catalogue(english):
    """messages.mo is what Flask-Babel loads: `pybabel compile` after every change of messages.po."""
    with open(CATALOGUE / "messages.mo", "rb") as mo:
        compiled = read_mo(mo)
    stale = [entry.id for entry in english
             if entry.id and entry.string and not entry.fuzzy
             and (compiled.get(entry.id) is None or compiled.get(entry.id).string != entry.string)]
    assert not stale, f"messages.mo n’est pas à jour (pybabel compile -d server/translations) : {stale[:5]}"


def test_every_text_of_the_templates_is_marked_for_translation():
    """A French text written in a template outside {% trans %} or _() is never extracted."""
    unmarked = []
    for template in sorted((SERVER / "templates").rglob("*.html")):
        source = template.read_text(encoding="utf-8")
        markup = re.sub(r"\{%-? *set [^%]*?%\}.*?\{%-? *endset *-?%\}", " ", source, flags=re.S)   # markup kept aside
        markup = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", markup, flags=re.S)
        markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
        texts = [m.group(1) for m in re.finditer(r">([^<>]+)<", markup)]
        texts += [m.group(1) for m in re.finditer(r'\b(?:title|placeholder|alt|aria-label)="([^"]*)"', markup)]
        for text in texts:
            text = " ".join(text.split())
            if re.search(r"[A-Za-zÀ-ÿ]{2}", text) and text not in NOT_WORDS:
                unmarked.append(f"{template.relative_to(SERVER)} : « {text[:60]} »")
    assert not unmarked, "Textes de gabarit non marqués pour la traduction :\n" + "\n".join(unmarked)


def test_the_english_pages_show_the_new_messages(client):
    assert "Page not found." in client.get("/nulle-part?lang=en").get_data(as_text=True)
    refused = client.get("/login?lang=en&next=%00")
    assert refused.status_code == 400
    assert "Invalid request: null character." in refused.get_data(as_text=True)
    assert "Requête invalide : caractère nul." in client.get("/login?lang=fr&next=%00").get_data(as_text=True)
