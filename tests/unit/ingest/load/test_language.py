"""The English-only guard: confident non-English is refused, short or English text passes."""

from __future__ import annotations

import pytest

from ingest.errors import NotEnglish
from ingest.load.language import check_english, detect_language

FRENCH = (
    "Le maire de Chicago a tenté mardi de clarifier un décret qui appelait à poursuivre les agents de "
    "l'immigration fédérale, après plusieurs jours de vives critiques de la part de l'opposition. Selon "
    "son cabinet, le texte visait seulement à rappeler que la police municipale ne coopère pas avec les "
    "services fédéraux sans mandat judiciaire. Les élus républicains ont dénoncé une provocation."
)
GERMAN = (
    "Der Bürgermeister von Chicago hat am Dienstag versucht, eine umstrittene Anordnung zu erklären, die "
    "eine Strafverfolgung von Beamten der Einwanderungsbehörde vorsah. Kritiker aus der Opposition warfen "
    "ihm vor, die Spannungen mit der Bundesregierung bewusst zu verschärfen, während Unterstützer die "
    "Entscheidung als notwendigen Schutz für die Einwanderergemeinden der Stadt verteidigten."
)
SPANISH = (
    "El fiscal de distrito de Filadelfia prometió el viernes investigar a los agentes federales de "
    "inmigración que, según él, violen la ley durante sus operativos en la ciudad. Sus declaraciones "
    "provocaron una ola de críticas de legisladores republicanos, que acusaron a las autoridades locales "
    "de fomentar un clima de hostilidad contra los funcionarios federales."
)


@pytest.mark.parametrize(("text", "lang"), [(FRENCH, "fr"), (GERMAN, "de"), (SPANISH, "es")])
def test_news_in_another_language_is_refused_with_the_language_named(text: str, lang: str) -> None:
    with pytest.raises(NotEnglish) as caught:
        check_english(text)
    assert caught.value.lang == lang
    assert caught.value.code == "not_english"
    assert f"({lang}, confidence" in str(caught.value)


def test_english_seed_passes(seed_text) -> None:
    check_english(seed_text("000"))
    detected = detect_language(seed_text("002"))
    assert detected is not None and detected[0] == "en"


def test_text_too_short_to_judge_is_not_refused() -> None:
    assert detect_language("Le maire a parlé.") is None
    check_english("Le maire a parlé.")


def test_english_with_a_quoted_foreign_phrase_passes() -> None:
    check_english(
        "Mayor Brandon Johnson told reporters on Tuesday that the city would not back down, repeating the "
        "slogan 'ni un paso atrás' that protesters had chanted outside City Hall. Johnson said the "
        "executive order was meant to protect immigrant communities, not to target federal officers."
    )
