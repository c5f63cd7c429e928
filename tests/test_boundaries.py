"""Edge conventions of source and content spans (attribute.boundaries) on hand-built spaCy Docs:
no model is loaded. The sentences are invented."""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")
from spacy.tokens import Doc  # noqa: E402

from claimgraph.attribute.boundaries import quote_pairs, tidy  # noqa: E402
from claimgraph.attribute.span_edges import source_edges  # noqa: E402

VOCAB = spacy.blank("en").vocab  # English lexical attributes (is_punct), no trained model
NO_SPACE_BEFORE = {",", ".", "”", "''", ":", "?"}
NO_SPACE_AFTER = {"“", "``"}


def make(text: str, heads: list[int] | None = None, deps: list[str] | None = None) -> Doc:
    """A Doc of the white-space separated words of ``text`` ("\\n" stands for a paragraph break)."""
    words = [w if w != "\\n" else "\n" for w in text.split()]
    spaces = [i + 1 < len(words) and words[i + 1] not in NO_SPACE_BEFORE | {"\n"}
              and words[i] not in NO_SPACE_AFTER | {"\n"} for i in range(len(words))]
    return Doc(VOCAB, words=words, spaces=spaces, heads=heads, deps=deps)


def idx(doc: Doc, *words: str) -> list[int]:
    """Indices of the first run of ``words`` in ``doc``."""
    toks = [t.text for t in doc]
    for i in range(len(toks)):
        if toks[i: i + len(words)] == list(words):
            return list(range(i, i + len(words)))
    raise AssertionError(f"{words} not in {toks}")


def text(doc: Doc, groups: list[list[int]]) -> list[str]:
    return [doc[g[0]: g[-1] + 1].text for g in groups]


def test_plain_relation_is_left_alone():
    doc = make("The mayor said the bridge will reopen .")
    src, con = [idx(doc, "The", "mayor")], [idx(doc, "the", "bridge", "will", "reopen")]
    assert tidy(doc, idx(doc, "said"), src, con) == (src, con)


def test_content_that_opens_a_quotation_runs_to_its_closing_mark():
    doc = make("The mayor said : “ The bridge will reopen . Traffic returns in May . ”")
    _, con = tidy(doc, idx(doc, "said"), [idx(doc, "The", "mayor")], [idx(doc, "“", "The", "bridge", "will")])
    assert text(doc, con) == ["“The bridge will reopen. Traffic returns in May.”"]


def test_content_that_closes_a_quotation_starts_at_its_opening_mark():
    doc = make("“ The bridge will reopen . Traffic returns in May , ” the mayor said .")
    _, con = tidy(doc, idx(doc, "said"), [idx(doc, "the", "mayor")], [idx(doc, "Traffic", "returns", "in", "May", ",", "”")])
    assert text(doc, con) == ["“The bridge will reopen. Traffic returns in May,”"]


def test_content_inside_a_quotation_takes_all_of_it():
    doc = make("The mayor said : “ The bridge will reopen . Traffic returns in May . ”")
    _, con = tidy(doc, idx(doc, "said"), [idx(doc, "The", "mayor")], [idx(doc, "will", "reopen", ".", "Traffic")])
    assert text(doc, con) == ["“The bridge will reopen. Traffic returns in May.”"]


def test_quotation_holding_the_cue_is_not_all_content():
    doc = make("“ The bridge , the mayor said , will reopen in May . ”")
    con = [idx(doc, "“", "The", "bridge"), idx(doc, "will", "reopen")]
    _, out = tidy(doc, idx(doc, "said"), [idx(doc, "the", "mayor")], con)
    assert out == con


def test_newspaper_double_apostrophes_pair_up():
    doc = make("She said : '' Rates fall . Prices rise . '' Then she left .")
    assert quote_pairs(doc) == [(3, 10)]
    _, con = tidy(doc, idx(doc, "said"), [idx(doc, "She")], [idx(doc, "''", "Rates", "fall")])
    assert text(doc, con) == ["'' Rates fall. Prices rise.''"]


def test_a_quotation_does_not_run_past_its_paragraph():
    doc = make("He said : “ Rates fall \\n Prices rise . ” Later .")
    assert quote_pairs(doc) == []
    con = [idx(doc, "“", "Rates", "fall")]
    assert tidy(doc, idx(doc, "said"), [idx(doc, "He")], con)[1] == con


