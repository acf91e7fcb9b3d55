"""Issue 15's two walks in a real browser (Debian's Chromium, driven by Playwright) against a real
server: the council's deliberation from its draft to executory, then the ANCT convention from its
draft to its signature and its (late) transmission, each step done in the pages by the role that
owns it — legal staff, the assembly secretariat, the director, the président, the ANCT — with an
outside partner and the DGS looking on at the end. Screenshots (French names) go to test-artifacts/.

The instances are started through the services (set-up); every step under test goes through the
pages. Each step is a small function: a feature arriving later adds its assertion where the
`# later:` comments say."""
import re

from roster_helpers import ROSTER, attendance
from test_browser import ARTIFACTS, browser, live_server, log_in, page  # noqa: F401  (fixtures)
from start_data import CAP_NORD
from web_helpers import CONVENTION_DRAFT, PASSWORD, actor
from workflows.services.assignments import claim_task
from workflows.services.instances import get_instance, start_instance
from workflows.services.roster import import_members
from workflows.services.tasks import list_tasks
from workflows.services.territories import add_territory
from workflows.services.users import add_user

CONVENTION_START = {"numero_deliberation": "CC-09-2026-031", "date_seance": "2026-09-24",
                    "date_executoire": "2026-09-30"}
PROJECT = {"objet_deliberation": "Validation de la stratégie de déploiement des Pass numériques",
           "rapporteur": "Fabienne LABRANCHE-GROUGI, vice-présidente déléguée à l'inclusion numérique",
           "visas-0-texte": "le Code général des collectivités territoriales",
           "considerants-0-texte": "que le dispositif « Pass numériques » aide les habitants éloignés du numérique",
           "articles-0-texte": "D'adopter la stratégie de déploiement des « Pass numériques ».",
           "montant_previsionnel_ttc": "250 000"}
SIGNED = "Régénéré après « Signer la convention » : date_signature modifié"
COUNTERSIGNED = "Régénéré après « Contresigner la convention (ANCT) » : numero_convention, reference modifiés"
CONVOCATION = {"population": "99000", "date_envoi_convocation": "2028-03-11", "date_seance": "2028-03-15",
               "heure_seance": "17:00", "lieu_seance": "Salle des délibérations du siège de CAP Nord, Le Marigot",
               "ordre_du_jour": "Stratégie de déploiement du Pass numérique"}


# --- common ---------------------------------------------------------------------------------------


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"parcours-{name}.png"), full_page=True)


def switch_to(page, base, username):
    """Log out whoever is logged in, and log `username` in (once per role-phase)."""
    if page.locator("form[action='/logout'] button").count():
        page.click("form[action='/logout'] button")
        page.wait_for_url(re.compile(r"/login"))
    log_in(page, base, username)


def open_from_inbox(page, base, conventio, instance_id, bpmn_id, username):
    """The task `bpmn_id` of the instance, opened from the inbox's link (the one task of that step)."""
    [task] = [t for t in list_tasks(conventio, actor(conventio, username), instance_id=instance_id)
              if t["bpmn_id"] == bpmn_id]
    page.goto(f"{base}/inbox")
    row = page.locator(f'tr[data-task-id="{task["id"]}"]')
    # in words: the territory's name and the procedure's, not « cap-nord » and a process id
    words = row.inner_text()
    assert "CAP Nord Martinique" in words and "cap-nord" not in words and f"— n° {instance_id}" in words, words
    row.locator("a").first.click()
    page.wait_for_url(f"{base}/tasks/{task['id']}")
    return task["id"]


def submit(page, button="button.primary"):
    """Send the task form: the page that answers is loaded (the next one, or the form again)."""
    with page.expect_navigation():
        page.click(button)


def facts(page):
    """The task page's facts (Rôle, Territoire, Créée le, Échéance, Prise en charge) by their label."""
    labels = page.locator("dl.facts dt").all_inner_texts()
    return dict(zip(labels, page.locator("dl.facts > dd").all_inner_texts()))


