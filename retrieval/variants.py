"""Other word forms and spellings of a question word that the documents use.

A question says "owns", the documents "owner"; "organise" against "organizing"; "wifi" against "Wi-Fi";
"instal" or "pasword" against "install" and "password". Stemming alone joins none of these. For each
question term, :func:`term_variants` looks up, in the index's vocabulary only (so it never invents a term):

1. spelling variants: British and American endings (-ise/-ize, -our/-or, -re/-er) and a hyphen or space
   dropped or added ("wifi" and "wi fi");
2. the plural or singular the stemmer leaves apart in abbreviations ("DMs", "GPUs", "APIs" against "DM",
   "GPU", "API");
3. derivations one suffix away (own/owner, spam/spammer, moderate/moderator), doubling a final consonant
   where English does;
4. a short form chat writes for a word documents spell out (:data:`ABBREVIATIONS`: "py", "tz", "dms"), and
   the noun of a dimension adjective (:data:`DIMENSION_NOUNS`: "how heavy" against "Weight: 22 kg");
5. for a word found in no passage, the known terms one edit away (Damerau-Levenshtein distance 1:
   Norvig 2007's candidate generation; SymSpell uses the same edit model), for words of five letters or
   more, the most frequent such term first.

Each variant carries a factor below 1: an exact match always counts more than a variant.
"""

from __future__ import annotations

from collections.abc import Callable, Container

__all__ = ["ABBREVIATIONS", "DIMENSION_NOUNS", "TYPO_FACTOR", "VARIANT_FACTOR", "term_variants"]

#: Share of a question term's weight that a spelling variant or a derivation earns.
VARIANT_FACTOR = 0.85
#: Share that a term one typing error away earns.
TYPO_FACTOR = 0.75

_SUFFIXES = ("er", "or", "ership", "ing", "ion", "ation", "ment")
_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"
_SPELLING = (("ise", "ize"), ("ising", "izing"), ("isa", "iza"), ("yse", "yze"), ("our", "or"), ("tre", "ter"), ("ogue", "og"),
)


#: Short forms chat writes for words documents spell out ("the min py version", "which tz", "in my dms"): a
#: short form counts, at :data:`VARIANT_FACTOR`, in a sentence that holds its long form's rarest word. Only
#: short forms with one common reading in a software community's chat.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "py": ("python",), "js": ("javascript",), "ts": ("typescript",), "k8s": ("kubernetes",),
    "tz": ("timezone", "time zone"), "dm": ("direct message",), "dms": ("direct messages",),
    "pw": ("password",), "pwd": ("password",), "passwd": ("password",), "db": ("database",),
    "cfg": ("configuration", "config"), "conf": ("configuration", "config"), "repo": ("repository",),
    "repos": ("repositories",), "env": ("environment",), "docs": ("documentation",), "doc": ("documentation",),
    "msg": ("message",), "msgs": ("messages",), "mod": ("moderator",), "mods": ("moderators",),
    "admin": ("administrator",), "admins": ("administrators",), "min": ("minimum",), "max": ("maximum",),
    "ver": ("version",), "vm": ("virtual machine",), "os": ("operating system",), "pic": ("picture", "photo"),
    "pics": ("pictures", "photos"), "vid": ("video",), "vids": ("videos",), "mins": ("minutes",),
    "hrs": ("hours",), "sec": ("seconds",), "secs": ("seconds",), "approx": ("approximately",),
    "info": ("information",), "auth": ("authentication",), "perms": ("permissions",), "dev": ("development",),
    "prod": ("production",), "dir": ("directory", "folder"), "notifs": ("notifications",),
}


#: The noun that names what a dimension adjective asks about ("How heavy is the 8-inch scope?" against
#: "- **Weight:** 22 kg", "how tall" against "Height: 2 m").
DIMENSION_NOUNS: dict[str, tuple[str, ...]] = {
    "heavy": ("weight", "weighs"), "light": ("weight",), "tall": ("height",), "high": ("height",),
    "wide": ("width",), "deep": ("depth",), "far": ("distance",), "big": ("size",), "large": ("size",),
    "small": ("size",), "fast": ("speed",), "old": ("age",),
}


def _edits1(word: str) -> list[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _LETTERS if c != b[0]]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    return deletes + transposes + replaces + inserts


def term_variants(
    term: str, word: str, vocabulary: Container[str], stem: Callable[[str], str],
    frequency: Callable[[str], float], known: bool, typos: bool = True, compounds: bool = True,
) -> list[tuple[str, float]]:
    """Index terms that are other forms of one question word, each with its factor.

    Parameters
    ----------
    term:
        The question word's index term (stemmed).
    word:
        The normalised word before stemming.
    vocabulary:
        The index's terms (membership only).
    stem:
        The analyzer's stemmer for one word.
    frequency:
        How common an index term is (its document frequency); breaks ties between typo candidates.
    known:
        Whether ``term`` itself is in the vocabulary (then no compound split or typo correction is tried).
    typos:
        Whether the word may be a typo (the caller says no for ordinary English words and names).
    compounds:
        Whether the word may be a compound written as one word (the caller says no for names).

    Returns
    -------
    list[tuple[str, float]]
        ``(term, factor)`` pairs, without ``term`` itself, in a fixed order (deterministic).
    """
    found: dict[str, float] = {}

    def add(candidate: str, factor: float) -> None:
        if candidate != term and candidate in vocabulary and found.get(candidate, 0.0) < factor:
            found[candidate] = factor

    for a, b in _SPELLING:
        for old, new in ((a, b), (b, a)):
            if old in word:
                add(stem(word.replace(old, new)), VARIANT_FACTOR)
    if word.isalpha():  # a plural the stemmer keeps: "DMs", "GPUs", "APIs" against "DM", "GPU", "API"
        if word.endswith("s") and len(word) >= 3:
            add(stem(word[:-1]), VARIANT_FACTOR)
        elif len(word) >= 2:
            add(stem(word + "s"), VARIANT_FACTOR)
    # "py" for "Python", "tz" for "time zone"; "heavy" for "weight"
    for long_form in ABBREVIATIONS.get(word.lower(), ()) + DIMENSION_NOUNS.get(word.lower(), ()):
        stems = [t for t in (stem(w) for w in long_form.split()) if t in vocabulary]
        if stems:
            add(min(stems, key=lambda t: (frequency(t), t)), VARIANT_FACTOR)
    if len(term) >= 3:
        for suffix in _SUFFIXES:
            add(stem(term + suffix), VARIANT_FACTOR)
            if len(term) >= 3 and term[-1] not in "aeiouwy":
                add(stem(term + term[-1] + suffix), VARIANT_FACTOR)
            if term.endswith(suffix) and len(term) - len(suffix) >= 3:
                base = term[: -len(suffix)]
                add(base, VARIANT_FACTOR)
                if len(base) >= 4 and base[-1] == base[-2]:
                    add(base[:-1], VARIANT_FACTOR)
    if not known and compounds and 4 <= len(word) <= 14:
        for i in range(2, len(word) - 1):  # a compound written as one word: "wifi" for "Wi-Fi"
            head, tail = stem(word[:i]), stem(word[i:])
            if head in vocabulary and tail in vocabulary:
                add(head, VARIANT_FACTOR)
                add(tail, VARIANT_FACTOR)
                break
    if not known and typos and len(word) >= 5:
        candidates = sorted({c for c in _edits1(term) if c in vocabulary}, key=lambda c: (-frequency(c), c))
        for candidate in candidates[:2]:
            add(candidate, TYPO_FACTOR)
    return sorted(found.items(), key=lambda item: (-item[1], item[0]))