def test_punctuation_only_pieces_are_dropped():
    doc = make("“ Rates fall , ” he said , “ ” .")
    _, con = tidy(doc, idx(doc, "said"), [idx(doc, "he")], [idx(doc, "“", "Rates", "fall", ",", "”"), [8]])
    assert text(doc, con) == ["“Rates fall,”"]


def test_pieces_widened_to_the_same_quotation_are_joined():
    doc = make("He said : “ Rates fall . Prices rise . ”")
    _, con = tidy(doc, idx(doc, "said"), [idx(doc, "He")], [idx(doc, "“", "Rates"), idx(doc, "rise", ".", "”")])
    assert text(doc, con) == ["“Rates fall. Prices rise.”"]


def test_pieces_on_one_side_of_the_cue_keep_the_nearest():
    doc = make("The mayor said the bridge will reopen . Traffic returns in May .")
    con = [idx(doc, "the", "bridge", "will", "reopen"), idx(doc, "in", "May")]
    _, out = tidy(doc, idx(doc, "said"), [idx(doc, "The", "mayor")], con)
    assert text(doc, out) == ["the bridge will reopen"]


def test_pieces_on_one_side_of_the_cue_a_token_or_two_apart_are_joined():
    doc = make("The mayor said the bridge will reopen . Traffic returns in May .")
    con = [idx(doc, "the", "bridge", "will", "reopen"), idx(doc, "Traffic", "returns")]
    _, out = tidy(doc, idx(doc, "said"), [idx(doc, "The", "mayor")], con)
    assert text(doc, out) == ["the bridge will reopen. Traffic returns"]


def test_pieces_around_the_cue_are_kept():
    doc = make("“ Rates fall , ” he said , “ and prices rise . ”")
    con = [idx(doc, "“", "Rates", "fall", ",", "”"), idx(doc, "“", "and", "prices", "rise", ".", "”")]
    assert tidy(doc, idx(doc, "said"), [idx(doc, "he")], con)[1] == con


def test_a_source_in_pieces_keeps_the_subject_of_the_cue():
    # "The agency" is the subject of "told"; the tagger also marked the addressee "reporters".
    words = "The agency told reporters the bridge will reopen ."
    heads = [1, 2, 2, 2, 5, 7, 7, 2, 2]
    deps = ["det", "nsubj", "ROOT", "dative", "det", "nsubj", "aux", "ccomp", "punct"]
    doc = make(words, heads, deps)
    src = [idx(doc, "The", "agency"), idx(doc, "reporters")]
    out, _ = tidy(doc, idx(doc, "told"), src, [idx(doc, "the", "bridge", "will", "reopen")])
    assert text(doc, out) == ["The agency"]


def test_a_source_in_pieces_without_a_subject_is_left_alone():
    words = "According to the agency and officials , the bridge will reopen ."
    deps = ["prep", "prep", "det", "pobj", "cc", "conj", "punct", "det", "nsubj", "aux", "ROOT", "punct"]
    heads = [10, 0, 3, 1, 3, 3, 10, 8, 10, 10, 10, 10]
    doc = make(words, heads, deps)
    src = [idx(doc, "the", "agency"), idx(doc, "officials")]
    out, _ = tidy(doc, idx(doc, "According", "to"), src, [idx(doc, "the", "bridge", "will", "reopen")])
    assert out == src


def test_a_relation_without_source_gets_the_subject_its_cue_shares():
    words = "Stumpf tried on Tuesday , explaining the firings were rare ."
    heads = [1, 1, 1, 2, 1, 1, 7, 8, 5, 8, 1]
    deps = ["nsubj", "ROOT", "prep", "pobj", "punct", "advcl", "det", "nsubj", "ccomp", "acomp", "punct"]
    doc = make(words, heads, deps)
    src, _ = tidy(doc, idx(doc, "explaining"), [], [idx(doc, "the", "firings", "were", "rare")])
    assert text(doc, src) == ["Stumpf"]


