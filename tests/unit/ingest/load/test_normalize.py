"""One test per normalisation rule, each with the line it exists for."""

from __future__ import annotations

from ingest.load.normalize import (
    fold_compatibility,
    mend_line_breaks,
    normalize_inline,
    normalize_text,
    unify_dashes,
    unify_quotes,
)


def test_abbreviation_before_a_name_is_joined_to_the_next_line() -> None:
    text = "who urged all parties to 'tone down the rhetoric' in a heartfelt plea on Dr.\nPhil. 'I've buried"
    assert mend_line_breaks(text) == (
        "who urged all parties to 'tone down the rhetoric' in a heartfelt plea on Dr. Phil. 'I've buried"
    )


def test_seed_000_dr_phil_is_one_line(seed_text) -> None:
    text = normalize_text(seed_text("000"))
    assert "a heartfelt plea on Dr. Phil. 'I've buried Border Patrol agents" in text
    assert "Dr.\n" not in text


def test_lines_that_are_whole_sentences_stay_separate() -> None:
    text = "'I don't want to see anybody die.\nLess blood.\nI don't want to see more bloodshed.'"
    assert mend_line_breaks(text) == text


def test_line_ending_mid_sentence_joins_a_lowercase_continuation() -> None:
    text = "Councilwomen Kendra Brooks and Rue Landau pushed bills that would bar\nagents from city property."
    assert mend_line_breaks(text) == (
        "Councilwomen Kendra Brooks and Rue Landau pushed bills that would bar agents from city property."
    )


def test_line_ending_on_a_preposition_joins_even_a_capitalised_continuation() -> None:
    assert (
        mend_line_breaks("a rally in front of\nCity Hall on Friday.")
        == "a rally in front of City Hall on Friday."
    )


def test_ambiguous_abbreviation_joins_only_a_lowercase_or_numeric_continuation() -> None:
    assert (
        mend_line_breaks("officials in the U.S.\nsaid on Jan.\n6 that")
        == "officials in the U.S. said on Jan. 6 that"
    )
    assert mend_line_breaks("He moved to the U.S.\nShe stayed.") == "He moved to the U.S.\nShe stayed."


def test_middle_initial_is_joined_to_the_surname() -> None:
    assert mend_line_breaks("President John F.\nKennedy said") == "President John F. Kennedy said"


def test_headline_is_not_merged_into_the_paragraph_below() -> None:
    text = "A Point of Contention: Sanctuary City Policies\nbut the council disagreed."
    assert mend_line_breaks(text) == text


def test_paragraph_breaks_survive_and_blank_runs_collapse() -> None:
    text = "First paragraph ends here.\n\n\n\nSecond paragraph ends here.\n\n\n"
    assert normalize_text(text) == "First paragraph ends here.\n\nSecond paragraph ends here."


def test_curly_double_and_single_quotes_become_ascii() -> None:
    assert (
        unify_quotes("known as “ICE OUT,” and vows to ‘hunt’ down")
        == "known as \"ICE OUT,\" and vows to 'hunt' down"
    )


def test_apostrophes_inside_words_become_ascii_apostrophes() -> None:
    assert unify_quotes("Krasner’s remarks; I’ve buried; don’t") == "Krasner's remarks; I've buried; don't"


def test_seed_001_has_no_curly_quotes_left(seed_text) -> None:
    text = normalize_text(seed_text("001"))
    assert not set("‘’“”") & set(text)
    assert 'Krasner called ICE agents "wannabe Nazis"' in text
    assert 'will "hunt" down Immigration and Customs Enforcement (ICE) agents' in text


def test_primes_backticks_and_guillemets_used_as_quotes_become_ascii() -> None:
    assert unify_quotes("a 6′2″ guard") == "a 6'2\" guard"
    assert unify_quotes("``quoted'' and `ticked'") == "\"quoted\" and 'ticked'"
    assert unify_quotes("he said « Non » and ‹ oui ›") == "he said \"Non\" and 'oui'"


def test_em_dash_stays_and_no_words_are_glued() -> None:
    text = "a recent shooting incident—linked to a controversial ICE raid—highlighted"
    assert unify_dashes(text) == text
    assert unify_dashes("masked up -- basically") == "masked up — basically"
    assert unify_dashes("pages 10–12, and then – quietly – left") == "pages 10-12, and then — quietly — left"
    assert unify_dashes("re‐election, −5") == "re-election, -5"


def test_non_breaking_and_unicode_spaces_become_plain_spaces() -> None:
    assert normalize_text("Mayor\u00a0Brandon\u202fJohnson  said\tso.") == "Mayor Brandon Johnson said so."


def test_invisible_characters_are_removed() -> None:
    assert (
        normalize_text("\ufeffIm\u00admi\u200bgra\u2060tion officials said so.")
        == "Immigration officials said so."
    )


def test_compatibility_forms_fold_but_meaningful_ones_stay() -> None:
    assert fold_compatibility("ﬁnal words… ＩＣＥ") == "final words... ICE"
    assert fold_compatibility("½ of 10 m² ™") == "½ of 10 m² ™"


def test_combining_accents_are_composed() -> None:
    assert fold_compatibility("Pe\u0301rez") == "Pérez"


def test_whitespace_within_lines_collapses_and_trailing_blank_lines_go() -> None:
    assert normalize_text("  Krasner    said   so.   \n\n   \n") == "Krasner said so."


def test_windows_line_endings_are_unified() -> None:
    assert normalize_text("One sentence.\r\nAnother one.\r\n") == "One sentence.\nAnother one."


def test_title_is_normalised_to_one_line() -> None:
    assert normalize_inline("Soros-backed DA vows to ‘hunt’\n down   ICE agents") == (
        "Soros-backed DA vows to 'hunt' down ICE agents"
    )
