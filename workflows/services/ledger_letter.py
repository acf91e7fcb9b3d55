"""The beneficiary's letter of rights for one handout of the ledger: the booklets handed, their
passes and validity, and the territory's mediation places, as a .docx made by the document
machinery (template lettre_beneficiaire, its context builder)."""
from sqlalchemy import select

from .. import documents as rendering
from ..documents.contexts.beneficiary import census_places
from ..domain.ledger_rules import MoveKind
from ..domain.passes import Booklet
from ..errors import InvalidData, NotFound
from ..store.models import LedgerBooklet, LedgerMove, LedgerMoveBooklet, LedgerPrescriber, LedgerReception, Territory
from . import ledger_facts as facts
from .instances import instance_state

TEMPLATE = "lettre_beneficiaire"
MANAGERS = frozenset({"director"})


def handout_letter(app, campaign_id, move_id, actor):
    """(the .docx's bytes, its file name) for the handout `move_id`, made for its prescriber's
    agents and the campaign's managers."""
    with app.db.sessions() as session:
        campaign = facts.campaign_for(session, campaign_id, actor)
        move = session.get(LedgerMove, move_id)
        if move is None or move.campaign_id != campaign.id or move.kind != MoveKind.TO_BENEFICIARY.value:
            raise NotFound(f"Remise n° {move_id} introuvable dans cette campagne.")
        by = session.get(LedgerPrescriber, move.from_prescriber_id)
        if not MANAGERS & actor.roles:
            facts.require_agent(session, actor, by)
        booklets = session.execute(
            select(LedgerBooklet.serial, LedgerBooklet.size, LedgerBooklet.validity_year, LedgerReception.issuer,
                   LedgerReception.face_value)
            .join(LedgerMoveBooklet, LedgerMoveBooklet.booklet_id == LedgerBooklet.id)
            .join(LedgerReception, LedgerReception.id == LedgerBooklet.reception_id)
            .where(LedgerMoveBooklet.move_id == move.id).order_by(LedgerBooklet.serial)).all()
        territory = session.get(Territory, campaign.territory)
    data = _letter_data(campaign, move, by.name, [Booklet(*b) for b in booklets],
                        territory.name if territory else campaign.territory, _places(app, campaign))
    rendered = rendering.render_document(TEMPLATE, data)
    return rendered.content, f"lettre-beneficiaire-remise-{move.id}.docx"


def _letter_data(campaign, move, prescriber, booklets, collectivite, places):
    sizes = sorted({b.size for b in booklets})
    if len(sizes) > 1:
        raise InvalidData("Cette remise porte des carnets de formats différents (" + ", ".join(map(str, sizes))
                          + " pass) : la lettre au bénéficiaire n’indique qu’un format.", {"remise": "formats mêlés"})
    first = min(booklets, key=lambda b: b.valid_until)
    return {"collectivite": collectivite, "prescripteur": prescriber, "nombre_carnets": len(booklets),
            "pass_par_carnet": sizes[0], "numeros_carnets": ", ".join(b.serial for b in booklets),
            "date_remise": move.happened_on.isoformat(), "date_fin_validite": first.valid_until.isoformat(),
            "date_limite_acceptation": first.accepted_until.isoformat(), "valeur_pass": str(first.face_value),
            "lieux": places}


def _places(app, campaign):
    """The mediation places under convention, as the campaign's procedure recorded them (its
    « lieux », or its partners' census of its « lieux_mediation »): read for whoever the campaign
    lets make the letter, a prescriber's agent (an outside partner) included."""
    data = instance_state(app, campaign.instance_id)["data"] if campaign.instance_id else {}
    places = data.get("lieux") if isinstance(data.get("lieux"), list) else census_places(data)
    if not places:
        raise InvalidData(f"La campagne n° {campaign.id} ne connaît pas encore ses lieux de médiation (le recensement "
                          "des partenaires de sa procédure) : la lettre au bénéficiaire les énumère.",
                          {"lieux": "aucun lieu de médiation connu"})
    return places