def test_the_subject_of_a_passive_cue_is_not_its_source():
    words = "She was asked whether the bridge will reopen ."
    heads = [2, 2, 2, 7, 5, 7, 7, 2, 2]
    deps = ["nsubjpass", "auxpass", "ROOT", "mark", "det", "nsubj", "aux", "ccomp", "punct"]
    doc = make(words, heads, deps)
    src, _ = tidy(doc, idx(doc, "was", "asked"), [], [idx(doc, "whether", "the", "bridge", "will", "reopen")])
    assert src == []


def test_an_expletive_subject_is_no_source():
    words = "It seems the bridge will reopen ."
    heads = [1, 1, 3, 5, 5, 1, 1]
    deps = ["nsubj", "ROOT", "det", "nsubj", "aux", "ccomp", "punct"]
    doc = make(words, heads, deps)
    assert tidy(doc, idx(doc, "seems"), [], [idx(doc, "the", "bridge", "will", "reopen")])[0] == []


def test_the_one_told_is_not_part_of_what_was_told():
    words = "The mayor told reporters that the bridge will reopen ."
    heads = [1, 2, 2, 2, 8, 6, 8, 8, 2, 2]
    deps = ["det", "nsubj", "ROOT", "dobj", "mark", "det", "nsubj", "aux", "ccomp", "punct"]
    pos = ["DET", "NOUN", "VERB", "NOUN", "SCONJ", "DET", "NOUN", "AUX", "VERB", "PUNCT"]
    doc = make(words, heads, deps)
    for tok, p, lemma in zip(doc, pos, ["the", "mayor", "tell", "reporter", "that", "the", "bridge", "will",
                                        "reopen", "."], strict=True):
        tok.pos_, tok.lemma_ = p, lemma
    con = [idx(doc, "reporters", "that", "the", "bridge", "will", "reopen")]
    _, out = tidy(doc, idx(doc, "told"), [idx(doc, "The", "mayor")], con)
    assert text(doc, out) == ["that the bridge will reopen"]
    # The object of a verb outside the list ("urge X to ...": annotators mostly keep X) stays.
    for tok in doc:
        tok.lemma_ = "urge" if tok.i == 2 else tok.lemma_
    assert tidy(doc, idx(doc, "told"), [idx(doc, "The", "mayor")], con)[1] == con


SAID_MAY = ("The mayor said the bridge will reopen in May .",
            [1, 2, 2, 4, 6, 6, 2, 6, 7, 2],
            ["det", "nsubj", "ROOT", "det", "nsubj", "aux", "ccomp", "prep", "pobj", "punct"])


def test_content_stopping_inside_a_phrase_runs_to_its_end():
    doc = make(*SAID_MAY)
    _, con = tidy(doc, idx(doc, "said"), [idx(doc, "The", "mayor")], [idx(doc, "the", "bridge", "will", "reopen")])
    assert text(doc, con) == ["the bridge will reopen in May"]


def test_content_does_not_run_over_a_comma_led_relative_clause():
    words = "The mayor said it hit the bridge , which is old ."
    heads = [1, 2, 2, 4, 2, 6, 4, 6, 9, 6, 9, 2]
    deps = ["det", "nsubj", "ROOT", "nsubj", "ccomp", "det", "dobj", "punct", "nsubj", "relcl", "acomp", "punct"]
    doc = make(words, heads, deps)
    con = [idx(doc, "it", "hit", "the", "bridge")]
    assert tidy(doc, idx(doc, "said"), [idx(doc, "The", "mayor")], con)[1] == con


def test_content_does_not_run_into_the_source():
    # A misparse hangs "the mayor" from the content's verb as an apposition: it stays the source.
    words = "The bridge will reopen , the mayor said in May ."
    heads = [1, 3, 3, 7, 3, 6, 3, 7, 7, 8, 7]
    deps = ["det", "nsubj", "aux", "ccomp", "punct", "det", "appos", "ROOT", "prep", "pobj", "punct"]
    doc = make(words, heads, deps)
    con = [idx(doc, "The", "bridge", "will", "reopen")]
    assert tidy(doc, idx(doc, "said"), [idx(doc, "the", "mayor")], con)[1] == con


