"""Script functions of the acts and the contrôle de légalité: the @ctes act number, the
executory date and the appeal deadline of a deliberation, conventions sent to the préfecture
and the order of their signatures.

Plain JSON in and out, French verb names, the domain decides (:mod:`workflows.domain.acts`:
the dated 15-day delay, the @ctes act number and nature, the executory date).
"""
from ..domain.acts import (
    ActNature,
    act_number_error,
    contract_transmission_delay,
    deliberation_transmission_errors,
    deliberation_transmission_errors_by_part,
    last_signature,
    record_contract_transmission,
    signature_before_executory_errors,
    signature_order_errors,
    transmission_deadline,
    transmission_errors,
    transmission_errors_by_part,
)
from ..domain.calendar import appeal_deadline, executory_date, format_date, territory
from ..domain.errors import DomainError
from .conversions import day, iso


def verifier_numero_acte(numero: str) -> str | None:
    """None for a valid @ctes act number, else the reason with a suggested number."""
    if not isinstance(numero, str):
        return f"Numéro d'acte manquant ou invalide : {numero!r}."
    return act_number_error(numero)


def calculer_date_executoire(date_publication: str | None, date_reception_prefecture: str | None) -> str | None:
    """The day the act became executory: published and received by the préfecture, in either order."""
    published = day(date_publication) if date_publication else None
    received = day(date_reception_prefecture) if date_reception_prefecture else None
    return iso(executory_date(published, received))


def calculer_fin_delai_recours(date_publication: str, date_reception_prefecture: str, territoire: str) -> str:
    """Last day of the appeal period: two months from publication (third parties) and from
    receipt (préfet), the later of the two, carried to the territory's next working day."""
    code = territory(territoire).code
    return iso(max(appeal_deadline(day(date_publication), code),
                   appeal_deadline(day(date_reception_prefecture), code)))


# --- conventions sent to the préfecture -------------------------------------------------


def _signed_on(dates_signature: list):
    if not isinstance(dates_signature, list):
        raise DomainError(f"Dates de signature invalides : {dates_signature!r} (liste attendue).")
    return last_signature(day(d) for d in dates_signature)


def calculer_echeance_transmission(dates_signature: list) -> dict:
    """The deadline to send a convention to the préfecture, counted from its last signature,
    with the delay's source and the French alert to raise once it has passed."""
    signed_on = _signed_on(dates_signature)
    delay = contract_transmission_delay(signed_on)
    deadline = transmission_deadline(signed_on)
    return {
        "date_derniere_signature": iso(signed_on),
        "date_limite": iso(deadline),
        "delai_jours": delay.value,
        "source": delay.source,
        "date_effet": iso(delay.effective_from),
        "confirme": delay.confirmed,
        "consigne": (f"À transmettre au contrôle de légalité (@ctes, nature 4) au plus tard le "
                     f"{format_date(deadline)} : {delay.value} jours après la dernière signature du "
                     f"{format_date(signed_on)} ({delay.source})."),
        "alerte_retard": (f"Délai de transmission au contrôle de légalité échu le {format_date(deadline)} "
                          f"sans transmission enregistrée : la convention signée le "
                          f"{format_date(signed_on)} n'est pas exécutoire tant qu'elle n'est pas "
                          "transmise ; transmettez-la sans attendre."),
    }


def verifier_transmission_convention(dates_signature: list, date_transmission: str, numero_acte,
                                     nature_acte, date_accuse_reception: str) -> str | None:
    """None when the transmission can be recorded, else every reason in French (act number
    or nature refused by @ctes, transmission before the last signature, receipt before the
    transmission). A late transmission is recorded, not refused."""
    errors = transmission_errors(_signed_on(dates_signature), day(date_transmission),
                                 day(date_accuse_reception), nature_acte, numero_acte)
    return " ".join(errors) or None