def fill(page, values):
    for name, value in values.items():
        page.fill(f"#f-{name}", value)


def cap_nord_with_its_roster(conventio):
    """CAP Nord as a territory of its kind (an EPCI: a conseil communautaire) in Martinique's time,
    with its 53 members in office."""
    admin = actor(conventio, "admin")
    add_territory(conventio, admin, code="cap-nord", name="CAP Nord Martinique", kind="EPCI",
                  time_zone="America/Martinique")
    import_members(conventio, admin, "cap-nord", ROSTER.read_bytes())


# --- the deliberation -----------------------------------------------------------------------------


def draft_the_deliberation(page, base, conventio, instance_id):
    switch_to(page, base, "juriste")
    open_from_inbox(page, base, conventio, instance_id, "rediger_projet_deliberation", "juriste")
    assert facts(page)["Rôle"] == "Service juridique"
    # the dossier in words: the start form's labels and values, no raw data
    dossier = page.locator("#dossier").inner_text()
    assert "Bruno Nestor AZÉROT" in dossier and "{'" not in dossier and "None" not in dossier
    # later (assembly bound to the collectivité): only the conseil communautaire offered to an EPCI
    page.select_option("#f-instance_deliberante", "conseil_communautaire")
    fill(page, PROJECT)
    page.check("#f-autorise_signature_conventions")
    page.check("#f-autorise_lancement_achat")
    shot(page, "deliberation-01-projet")
    submit(page)
    assert "« Rédiger le projet de délibération » est terminée" in page.locator(".flash.success").inner_text()


def convene_late_then_in_time(page, base, conventio, instance_id):
    """The model's own check sends a late convocation back: « À reprendre », the reason in words,
    the values typed kept; the corrected one passes."""
    switch_to(page, base, "assemblees")
    open_from_inbox(page, base, conventio, instance_id, "convoquer_assemblee", "assemblees")
    fill(page, CONVOCATION)
    submit(page)
    assert "est à reprendre" in page.locator(".flash.error").inner_text()
    assert page.locator(".flash.success").count() == 0
    assert page.locator("h1 .badge.to-redo").inner_text() == "À reprendre"
    assert "les contrôles du processus ont renvoyé l’étape" in page.locator("#sent-back").inner_text()
    reason = page.locator(".instructions.error-message")
    assert reason.locator("strong").first.inner_text() == "Convocation à reprendre"
    assert "3 jour(s) franc(s) ; il en faut au moins 5" in reason.inner_text() and "**" not in page.content()
    assert page.locator("#step-history li").first.inner_text().endswith(
        "« Convoquer l'assemblée délibérante » renvoyée pour correction par les contrôles du processus")
    assert page.input_value("#f-date_envoi_convocation") == "2028-03-11", "what was typed is kept"
    assert page.input_value("#f-lieu_seance") == CONVOCATION["lieu_seance"]
    shot(page, "deliberation-02-convocation-a-reprendre")
    page.fill("#f-date_envoi_convocation", "2028-03-08")
    submit(page)
    assert "« Convoquer l'assemblée délibérante » est terminée" in page.locator(".flash.success").inner_text()


def counted(page):
    return {name: page.inner_text(f'#roster [data-count="{name}"]')
            for name in ("present", "represented", "absent", "unticked")}


