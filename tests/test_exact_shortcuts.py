"""Speed shortcuts of excerpt choice give exactly what the plain code gives (same floats, same choices)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.excerpts import Concept, coverage, coverer

_TERMS = [f"t{i}" for i in range(12)]
_concepts = st.lists(
    st.builds(lambda term, weight, forms: Concept(term, weight, ((term, 1.0), *forms)),
              st.sampled_from(_TERMS), st.floats(0.01, 20.0),
              st.lists(st.tuples(st.sampled_from(_TERMS), st.sampled_from([0.3, 0.5, 0.8])), max_size=3).map(tuple)),
    max_size=8)


@settings(max_examples=300, deadline=None)
@given(_concepts, st.lists(st.frozensets(st.sampled_from(_TERMS + ["other"])), min_size=1, max_size=20))
def test_the_memoised_coverage_is_the_coverage(concepts: list[Concept], term_sets: list[frozenset[str]]) -> None:
    cover = coverer(concepts)
    for terms in term_sets * 2:  # the second round reads the memo
        assert cover(terms) == coverage(concepts, terms)
        assert cover(set(terms)) == coverage(concepts, set(terms))