def verifier_parties_transmission_convention(dates_signature: list, date_transmission: str, numero_acte,
                                             nature_acte, date_accuse_reception: str) -> dict:
    """The same reasons, each under the part it concerns (numero_acte, nature_acte,
    date_transmission, date_accuse_reception): {} when the transmission can be recorded."""
    return transmission_errors_by_part(_signed_on(dates_signature), day(date_transmission),
                                       day(date_accuse_reception), nature_acte, numero_acte)


def calculer_transmission_convention(dates_signature: list, date_transmission: str,
                                     date_accuse_reception: str, numero_acte: str) -> dict:
    """The transmission as the convention's record keeps it: dates, act number, deadline,
    delay (days late), executory date and the French summary."""
    sent = record_contract_transmission(_signed_on(dates_signature), day(date_transmission),
                                        day(date_accuse_reception))
    return {
        "numero_acte": numero_acte,
        "nature_acte": ActNature.CONTRACT.value,
        "date_derniere_signature": iso(sent.signed_on),
        "date_transmission": iso(sent.transmitted_on),
        "date_accuse_reception": iso(sent.received_on),
        "date_limite": iso(sent.deadline),
        "dans_les_delais": sent.on_time,
        "jours_de_retard": sent.days_late,
        "date_executoire": iso(sent.executory_on),
        "message": sent.message,
    }


def verifier_publication_deliberation(date_seance: str, date_signature_extrait: str, date_publication: str,
                                      date_transmission: str, date_accuse_reception: str, nature_acte,
                                      numero_acte) -> str | None:
    """None when the deliberation's publication and transmission can be recorded, else every
    reason in French: @ctes number, nature other than 1 (délibération), publication or
    transmission before the sitting or the extract's signature, receipt before the sending."""
    errors = deliberation_transmission_errors(
        day(date_seance), day(date_signature_extrait), day(date_publication), day(date_transmission),
        day(date_accuse_reception), nature_acte, numero_acte)
    return " ".join(errors) or None


def verifier_parties_publication_deliberation(date_seance: str, date_signature_extrait: str, date_publication: str,
                                              date_transmission: str, date_accuse_reception: str, nature_acte,
                                              numero_acte) -> dict:
    """The same reasons, each under the part it concerns (numero_acte, nature_acte, date_publication,
    date_transmission, date_accuse_reception): {} when they can be recorded."""
    return deliberation_transmission_errors_by_part(
        day(date_seance), day(date_signature_extrait), day(date_publication), day(date_transmission),
        day(date_accuse_reception), nature_acte, numero_acte)


def exiger_deliberation_executoire(date_signature: str, date_executoire_deliberation: str | None) -> str:
    """The signature as the convention's record states it; refuses (DomainError) a signature
    dated before the deliberation authorising it became executory."""
    signed_on = day(date_signature)
    executory_on = day(date_executoire_deliberation) if date_executoire_deliberation else None
    errors = signature_before_executory_errors(signed_on, executory_on)
    if errors:
        raise DomainError(" ".join(errors))
    return (f"Signée le {format_date(signed_on)}, la délibération qui l'autorise étant exécutoire "
            f"depuis le {format_date(executory_on)}.")


def exiger_ordre_signatures(date_premiere_signature: str, date_seconde_signature: str,
                               premier_signataire: str, second_signataire: str) -> str:
    """The second signature as the record states it; refuses (DomainError) one dated before
    the first (``premier_signataire``/``second_signataire``: « de la collectivité », « de l'ANCT »)."""
    first, second = day(date_premiere_signature), day(date_seconde_signature)
    errors = signature_order_errors(first, second, premier_signataire, second_signataire)
    if errors:
        raise DomainError(" ".join(errors))
    return (f"Signature {second_signataire} du {format_date(second)}, après celle "
            f"{premier_signataire} du {format_date(first)}.")


VERBS = (verifier_numero_acte, calculer_date_executoire, calculer_fin_delai_recours,
         verifier_publication_deliberation, verifier_parties_publication_deliberation,
         calculer_echeance_transmission, verifier_transmission_convention, verifier_parties_transmission_convention,
         calculer_transmission_convention, exiger_deliberation_executoire, exiger_ordre_signatures)