def hold_the_sitting(page, base, conventio, instance_id):
    """The roster of the territory's assembly, ticked in one page: the counts follow the ticks and a
    member given two proxies is flagged before anything is sent."""
    page.goto(f"{base}/inbox")   # the convocation's success led here or to the sitting: start from the inbox
    open_from_inbox(page, base, conventio, instance_id, "tenir_seance", "assemblees")
    loads = []
    page.on("load", lambda _page: loads.append(page.url))
    roster = page.locator("#roster")
    assert roster.locator("legend").inner_text() == "Liste des membres — Conseil communautaire"
    assert roster.locator("tr[data-member]").count() == 53
    assert counted(page) == {"present": "0", "represented": "0", "absent": "0", "unticked": "53"}
    present, proxies, absent = attendance()
    for name in present:
        page.locator(f'tr[data-name="{name}"] input[value="present"]').check()
    assert counted(page)["present"] == "28"   # counted as one ticks
    for name in absent:
        page.locator(f'tr[data-name="{name}"] input[value="absent"]').check()
    for giver, holder in proxies.items():
        row = page.locator(f'tr[data-name="{giver}"]')
        row.locator('input[value="represented"]').check()
        row.locator("select").select_option(label=holder)
    assert counted(page) == {"present": "28", "represented": "10", "absent": "15", "unticked": "0"}
    assert page.inner_text("#roster [data-quorum-state]") == "quorum atteint"
    assert [page.input_value(f"#f-{n}") for n in ("membres_en_exercice", "presents", "procurations", "absents")] \
        == ["53", "28", "10", "15"]
    # a proxy checked at the sitting, before the vote: two proxies to one member are flagged at once
    palcy = page.locator('tr[data-name="Sylvie PALCY"] select')
    palcy.select_option(label="Kristelle RISAL")
    assert "Kristelle RISAL détient 2 pouvoirs" in page.inner_text("#roster-problems")
    shot(page, "deliberation-03-seance-deux-pouvoirs")
    palcy.select_option(label="Jonathan TABAR")
    assert page.inner_text("#roster-problems") == ""
    # the ticks are kept on the server as one ticks (the task's draft), not in this browser
    page.wait_for_selector("#draft-status:has-text('Brouillon enregistré')")
    fill(page, {"president_seance": "Bruno Nestor AZÉROT", "secretaire_seance": "Patricia PALMONT"})
    assert loads == [], "53 members ticked without reloading the page"
    submit(page)
    assert "« Ouvrir la séance et constater les présences » est terminée" in page.inner_text(".flash.success")
    data = get_instance(conventio, instance_id, actor(conventio, "assemblees"))["data"]
    assert (data["presents"], data["procurations"], data["absents"], data["quorum_atteint"]) == (28, 10, 15, True)


def record_the_vote(page, base, conventio, instance_id):
    """More votes than voters is refused with the values kept; then the vote as it was."""
    page.goto(f"{base}/inbox")
    open_from_inbox(page, base, conventio, instance_id, "voter_deliberation", "assemblees")
    # the dossier so far in words: French dates and amounts under the forms' labels
    dossier = page.inner_text("#dossier")
    assert re.search(r"Montant prévisionnel de l'opération \(EUR TTC\)\s+250\s000\s€", dossier), dossier
    assert re.search(r"Date de la séance\s+15 mars 2028", dossier) and "2028-03-15" not in dossier
    assert re.search(r"Membres représentés \(pouvoirs\)\s+10", dossier)
    # later (thresholds as hints): the 38 voters shown by the fields before submitting
    fill(page, {"pour": "40", "contre": "0", "abstentions": "0"})
    page.select_option("#f-vote_president", "pour")
    submit(page)
    shot(page, "deliberation-04-vote-refuse")
    assert page.locator(".flash.success").count() == 0
    assert page.inner_text("#refusal") == \
        "Échec de l’étape « Calculer le résultat du vote » : 40 votes pour 38 votants."
    assert page.input_value("#f-pour") == "40", "what was typed is kept"
    # later (model-rule refusals by their field): the message next to « Pour »
    page.fill("#f-pour", "38")
    submit(page)
    assert "« Enregistrer le vote » est terminée" in page.inner_text(".flash.success")


