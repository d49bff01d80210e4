"""Sentence and paragraph alignment (Gale & Church lengths plus shared anchors)."""
from __future__ import annotations

import random

from tqcheck.core.align import align, anchors
from tqcheck.core.bilingual import attach_source, sentence_pairs
from tqcheck.formats import load_text


def test_one_to_one_and_merges():
    src = ["Le sommet a eu lieu lundi.", "Il a duré deux heures. Puis les dirigeants sont partis."]
    tgt = ["The summit took place on Monday.", "It lasted two hours.", "Then the leaders left."]
    assert align(src, tgt) == [(range(0, 1), range(0, 1)), (range(1, 2), range(1, 3))]


def test_dropped_segment_is_left_alone():
    src = ["Le véhicule a été enlevé vers 12 h 00 GMT.", "Bush a parlé du commerce en Asie pendant une heure.",
           "Les négociateurs n'ont pas trouvé d'accord sur le calendrier."]
    tgt = ["The vehicle was removed around 1200 GMT.", "The negotiators found no agreement on the calendar."]
    assert align(src, tgt) == [(range(0, 1), range(0, 1)), (range(1, 2), range(1, 1)), (range(2, 3), range(1, 2))]


def test_anchors_are_numbers_and_word_stems():
    assert anchors("Élections 2010 en Asie") == {"elec", "2010", "asie"}


def test_alignment_of_shuffled_demetr_sentences(demetr_rows):
    """Sentences with a few dropped on either side: most beads come out right (95% when tuned)."""
    pairs = list({r["src_sent"].strip(): r["mt_sent"].strip() for r in demetr_rows}.items())
    right = total = 0
    for seed in range(10):
        rnd = random.Random(seed)
        sample = rnd.sample(pairs, 30)
        drop_tgt = set(rnd.sample(range(30), 3))
        drop_src = set(rnd.sample(sorted(set(range(30)) - drop_tgt), 2))
        src_idx = [i for i in range(30) if i not in drop_src]
        tgt_idx = [i for i in range(30) if i not in drop_tgt]
        beads = align([sample[i][0] for i in src_idx], [sample[i][1] for i in tgt_idx])
        got = {(tuple(src_idx[k] for k in a), tuple(tgt_idx[k] for k in b)) for a, b in beads}
        want = {((i,) if i in src_idx else (), (i,) if i in tgt_idx else ()) for i in range(30)}
        right += len(got & want)
        total += len(want)
    assert right / total >= 0.9


def test_sentence_pairs_inside_units():
    doc = load_text("t", "The summit was held on Monday. It lasted two hours.\n\nThe leaders left.", "txt")
    source = "Le sommet a eu lieu lundi. Il a duré deux heures.\n\nLes dirigeants sont partis."
    attach_source(doc, load_text("s", source, "txt"))
    pairs = sentence_pairs(doc)
    assert [(doc.text[p.target.start:p.target.end], p.source, p.unit) for p in pairs] == [
        ("The summit was held on Monday.", "Le sommet a eu lieu lundi.", 0),
        ("It lasted two hours.", "Il a duré deux heures.", 0),
        ("The leaders left.", "Les dirigeants sont partis.", 1),
    ]