def test_groups_stay_sorted_disjoint_and_off_the_cue():
    """Whatever the taggers hand over, tidy returns non-empty, ordered groups that never take a
    cue token and never share a token between source and content."""
    import random

    doc = make("“ The bridge , ” the mayor said , “ will reopen in May . ” \\n He told us that .",
               None, None)
    parsed = make(*SAID_MAY)
    rng = random.Random(0)
    for d in (doc, parsed):
        n = len(d)
        for _ in range(300):
            c0 = rng.randrange(n)
            cue = list(range(c0, min(n, c0 + rng.randint(1, 2))))
            free = [i for i in range(n) if i not in cue]
            picks = sorted(rng.sample(free, rng.randint(0, min(6, len(free)))))
            groups = [[i] for i in picks]
            cut = rng.randint(0, len(groups))
            src, con = tidy(d, cue, groups[:cut], groups[cut:])
            flat_src = [i for g in src for i in g]
            flat_con = [i for g in con for i in g]
            assert all(g and g == sorted(g) for g in src + con)
            assert not set(cue) & (set(flat_src) | set(flat_con))
            assert not set(flat_src) & set(flat_con)


def test_a_subject_source_keeps_its_closing_bracket():
    words = "Rep. John Mica ( R - Fla. ) said the bridge will reopen ."
    heads = [2, 2, 8, 2, 2, 4, 4, 2, 8, 10, 12, 12, 8, 8]
    deps = ["compound", "compound", "nsubj", "punct", "appos", "punct", "appos", "punct", "ROOT", "det",
            "nsubj", "aux", "ccomp", "punct"]
    doc = make(words, heads, deps)
    src, _ = tidy(doc, idx(doc, "said"), [], [idx(doc, "the", "bridge", "will", "reopen")])
    assert [doc[i].text for i in src[0]] == ["Rep.", "John", "Mica", "(", "R", "-", "Fla.", ")"]


def test_content_does_not_follow_a_quote_into_the_next_paragraph():
    doc = make("“ Rates fall , ” he said . \\n “ Prices rise . ”")
    con = [idx(doc, "“", "Rates", "fall", ",", "”"), idx(doc, "“", "Prices", "rise", ".", "”")]
    assert text(doc, tidy(doc, idx(doc, "said"), [idx(doc, "he")], con)[1]) == ["“Rates fall,”"]
    # In the cue's own paragraph the continuation stays, and a lone piece is never dropped.
    same = make("“ Rates fall , ” he said . “ Prices rise . ”")
    con = [idx(same, "“", "Rates", "fall", ",", "”"), idx(same, "“", "Prices", "rise", ".", "”")]
    assert tidy(same, idx(same, "said"), [idx(same, "he")], con)[1] == con
    lone = [idx(doc, "“", "Prices", "rise", ".", "”")]
    assert tidy(doc, idx(doc, "said"), [idx(doc, "he")], lone)[1] == lone


ON_CNN = ("“ Rates fall , ” Pence said on CNN , adding “ prices rise . ”",
          [2, 2, 6, 2, 2, 6, 6, 6, 7, 6, 6, 13, 13, 10, 13, 13],
          ["punct", "nsubj", "ccomp", "punct", "punct", "nsubj", "ROOT", "prep", "pobj", "punct", "advcl",
           "punct", "nsubj", "ccomp", "punct", "punct"])


def test_a_modifier_of_the_cue_after_it_is_not_content():
    doc = make(*ON_CNN)
    before = idx(doc, "“", "Rates", "fall", ",", "”")
    said, src = idx(doc, "said"), [idx(doc, "Pence")]
    # "on CNN" tells where it was said; the quote after "adding" is what "adding" added.
    for piece in (idx(doc, "CNN"), idx(doc, "adding", "“", "prices", "rise"), idx(doc, "“", "prices", "rise")):
        assert tidy(doc, said, src, [before, piece])[1] == [before]
    # Without content before the cue the piece after it is all there is: it stays.
    after = [idx(doc, "“", "prices", "rise", ".", "”")]
    assert tidy(doc, said, src, after)[1] == after