def establish_the_extract(page, base, conventio, instance_id):
    """The sitting's ticks taken up, a row added and removed without reload, the extract made."""
    page.goto(f"{base}/inbox")
    open_from_inbox(page, base, conventio, instance_id, "etablir_extrait", "assemblees")
    loads = []
    page.on("load", lambda _page: loads.append(page.url))
    # ticked as the sitting was, from the server (services/sitting_ticks), whichever browser ticked it
    assert counted(page) == {"present": "28", "represented": "10", "absent": "15", "unticked": "0"}
    assert page.inner_text("#roster-problems") == ""
    # checked against the sitting's counts as one ticks
    bonte = page.locator('tr[data-name="Maurice BONTÉ"]')
    bonte.locator('input[value="present"]').check()
    assert "29 présent(s) cochés, 28 constatés à l’ouverture de la séance." in page.inner_text("#roster-problems")
    bonte.locator('input[value="absent"]').check()
    assert page.inner_text("#roster-problems") == ""
    rows = page.locator("input[name^='liste_absents-']")
    before = rows.count()
    page.locator("button[name='_add_row'][value='liste_absents']").click()
    assert rows.count() == before + 1
    rows.last.fill("Ligne ajoutée puis retirée")
    page.locator("fieldset:has(input[name^='liste_absents-']) button.remove-row").last.click()
    assert rows.count() == before
    fill(page, {"numero_deliberation": "CC-03-2028-027", "fait_a": "Marigot"})
    assert loads == []
    shot(page, "deliberation-05-extrait")
    submit(page)
    assert "« Établir l'extrait du registre » est terminée" in page.inner_text(".flash.success")


def president_signs_the_extract(page, base, conventio, instance_id):
    """The président reads the extract in the page, above the form he signs with."""
    switch_to(page, base, "president")
    open_from_inbox(page, base, conventio, instance_id, "signer_extrait", "president")
    extract = page.locator("#documents article.document").first
    assert "version 1" in extract.locator("h3").inner_text()
    assert extract.locator(".reason").inner_text() == "Généré à l’étape « Établir l'extrait du registre »"
    text = extract.locator(".document-text").inner_text()
    assert "Kristelle RISAL" in text and "CC-03-2028-027" in text
    # rendered as it prints: a sheet with the document's own emphasis, not a text extract
    assert extract.locator(".sheet").is_visible() and extract.locator(".sheet strong").count() > 0
    html = page.content()
    assert html.index('id="documents"') < html.index('id="task-form"')
    fill(page, {"date_signature_extrait": "2028-03-16", "signataire_extrait": "Bruno Nestor AZÉROT"})
    page.check("#f-certifie_exact")
    shot(page, "deliberation-06-signature-extrait")
    submit(page)
    assert "« Signer l'extrait du registre » est terminée" in page.inner_text(".flash.success")


def publish_and_transmit(page, base, conventio, instance_id):
    """The extract remade after the signature, saying why; a refused act number sent back with a
    proposal; the deliberation executory."""
    switch_to(page, base, "assemblees")
    open_from_inbox(page, base, conventio, instance_id, "publier_transmettre", "assemblees")
    extract = page.locator("#documents article.document").first
    assert "version 2" in extract.locator("h3").inner_text()
    assert extract.locator(".reason").inner_text().startswith("Régénéré après « Signer l'extrait du registre » :")
    assert "16 mars 2028" in extract.locator(".document-text").inner_text()
    fill(page, {"numero_acte": "DEL-2028-027", "date_publication": "2028-03-21", "date_transmission": "2028-03-21",
                "date_accuse_reception": "2028-03-22"})
    submit(page)
    assert page.locator("h1 .badge.to-redo").inner_text() == "À reprendre"
    assert "Proposition : « DEL_2028_027 »" in page.locator(".instructions").inner_text()
    assert page.input_value("#f-date_accuse_reception") == "2028-03-22"
    shot(page, "deliberation-07-numero-acte-a-reprendre")
    page.fill("#f-numero_acte", "DEL_2028_027")
    submit(page)
    assert "est terminée" in page.inner_text(".flash.success")


