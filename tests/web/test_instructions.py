"""Task instructions written by modelers: rendered over the task data, sandboxed and escaped."""
from server.instructions import render_instructions


def test_instructions_show_the_task_data():
    text = "{% if erreur_convocation %}Convocation refusée : {{ erreur_convocation }}{% endif %}"
    assert render_instructions(text, {"erreur_convocation": "délai de 5 jours francs"}) == \
        "Convocation refusée : délai de 5 jours francs"
    assert render_instructions(text, {}) is None


def test_data_cannot_inject_markup_nor_the_template_reach_python():
    assert str(render_instructions("{{ nom }}", {"nom": "<script>x</script>"})) == "&lt;script&gt;x&lt;/script&gt;"
    escaped = render_instructions("{{ cycler.__init__.__globals__ }}", {})
    assert "os" not in str(escaped) and "cycler" in str(escaped)


def test_a_broken_template_is_shown_as_written():
    assert str(render_instructions("Total : {{ a + }}", {"a": 1})) == "Total : {{ a + }}"
