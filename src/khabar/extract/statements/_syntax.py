"""What the dependency parse says about a statement verb, when the model has a parser:
its subject, its passive agent, whether it is an infinitive inside another clause.

Every function answers None (or False) on the blank pipeline, and the callers then fall
back to word windows."""

from __future__ import annotations

from typing import Any

__all__ = ["agent_span", "has_parse", "is_subordinate_infinitive", "subject_span", "token_at"]

_SUBJECTS = ("nsubj", "nsubjpass", "csubj")


def has_parse(doc: Any) -> bool:
    return doc is not None and doc.has_annotation("DEP")


def token_at(doc: Any, offset: int) -> Any:
    """The token that starts at (or covers) a character offset of the article."""
    if not has_parse(doc):
        return None
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _governing_verb(token: Any) -> Any:
    """The verb whose subject a token's clause shares: "X accused A and called on B"
    gives "called" the subject of "accused"."""
    seen = 0
    while token.dep_ in ("conj", "xcomp") and token.head.i != token.i and seen < 5:
        if any(child.dep_ in _SUBJECTS for child in token.children):
            break
        token = token.head
        seen += 1
    return token


def _embedded(token: Any, top: Any) -> bool:
    """Whether a token sits in a relative clause or apposition under ``top``."""
    while token.i != top.i:
        if token.dep_ in ("relcl", "acl", "appos"):
            return True
        token = token.head
    return False


def subject_span(doc: Any, offset: int) -> tuple[int, int] | None:
    """The characters of the subject of the verb at ``offset`` (its whole phrase), or None
    when the parse gives it none or there is no parse."""
    token = token_at(doc, offset)
    if token is None:
        return None
    verb = _governing_verb(token)
    for child in verb.children:
        if child.dep_ in _SUBJECTS:
            # the subject's phrase up to its head, without a relative clause or an
            # apposition after it ("KABUL, AFGHANISTAN – Pakistan" keeps Pakistan)
            tokens = [t for t in child.subtree if not _embedded(t, child)]
            last = max(tokens, key=lambda t: t.i) if tokens else child
            return tokens[0].idx if tokens else child.idx, last.idx + len(last.text)
    if verb.dep_ in ("acl", "pcomp", "advcl") and verb.tag_ == "VBG":
        # "with Islamabad accusing ...", "..., accusing Kabul of ...": the noun it hangs on
        for child in verb.children:
            if child.dep_ == "nsubj":
                return child.idx, child.idx + len(child.text)
        if verb.dep_ == "advcl" and verb.head.pos_ in ("VERB", "AUX") and verb.head.i != verb.i:
            # "the party responded to allegations by X, saying ...": the one who responded
            return subject_span(doc, verb.head.idx)
    return None


def agent_span(doc: Any, offset: int) -> tuple[int, int] | None:
    """The agent of a passive verb ("denied by Kabul" -> Kabul)."""
    token = token_at(doc, offset)
    if token is None:
        return None
    for child in token.children:
        if child.dep_ == "agent":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                tokens = list(objects[0].subtree)
                return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    return None


def is_subordinate_infinitive(doc: Any, offset: int) -> bool:
    """Whether the verb is an infinitive another verb governs ("expected Kabul to act and
    deny its soil to terrorists": "deny" is what is expected, not a denial)."""
    token = token_at(doc, offset)
    if token is None or token.tag_ != "VB":
        return False
    head = token
    for _ in range(4):
        if any(child.dep_ == "aux" and child.lower_ == "to" for child in head.children):
            return head.dep_ != "ROOT"
        if head.dep_ != "conj":
            break
        head = head.head
    return False