def the_deliberation_is_executory(page, base, conventio, instance_id):
    page.goto(f"{base}/instances/{instance_id}")
    assert page.locator("dl.facts dd.status").inner_text().startswith("Terminée")
    reasons = page.locator("#documents td.reason").all_inner_texts()
    assert reasons[0] == "Généré à l’étape « Établir l'extrait du registre »"
    assert any(r.startswith("Régénéré après « Signer l'extrait du registre »") for r in reasons)
    assert any(r.startswith("Régénéré après « Publier l'acte") for r in reasons), reasons
    journal = page.locator("#journal").inner_text()
    assert "« Convoquer l'assemblée délibérante » renvoyée pour correction par les contrôles du processus" in journal
    # people by their names in the journal, the login only in a tooltip
    actors = page.locator("#journal td.actor").all_inner_texts()
    secretariat = actor(conventio, "assemblees").display_name
    assert secretariat in actors and "assemblees" not in actors, actors
    shot(page, "deliberation-08-executoire")
    data = get_instance(conventio, instance_id, actor(conventio, "admin"))["data"]
    assert (data["deliberation_executoire"], data["date_executoire"]) == (True, "2028-03-22")


def test_the_deliberation_walked_from_its_draft_to_executory(page, live_server, conventio):
    cap_nord_with_its_roster(conventio)
    instance_id = start_instance(conventio, "deliberation", dict(CAP_NORD), actor(conventio, "juriste"),
                                 territory="cap-nord", title="Délibération du Pass numérique")["id"]
    draft_the_deliberation(page, live_server, conventio, instance_id)
    convene_late_then_in_time(page, live_server, conventio, instance_id)
    hold_the_sitting(page, live_server, conventio, instance_id)
    record_the_vote(page, live_server, conventio, instance_id)
    establish_the_extract(page, live_server, conventio, instance_id)
    president_signs_the_extract(page, live_server, conventio, instance_id)
    publish_and_transmit(page, live_server, conventio, instance_id)
    the_deliberation_is_executory(page, live_server, conventio, instance_id)


# --- the ANCT convention --------------------------------------------------------------------------


def fill_convention_draft(page, amount):
    fill(page, {key: str(value) for key, value in CONVENTION_DRAFT.items() if key != "objet_convention_anct"})
    page.fill("#f-montant_achat_prevu_ht", amount)


def draft_the_convention(page, base, conventio, instance_id):
    """An amount under the ANCT's minimum, typed the French way, is sent back by the model's own
    checks (« À reprendre », never « terminée »); the amount kept as a number; then one it takes."""
    switch_to(page, base, "juriste")
    open_from_inbox(page, base, conventio, instance_id, "rediger_convention_anct", "juriste")
    # later (thresholds as hints): 20 000 € and 50 % shown by their fields before submitting
    fill_convention_draft(page, "12 000,50 €")
    submit(page)
    assert "est à reprendre" in page.inner_text(".flash.error") and page.locator(".flash.success").count() == 0
    assert page.locator("h1 .badge.to-redo").inner_text() == "À reprendre"
    assert page.locator(".instructions.error-message strong").first.inner_text() == "Projet à reprendre"
    assert page.input_value("#f-montant_achat_prevu_ht") == "12000.5"
    # later (model-rule refusals by their field): the threshold's message next to the amount
    shot(page, "convention-01-redaction-a-reprendre")
    fill_convention_draft(page, "20 800")
    submit(page)
    assert "« Rédiger la convention ANCT » est terminée" in page.inner_text(".flash.success")


