"""Writing a source's origins: the file gives each source exactly the derivations it lists."""

from factcheck.models import Source, SourceDerivation


def _origin_key(derivation):
    if derivation.origin_source_id:
        return ("source", derivation.origin_source.key)
    return ("speaker", derivation.origin_speaker.slug)


def write_derivations(derived, source_objs, speaker_objs, *, result, count, reason):
    """``derived`` maps a source key to its planned ``derived_from`` list (format 2 only).

    A derivation is matched by its origin; its relation and note are
    updated, a new origin added, one the file no longer lists removed. Each
    write is recorded in history with the import's ``reason``. The claims
    whose independent origins change are refreshed by the derivations'
    save and delete signals (factcheck/models/upkeep.py).
    """
    for key, wanted in derived.items():
        source = source_objs[key]
        existing = {
            _origin_key(d): d
            for d in SourceDerivation.objects.filter(source=source).select_related("origin_source", "origin_speaker")
        }
        kept = set()
        for item in wanted:
            ident = ("source", item["source"]) if "source" in item else ("speaker", item["speaker"])
            kept.add(ident)
            what = f"origin of source {key!r}: {ident[0]} {ident[1]!r}"
            values = {"relation": item["relation"], "note": item["note"]}
            derivation = existing.get(ident)
            if derivation is None:
                if "speaker" in item:
                    origin = {"origin_speaker": speaker_objs[item["speaker"]]}
                else:
                    origin = {
                        "origin_source": source_objs.get(item["source"]) or Source.objects.get(key=item["source"])
                    }
                derivation = SourceDerivation(source=source, **origin, **values)
                derivation._change_reason = reason
                derivation.save()
                count(result, "created", "derivations", what)
            elif changed := [n for n, v in values.items() if getattr(derivation, n) != v]:
                for name in changed:
                    setattr(derivation, name, values[name])
                derivation._change_reason = reason
                derivation.save()
                count(result, "updated", "derivations", what, changed)
            else:
                result.unchanged["derivations"] += 1
        for ident, derivation in existing.items():
            if ident not in kept:
                derivation._change_reason = reason
                derivation.delete()
                result.deleted_derivations += 1
                result.changes.append(f"removed origin of source {key!r}: {ident[0]} {ident[1]!r}")


def find_loop(edges):
    """A loop in ``{key: [origin keys]}`` as ``[a, b, …, a]``, or None."""
    state = {}

    def visit(key, path):
        state[key] = "open"
        for origin in edges.get(key, ()):
            if state.get(origin) == "open":
                return [*path[path.index(origin) :], origin]
            if origin not in state and (loop := visit(origin, [*path, origin])):
                return loop
        state[key] = "done"
        return None

    for key in sorted(edges):
        if key not in state and (loop := visit(key, [key])):
            return loop
    return None