def test_a_quoted_continuation_or_an_as_complement_stays():
    # The quote after the cue hangs from it (misparsed as an adverbial clause) from inside the quotation.
    words = "“ Rates fall , ” he said , “ and prices rise . ”"
    heads = [2, 2, 6, 2, 2, 6, 6, 6, 11, 11, 11, 6, 11, 11]
    deps = ["punct", "nsubj", "ccomp", "punct", "punct", "nsubj", "ROOT", "punct", "punct", "cc", "nsubj",
            "advcl", "punct", "punct"]
    doc = make(words, heads, deps)
    con = [idx(doc, "“", "Rates", "fall", ",", "”"), idx(doc, "“", "and", "prices", "rise", ".", "”")]
    assert tidy(doc, idx(doc, "said"), [idx(doc, "he")], con)[1] == con
    # "which the mayor described as a disgrace": "as" is what she described it as.
    words = "the bridge , which the mayor described as a disgrace ."
    heads = [1, 1, 1, 6, 5, 6, 1, 6, 9, 7, 1]
    deps = ["det", "ROOT", "punct", "dobj", "det", "nsubj", "relcl", "prep", "det", "pobj", "punct"]
    doc = make(words, heads, deps)
    con = [idx(doc, "which"), idx(doc, "as", "a", "disgrace")]
    assert tidy(doc, idx(doc, "described"), [idx(doc, "the", "mayor")], con)[1] == con


def test_reported_content_ends_before_a_quote_that_opens_the_next_sentence():
    doc = make("The mayor said rates fall . “ Prices rise . ” \\n")
    con = [idx(doc, "rates", "fall", ".", "“", "Prices", "rise", ".", "”")]
    assert text(doc, tidy(doc, idx(doc, "said"), [idx(doc, "The", "mayor")], con)[1]) == ["rates fall"]
    # A quotation that the cue introduces is one piece, and a mark that closes a quote is no opening.
    quoted = make("The mayor said : “ Rates fall . Prices rise . ”")
    con = [idx(quoted, "“", "Rates", "fall", ".", "Prices", "rise", ".", "”")]
    assert tidy(quoted, idx(quoted, "said"), [idx(quoted, "The", "mayor")], con)[1] == con
    closing = make("The mayor said rates would “ fall . ” Prices rise .")
    con = [idx(closing, "rates", "would", "“", "fall", ".", "”")]
    assert tidy(closing, idx(closing, "said"), [idx(closing, "The", "mayor")], con)[1] == con


def test_a_participle_after_a_quote_closed_on_a_comma_is_left_out():
    doc = make("He called her “ incognito , ” sparking a storm .")
    for tok, tag in zip(doc, ["PRP", "VBD", "PRP", "``", "JJ", ",", "''", "VBG", "DT", "NN", "."], strict=True):
        tok.tag_ = tag
    con = [idx(doc, "her", "“", "incognito", ",", "”", "sparking", "a", "storm")]
    assert text(doc, tidy(doc, idx(doc, "called"), [idx(doc, "He")], con)[1]) == ["her “incognito,”"]
    doc[7].tag_ = "NN"  # not a participle: the piece stays whole
    assert tidy(doc, idx(doc, "called"), [idx(doc, "He")], con)[1] == con


LEAD_IN = ("In an interview , Walker said , “ I had calls . ”",
           [9, 2, 0, 5, 5, 9, 5, 9, 9, 9, 9, 9, 9],
           ["prep", "det", "pobj", "punct", "nsubj", "parataxis", "punct", "punct", "nsubj", "ROOT", "dobj", "punct",
            "punct"])


def test_a_lead_in_before_a_cue_that_opens_a_quotation_is_not_content():
    doc = make(*LEAD_IN)
    for tok, pos in zip(doc, ["ADP", "DET", "NOUN", "PUNCT", "PROPN", "VERB", "PUNCT", "PUNCT", "PRON", "VERB",
                              "NOUN", "PUNCT", "PUNCT"], strict=True):
        tok.pos_ = pos
    quote = idx(doc, "“", "I", "had", "calls", ".", "”")
    con = [idx(doc, "In", "an", "interview"), quote]
    assert tidy(doc, idx(doc, "said"), [idx(doc, "Walker")], con)[1] == [quote]
    # A piece that does not open like an adverbial (a clause of its own) stays.
    doc[0].pos_ = "PROPN"
    assert tidy(doc, idx(doc, "said"), [idx(doc, "Walker")], con)[1] == con