def director_asks_for_changes(page, base, conventio, instance_id):
    """The director reads the dossier and the convention in the page; a request for changes
    without its comment is refused by the field, with the page kept; with it, it goes back."""
    switch_to(page, base, "directrice")
    open_from_inbox(page, base, conventio, instance_id, "examiner_convention_anct", "directrice")
    summary = page.locator("#dossier dl.summary").last
    amount = summary.locator("dt", has_text="Montant d'achat prévu (EUR HT)").locator("xpath=following-sibling::dd[1]")
    assert amount.inner_text() == "20\u202f800\u00a0€"
    assert "2 mars 2026" in page.inner_text("#dossier") and "2026-03-02" not in page.inner_text("#dossier")
    convention = page.locator("#documents article.document").first
    assert convention.locator(".reason").inner_text() == "Généré à l’étape « Rédiger la convention ANCT »"
    assert "vingt mille huit cents euros" in convention.locator(".document-text").inner_text()
    assert convention.locator("details.preview").get_attribute("open") is not None
    # rendered as it prints, with a page of its own to read any version
    assert convention.locator(".sheet").is_visible() and convention.locator(".sheet strong").count() > 0
    assert convention.locator("a", has_text="Lire sur sa page").count() == 1
    shot(page, "convention-02-examen-dossier-et-document")
    submit(page, "button.decision.modifier")
    assert page.inner_text("#f-commentaire-error") == "champ obligatoire"
    assert page.locator("#f-commentaire").get_attribute("aria-invalid") == "true"
    assert "Commentaire : champ obligatoire" in page.inner_text("#error-summary")
    page.fill("#f-commentaire", "Le taux de cofinancement est à confirmer avec l'ANCT.")
    submit(page, "button.decision.modifier")
    assert "est terminée" in page.inner_text(".flash.success")


def legal_staff_take_it_up(page, base, conventio, instance_id):
    """« À reprendre », by whom and why, first; the draft as it was written."""
    switch_to(page, base, "juriste")
    open_from_inbox(page, base, conventio, instance_id, "rediger_convention_anct", "juriste")
    assert page.locator("h1 .badge.to-redo").inner_text() == "À reprendre"
    note = page.inner_text("#sent-back")
    assert "renvoyée par Claire Directrice" in note and "taux de cofinancement est à confirmer" in note
    assert page.locator("#step-history li").first.inner_text().endswith(
        "« Examiner le projet de convention » : modifications demandées — « Le taux de cofinancement est à "
        "confirmer avec l'ANCT. »")
    assert page.input_value("#f-montant_achat_prevu_ht") == "20800"
    shot(page, "convention-03-redaction-a-reprendre-commentaire")
    page.fill("#f-taux_cofinancement_etat_pct", "50")
    submit(page)
    assert "est terminée" in page.inner_text(".flash.success")


def a_colleague_reads_only(page, base, conventio, instance_id):
    """The review taken by the director: her colleague reads it, the form disabled, no button."""
    [review] = [t for t in list_tasks(conventio, actor(conventio, "directrice"), instance_id=instance_id)
                if t["bpmn_id"] == "examiner_convention_anct"]
    claim_task(conventio, review["id"], actor(conventio, "directrice"))
    add_user(conventio, "directeur2", ["director"], ["cap-nord"], PASSWORD, "Denis Directeur")
    switch_to(page, base, "directeur2")
    page.goto(f"{base}/tasks/{review['id']}")
    assert "prise par Claire Directrice" in page.inner_text("#held")
    assert page.locator("#task-form fieldset.plain[disabled]").count() == 1
    assert page.locator("#f-commentaire").is_disabled() and page.locator("button.decision").count() == 0
    shot(page, "convention-04-examen-pris-par-une-collegue")


def director_approves(page, base, conventio, instance_id):
    switch_to(page, base, "directrice")
    page.goto(f"{base}/inbox")
    page.locator("#mine tr.task a").first.click()
    assert page.locator("h1").inner_text().startswith("Examiner le projet de convention")
    # its second round: the step's history lists the first, with the changes she asked for
    assert "modifications demandées" in page.inner_text("#step-history")
    # her own request for changes did not send her review back: no « À reprendre », an empty comment
    assert page.locator("h1 .badge.to-redo").count() == 0 and page.locator("#sent-back").count() == 0
    assert page.input_value("#f-commentaire") == ""
    shot(page, "convention-05-examen-second-tour")
    submit(page, "button.decision.approuver")
    assert "« Examiner le projet de convention » est terminée" in page.inner_text(".flash.success")


