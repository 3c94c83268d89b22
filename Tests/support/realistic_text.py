"""Realistic German text for tests: the prose people type into forms (umlauts, ß, quotes, &, a <script> tag,
paragraphs), used by the plain-HTTP and the browser tests alike."""

_SENTENCES = [
    "Ich arbeite seit drei Jahren im Team „Datenplattform“ und erkläre gern, wie wir Dashboards bauen.",
    "Größere Veränderungen gelingen nur, wenn die Geschäftsführung versteht, warum Mitarbeitende anders arbeiten wollen.",
    "Mein Schwerpunkt: Künstliche Intelligenz im Vertrieb, Social Media & interne Kommunikation.",
    "Ich möchte zeigen, dass \"digital\" nicht heißt, alles sofort zu ändern – sondern Schritt für Schritt.",
    "Außerdem engagiere ich mich in der Jugend- und Auszubildendenvertretung (JAV) für flexible Arbeitszeiten.",
    "Beispiel aus dem Alltag: <script>alert('Lücke')</script> darf nie als Code im Browser landen.",
    "Übrigens: Straßenbahn, Maßband, Öffnungszeiten, Überstunden – typische Wörter mit ß, Ä, Ö und Ü.",
    "Kolleg:innen sagen, ich könne komplizierte Dinge einfach erklären; das möchte ich weitergeben.",
    "Was ich mir wünsche: ehrliches Feedback, 1:1-Gespräche auf Augenhöhe und Neugier auf beiden Seiten.",
    "Zitat meiner Ausbilderin: 'Wer fragt, führt.' & das gilt auch für Vorstände.",
]


def german_text(length, paragraph_every=3, start=0):
    """Exactly `length` characters (Python and Swift agree: no CR, no combining marks) of German prose with
    umlauts, ß, both kinds of quotes, an apostrophe, & and a <script> tag, in paragraphs separated by line breaks.
    Starts and ends with a non-space (the server trims)."""
    parts, count = [], start
    while sum(len(p) for p in parts) < length + 200:
        parts.append(_SENTENCES[count % len(_SENTENCES)])
        count += 1
        parts.append("\n\n" if count % paragraph_every == 0 else " ")
    text = "".join(parts)[:length]
    while text[-1].isspace():
        text = text[:-1] + "."
    assert len(text) == length and not text[0].isspace()
    return text

