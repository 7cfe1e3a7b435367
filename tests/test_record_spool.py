"""The workers' records wait in a spool file, not in memory, and articles.json is the same."""
from __future__ import annotations

import json

from conftest import copy_seeds
from wuxi_archive.build.executor import InProcess
from wuxi_archive.record_spool import RecordSpool
from wuxi_archive.build.seeds import NoProgress, collect_outcomes
from wuxi_archive.build.site import prepared_articles, triage_outcomes
from wuxi_archive.records import record_text
from wuxi_archive.render.records_file import articles_json, joined, streamed


def _collect(paths, config, spool=None):
    return collect_outcomes(paths, None, config, None, lambda tasks, other: InProcess(),
                            lambda label, total: NoProgress(), spool=spool)


def test_spooled_records_are_not_held_and_give_the_same_file(tmp_path, config):
    paths = sorted(copy_seeds(tmp_path).glob("*.txt"))
    held = _collect(paths, config).outcomes
    spool = RecordSpool(tmp_path / "cache")
    spooled = _collect(paths, config, spool).outcomes
    try:
        # In memory only where they are: no record string is kept in the parent.
        assert all(p.record == "" for o in spooled for p in o.prepared)
        assert all(p.record for o in held for p in o.prepared)
        assert list((tmp_path / "cache").iterdir()) == []       # an unnamed file: nothing left behind
        made = []
        for outcomes, with_spool in ((held, None), (spooled, spool)):
            articles, _ = triage_outcomes(outcomes)
            prepared = prepared_articles(outcomes, articles)
            pieces, spans = articles_json(articles, prepared, spool=with_spool)
            made.append((b"".join(streamed(pieces, with_spool)), spans))
        assert made[0] == made[1]
        data, spans = made[1]
        assert data == joined(articles_json(articles)[0])      # as made here from the articles
        # the spool's records, next to each other, are copied as runs, not one by one
        pieces, _ = articles_json(articles, prepared, spool=spool)
        assert sum(isinstance(p, slice) for p in pieces) < len(articles)
        records = json.loads(data)
        assert [json.loads(data[start:end]) for _, _, start, end in spans] == records
        assert [r["id"] for r in records] == sorted(a.id for a in articles)
        assert all(record_text(a) for a in articles)
    finally:
        spool.close()


def test_the_spool_reads_back_in_pieces(tmp_path):
    from wuxi_archive.records import PreparedArticle
    spool = RecordSpool(tmp_path)
    made = [PreparedArticle(digest=str(n), record="") for n in range(3)]
    spool.add(made, ["{\"a\":\"无锡\"}", "", "{\"b\":" + "1" * 5000 + "}"])
    assert spool.span(made[1]) is None and spool.span(None) is None
    start, end = spool.span(made[2])
    assert b"".join(spool.read(start, end, chunk=999)) == ("{\"b\":" + "1" * 5000 + "}").encode()
    assert len(list(spool.read(start, end, chunk=999))) == 6
    assert b"".join(spool.read(*spool.span(made[0]))).decode() == "{\"a\":\"无锡\"}"
    spool.close()