def president_signs_what_he_sees(page, base, conventio, instance_id):
    """The convention's text in the page before the form; a signature dated before the deliberation
    was executory is refused with what he typed kept; then signed."""
    switch_to(page, base, "president")
    open_from_inbox(page, base, conventio, instance_id, "signer_convention_anct", "president")
    text = page.locator("#documents .document-text").first.inner_text()
    assert "vingt mille huit cents euros" in text
    html = page.content()
    assert html.index('id="documents"') < html.index('id="task-form"') < html.index("Terminer la tâche")
    fill(page, {"date_signature_convention_anct": "2026-09-25", "signataire_convention_anct": "Bruno Nestor AZÉROT"})
    submit(page)
    # the rule's refusal by the signature's date, in the summary under the title too
    assert "30 septembre 2026" in page.inner_text("#f-date_signature_convention_anct-error")
    assert page.locator("#f-date_signature_convention_anct").get_attribute("aria-invalid") == "true"
    assert page.locator("#error-summary a[href='#f-date_signature_convention_anct']").count() == 1
    assert page.input_value("#f-date_signature_convention_anct") == "2026-09-25"
    assert page.input_value("#f-signataire_convention_anct") == "Bruno Nestor AZÉROT"
    shot(page, "convention-06-signature-refusee")
    page.fill("#f-date_signature_convention_anct", "2026-10-20")
    submit(page)
    assert "« Signer la convention » est terminée" in page.inner_text(".flash.success")


def anct_countersigns_seeing_only_its_task(page, base, conventio, instance_id):
    """The ANCT, an outside partner: its own task, without the dossier; the procedure is not theirs."""
    switch_to(page, base, "anct")
    open_from_inbox(page, base, conventio, instance_id, "contresigner_convention_anct", "anct")
    assert page.locator(".breadcrumb a[href^='/instances/']").count() == 0
    # the convention addressed to them, remade after the président's signature, saying why
    convention = page.locator("#documents article.document").first
    assert "version 3" in convention.locator("h3").inner_text()
    assert convention.locator(".reason").inner_text() == SIGNED
    dossier = page.inner_text("#dossier")   # their own form's, nothing else of the dossier
    assert "Contresignature de l'ANCT" in dossier
    assert "Montant d'achat prévu" not in dossier and "Bruno Nestor AZÉROT" not in dossier
    # later (partners by organisation): only this ANCT office's conventions
    shot(page, "convention-07-contresignature-anct")
    fill(page, {"date_contresignature_anct": "2026-10-28", "numero_convention_anct": "ANCT-PN-2026-0042"})
    submit(page)
    assert "est terminée" in page.inner_text(".flash.success")
    assert page.goto(f"{base}/instances/{instance_id}").status == 404


def a_prescriber_sees_nothing_of_it(page, base, instance_id):
    switch_to(page, base, "prescripteur")
    assert page.locator("tr.task").count() == 0, "none of these tasks is theirs"
    response = page.goto(f"{base}/instances/{instance_id}")
    assert response.status == 404 and "introuvable" in page.inner_text("main")
    shot(page, "convention-08-prescripteur-introuvable")


def transmit_late(page, base, conventio, instance_id):
    """The legal deadline is the due date, late in the inbox and the task; the late entry is
    accepted with a warning naming the delay, and journaled in words."""
    switch_to(page, base, "juriste")
    [task] = [t for t in list_tasks(conventio, actor(conventio, "juriste"), instance_id=instance_id)
              if t["bpmn_id"] == "transmettre_convention_anct_prefecture"]
    due = "En retard — 12 novembre 2026 (échéance légale : Délai de transmission échu)"
    row = page.locator(f'#queue tr[data-task-id="{task["id"]}"]')
    assert "overdue" in row.get_attribute("class") and row.locator(".due").inner_text() == due
    shot(page, "convention-09-boite-transmission-en-retard")
    row.locator("a").first.click()
    page.wait_for_url(f"{base}/tasks/{task['id']}")
    assert facts(page)["Échéance"] == due
    assert "12 novembre 2026" in page.inner_text(".instructions")
    fill(page, {"date_transmission_convention_anct": "2026-12-04", "numero_acte_convention_anct": "CONV_2026_042",
                "date_accuse_reception_convention_anct": "2026-12-04"})
    submit(page)
    warning = page.inner_text(".flash.warning")
    assert re.fullmatch(r"Saisie avec \d+ jours de retard sur l’échéance du 12 novembre 2026 "
                        r"\(Délai de transmission échu\)\.", warning), warning
    page.goto(f"{base}/instances/{instance_id}")
    journal = page.inner_text("#journal")
    assert "« Transmettre la convention au contrôle de légalité » terminée ; saisie avec" in journal
    shot(page, "convention-10-journal-retard")