def test_a_modifier_of_the_cue_before_it_is_not_content_when_content_follows():
    # "Appearing on TV , Pence said the bridge will reopen ."
    words = "Appearing on TV , Pence said the bridge will reopen ."
    heads = [5, 0, 1, 5, 5, 5, 7, 9, 9, 5, 5]
    deps = ["advcl", "prep", "pobj", "punct", "nsubj", "ROOT", "det", "nsubj", "aux", "ccomp", "punct"]
    doc = make(words, heads, deps)
    after = idx(doc, "the", "bridge", "will", "reopen")
    out = tidy(doc, idx(doc, "said"), [idx(doc, "Pence")], [idx(doc, "Appearing", "on", "TV"), after])[1]
    assert out == [after]


def test_content_that_enters_a_quotation_runs_to_its_closing_mark():
    doc = make("The mayor said the bridge “ will reopen . Traffic returns in May . ” Later .")
    con = [idx(doc, "the", "bridge", "“", "will", "reopen")]
    _, out = tidy(doc, idx(doc, "said"), [idx(doc, "The", "mayor")], con)
    assert text(doc, out) == ["the bridge “will reopen. Traffic returns in May.”"]
    # Not when the cue lies inside that quotation.
    doc = make("He wrote “ rates fall , said the mayor , in May . ”")
    con = [idx(doc, "He", "wrote", "“", "rates", "fall")]
    assert tidy(doc, idx(doc, "said"), [idx(doc, "the", "mayor")], con)[1] == con


PARENTHETICAL = ("Back at home , the mayor said , she chose to run .",
                 [9, 0, 1, 9, 5, 6, 9, 6, 9, 9, 11, 9, 9],
                 ["advmod", "prep", "pobj", "punct", "det", "nsubj", "parataxis", "punct", "nsubj", "ROOT", "aux",
                  "xcomp", "punct"])


def test_the_stretch_before_a_parenthetical_attribution_is_content():
    doc = make(*PARENTHETICAL)
    after = idx(doc, "she", "chose", "to", "run")
    out = tidy(doc, idx(doc, "said"), [idx(doc, "the", "mayor")], [after])[1]
    assert text(doc, out) == ["Back at home", "she chose to run"]
    # A piece the tagger found before the source stays as it is.
    assert tidy(doc, idx(doc, "said"), [idx(doc, "the", "mayor")], [idx(doc, "home"), after])[1] == [idx(doc, "home"), after]
    # A bare conjunction before the source only links the sentence to the one before it.
    doc = make("But , the mayor said , she chose to run .", [9, 9, 4, 5, 9, 5, 9, 9, 7, 9, 9],
               ["cc", "punct", "det", "nsubj", "parataxis", "punct", "nsubj", "ROOT", "aux", "xcomp", "punct"])
    doc[0].pos_ = "CCONJ"
    after = idx(doc, "she", "chose", "to", "run")
    assert tidy(doc, idx(doc, "said"), [idx(doc, "the", "mayor")], [after])[1] == [after]


QUOTE_TAIL = ("“ Rates will fall , ” the mayor said , adding that taxes rise .",
              [3, 3, 3, 8, 3, 3, 7, 8, 8, 8, 3, 13, 13, 10, 8],
              ["punct", "nsubj", "aux", "ccomp", "punct", "punct", "det", "nsubj", "ROOT", "punct", "advcl", "mark",
               "nsubj", "ccomp", "punct"])


def test_the_rest_of_the_sentence_after_a_quote_and_its_cue_is_not_content():
    doc = make(*QUOTE_TAIL)
    quote = idx(doc, "“", "Rates", "will", "fall", ",", "”")
    con = [quote, idx(doc, "adding", "that", "taxes", "rise")]
    assert tidy(doc, idx(doc, "said"), [idx(doc, "the", "mayor")], con)[1] == [quote]
    # A quote that is only the subject of what follows goes on after the cue.
    doc[10].tag_ = "MD"
    assert len(tidy(doc, idx(doc, "said"), [idx(doc, "the", "mayor")], con)[1]) == 2


