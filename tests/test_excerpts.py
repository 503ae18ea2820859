"""Excerpt choice's coverage table gives exactly what :func:`retrieval.excerpts.coverage` gives."""

from __future__ import annotations

import random

from retrieval.excerpts import Concept, Coverage, coverage


def test_a_masks_weight_is_the_coverage_of_its_term_set() -> None:
    rng = random.Random(7)
    vocabulary = [f"t{i}" for i in range(12)]
    for _ in range(300):
        concepts = []
        for _ in range(rng.randint(1, 6)):
            forms = rng.sample(vocabulary, rng.randint(1, 3))
            concepts.append(Concept(forms[0], rng.uniform(0.1, 9.0),
                                    ((forms[0], 1.0), *((f, rng.choice((0.5, 0.7, 1.0))) for f in forms[1:]))))
        table = Coverage(concepts)
        for _ in range(20):
            a = frozenset(rng.sample(vocabulary + ["other"], rng.randint(0, 6)))
            b = frozenset(rng.sample(vocabulary, rng.randint(0, 4)))
            assert table.weight(table.mask(a)) == coverage(concepts, a)
            assert table.weight(table.mask(a) | table.mask(b)) == coverage(concepts, a | b)  # a union is an or


def test_no_question_term_is_mask_zero() -> None:
    table = Coverage([Concept("moon", 2.0, (("moon", 1.0),))])
    assert table.mask(frozenset({"sun", "star"})) == 0 == table.mask(frozenset())
    assert table.weight(0) == 0.0
