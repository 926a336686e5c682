"""What of an over-long message is read. A person who pastes a whole story writes whom it is about at its
start and asks at its end ("…Куда мне теперь жаловаться?"): cutting the message at its length limit
kept the story and dropped the question. Sentences come from razdel (abbreviations such as "т.е." do not
end one)."""

from __future__ import annotations

from razdel import sentenize

GAP = " … "
OPENING_SHARE = 4  # the opening sentence is kept when it takes at most a quarter of the limit


def read_part(text: str, limit: int) -> str:
    """``text`` when it fits in ``limit`` characters; else its opening sentence (when short) and as many of
    its last sentences as fit, joined by " … "; a last sentence longer than the room left is kept by its
    end, where its question is."""
    if len(text) <= limit:
        return text
    sentences = [s.text for s in sentenize(text)]
    opening = sentences[0] if len(sentences) > 1 and len(sentences[0]) <= limit // OPENING_SHARE else ""
    room = limit - len(opening) - len(GAP)
    kept: list[str] = []
    for sentence in reversed(sentences[1:] if opening else sentences):
        if len(sentence) + 1 > room:
            break
        kept.insert(0, sentence)
        room -= len(sentence) + 1
    if not kept:  # one sentence longer than the room: its end
        tail = text[-room:]
        kept = [tail[tail.find(" ") + 1 :] if " " in tail else tail]
    return (opening + GAP if opening else GAP.lstrip()) + " ".join(kept)