def test_a_source_leaves_out_a_wire_dateline():
    doc = make("PORTVILLE ( AP ) — The mayor said rates fall .")
    src = [idx(doc, "PORTVILLE", "(", "AP", ")", "—", "The", "mayor")]
    assert text(doc, source_edges(doc, idx(doc, "said"), src)) == ["The mayor"]
    doc = make("PORTVILLE - The mayor said rates fall .")
    src = [idx(doc, "PORTVILLE", "-", "The", "mayor")]
    assert text(doc, source_edges(doc, idx(doc, "said"), src)) == ["The mayor"]
    # A party label is no dateline ("Sen. Ann Lee, D - Ore., said").
    doc = make("Ann Lee , D - Ore. said rates fall .")
    src = [idx(doc, "Ann", "Lee", ",", "D", "-", "Ore.")]
    assert source_edges(doc, idx(doc, "said"), src) == src


def test_a_source_leaves_out_a_subordinator_before_it():
    doc = make("Though the mayor said rates fall , taxes rise .")
    doc[0].pos_ = "SCONJ"
    src = [idx(doc, "Though", "the", "mayor")]
    assert text(doc, source_edges(doc, idx(doc, "said"), src)) == ["the mayor"]


def test_a_source_ends_before_a_time_or_a_comma_led_aside_of_the_saying():
    doc = make("The council on Monday said rates fall .", [1, 4, 4, 2, 4, 6, 4, 4],
               ["det", "nsubj", "prep", "pobj", "ROOT", "nsubj", "ccomp", "punct"])
    assert text(doc, source_edges(doc, idx(doc, "said"), [idx(doc, "The", "council", "on", "Monday")])) == ["The council"]
    doc = make("The mayor , however , said rates fall .", [1, 5, 5, 5, 5, 5, 7, 5, 5],
               ["det", "nsubj", "punct", "advmod", "punct", "ROOT", "nsubj", "ccomp", "punct"])
    doc[3].pos_ = "ADV"
    assert text(doc, source_edges(doc, idx(doc, "said"), [idx(doc, "The", "mayor", ",", "however")])) == ["The mayor"]
    # A time inside the source's own phrase stays ("a report released on Monday").
    doc = make("A report released on Monday said rates fall .", [1, 5, 1, 2, 3, 5, 7, 5, 5],
               ["det", "nsubj", "acl", "prep", "pobj", "ROOT", "nsubj", "ccomp", "punct"])
    src = [idx(doc, "A", "report", "released", "on", "Monday")]
    assert source_edges(doc, idx(doc, "said"), src) == src


def test_content_after_the_cue_starts_after_the_modifiers_of_the_saying():
    # "The mayor said on Monday that rates fall ."
    doc = make("The mayor said on Monday that rates fall .", [1, 2, 2, 2, 3, 7, 7, 2, 2],
               ["det", "nsubj", "ROOT", "prep", "pobj", "mark", "nsubj", "ccomp", "punct"])
    con = [idx(doc, "on", "Monday", "that", "rates", "fall")]
    out = tidy(doc, idx(doc, "said"), [idx(doc, "The", "mayor")], con)[1]
    assert text(doc, out) == ["that rates fall"]


def test_content_ends_at_a_quote_that_closes_a_sentence():
    doc = make("The mayor said rates would “ fall soon . ” She says taxes rise .")
    con = [idx(doc, "rates", "would", "“", "fall", "soon", ".", "”", "She", "says", "taxes", "rise")]
    out = tidy(doc, idx(doc, "said"), [idx(doc, "The", "mayor")], con)[1]
    assert text(doc, out) == ["rates would “fall soon.”"]


def test_content_ends_before_a_participle_of_saying():
    doc = make("The mayor said rates fall , saying taxes rise .")
    for tok, (tag, lemma) in zip(doc, [("DT", "the"), ("NN", "mayor"), ("VBD", "say"), ("NNS", "rate"), ("VBP", "fall"),
                                       (",", ","), ("VBG", "say"), ("NNS", "tax"), ("VBP", "rise"), (".", ".")],
                                 strict=True):
        tok.tag_, tok.lemma_ = tag, lemma
    con = [idx(doc, "rates", "fall", ",", "saying", "taxes", "rise")]
    assert text(doc, tidy(doc, idx(doc, "said"), [idx(doc, "The", "mayor")], con)[1]) == ["rates fall"]