def the_dgs_looks_on(page, base, instance_id):
    """The procedure page with its diagram, and the territory's line on the dashboard."""
    switch_to(page, base, "dgs")
    page.goto(f"{base}/instances/{instance_id}")
    page.wait_for_selector('#diagrams[data-ready="true"]', timeout=15000)
    assert page.inner_text("dl.facts dd.status") == "Terminée"
    for step in ("signer_convention_anct", "transmettre_convention_anct_prefecture"):
        assert "marker-done" in page.locator(f'.djs-element[data-element-id="{step}"]').get_attribute("class")
    assert re.search(r"« Transmettre la convention au contrôle de légalité » terminée ; saisie avec \d+ jours de "
                     r"retard sur l’échéance du 12 novembre 2026", page.inner_text("#journal"))
    reasons = page.locator("#documents td.reason").all_inner_texts()
    assert reasons[-2:] == [SIGNED, COUNTERSIGNED]
    # the procedure's data in words, as on the task page: labels, French dates and amounts
    data = page.inner_text("#data")
    assert "Montant d'achat prévu (EUR HT)" in data and "20\u202f800\u00a0€" in data and "2 mars 2026" in data
    for raw in ("True", "None", "2026-03-02", "{'", "[{"):
        assert raw not in data, raw
    # in words: the procedure's title, its process's name, the territory's name (the diagram's zoom on the
    # active phase: tests/web/test_diagram_browser.py; this procedure is over, nothing is active)
    assert page.locator("h1").inner_text() == f"Convention ANCT procédure n° {instance_id}"
    assert "Convention de cofinancement avec l'ANCT" in page.inner_text("dl.facts")
    assert "CAP Nord Martinique" in page.inner_text("dl.facts")
    shot(page, "convention-11-procedure-dgs")
    page.goto(f"{base}/tableau-de-bord")
    line = page.locator("tr[data-territory='cap-nord']").first
    assert line.locator("th").inner_text() == "CAP Nord Martinique"
    # procedures, running, failed, late, stuck
    assert line.locator("td").all_inner_texts() == ["1", "0", "0", "0", "0"]
    chain = page.locator(".dashboard-chains tbody tr", has_text="Convention ANCT")
    assert "Terminée" in chain.inner_text() and "100" in chain.inner_text()
    shot(page, "convention-12-tableau-de-bord-dgs")


def test_the_anct_convention_walked_from_its_draft_to_signature_and_transmission(page, live_server, conventio):
    cap_nord_with_its_roster(conventio)
    instance_id = start_instance(conventio, "convention_anct", {**CAP_NORD, **CONVENTION_START},
                                 actor(conventio, "juriste"), territory="cap-nord", title="Convention ANCT")["id"]
    draft_the_convention(page, live_server, conventio, instance_id)
    director_asks_for_changes(page, live_server, conventio, instance_id)
    legal_staff_take_it_up(page, live_server, conventio, instance_id)
    a_colleague_reads_only(page, live_server, conventio, instance_id)
    director_approves(page, live_server, conventio, instance_id)
    president_signs_what_he_sees(page, live_server, conventio, instance_id)
    anct_countersigns_seeing_only_its_task(page, live_server, conventio, instance_id)
    a_prescriber_sees_nothing_of_it(page, live_server, instance_id)
    transmit_late(page, live_server, conventio, instance_id)
    the_dgs_looks_on(page, live_server, instance_id)
