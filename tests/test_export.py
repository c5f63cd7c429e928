"""Every export format parses back into what went in; the CLI is a thin wrapper over the library."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from claimgraph import export
from claimgraph.errors import InputError
from claimgraph.models import Article
from claimgraph.web.demo import MemoryStore, demo_records, fill

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture()
def store():
    s = MemoryStore()
    fill(s, *demo_records())
    return s


def test_json_round_trip(store) -> None:
    data = json.loads(export.export_bytes(store, "json"))
    assert [len(data[k]) for k in ("articles", "claims", "trails")] == [4, 8, 2]
    from claimgraph.models import Claim, from_dict

    claim = from_dict(Claim, data["claims"][0])
    assert claim == store.get_claim(claim.id)


def test_json_of_one_trail(store) -> None:
    data = json.loads(export.export_bytes(store, "json", trail_id="demo-terminal"))
    assert [t["id"] for t in data["trails"]] == ["demo-terminal"]
    assert len(data["claims"]) == 5 and len(data["articles"]) == 4


def test_csv_tables(store) -> None:
    claims = list(csv.DictReader(io.StringIO(export.export_bytes(store, "csv").decode("utf-8"))))
    assert len(claims) == 8 and tuple(claims[0]) == export.CLAIM_COLUMNS
    deny = [r for r in claims if r["stance"] == "deny"]
    assert deny[0]["source"] == "A spokesperson for the port operator" and deny[0]["places"] == "Constanța"
    arts = list(csv.DictReader(io.StringIO(export.export_bytes(store, "csv", table="articles").decode())))
    assert {a["id"] for a in arts} == set(store.articles) and "\n\n" in arts[0]["text"]


def test_csv_defuses_spreadsheet_formulas() -> None:
    s = MemoryStore()
    s.add_articles([Article("f1", "=HYPERLINK(\"http://x\")", "text", outlet="o.example")])
    rows = list(csv.DictReader(io.StringIO(export.export_bytes(s, "csv", table="articles").decode())))
    assert rows[0]["title"].startswith("'=")


def test_parquet_round_trip(store) -> None:
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(export.export_bytes(store, "parquet")))
    assert table.num_rows == 8 and table.column_names == list(export.CLAIM_COLUMNS)
    assert str(table.schema.field("n").type) == "int64"
    arts = pq.read_table(io.BytesIO(export.export_bytes(store, "parquet", table="articles")))
    assert sorted(arts.column("id").to_pylist()) == sorted(store.articles)
    empty = pq.read_table(io.BytesIO(export.export_bytes(MemoryStore(), "parquet")))
    assert empty.num_rows == 0 and empty.column_names == list(export.CLAIM_COLUMNS)


def test_claimreview_never_rates(store) -> None:
    doc = json.loads(export.export_bytes(store, "claimreview", trail_id="demo-terminal"))
    assert doc["@context"] == "https://schema.org" and doc["@type"] == "ClaimReview"
    item = doc["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"]["name"] == "Port officials"
    assert item["datePublished"] == "2026-03-02"
    assert item["firstAppearance"]["url"] == "https://northwire.example/grain-terminal"
    assert len(item["appearance"]) == 4
    assert all(v is None for k, v in doc["reviewRating"].items() if k != "@type")
    every = json.loads(export.export_bytes(store, "claimreview"))
    assert isinstance(every, list) and len(every) == 2


def test_graphml_citation_graph(store) -> None:
    root = ET.fromstring(export.export_bytes(store, "graphml"))
    graph = root.find(f"{GRAPHML}graph")
    assert graph is not None and graph.get("edgedefault") == "directed"
    nodes = {n.get("id") for n in graph.findall(f"{GRAPHML}node")}
    edges = [(e.get("source"), e.get("target")) for e in graph.findall(f"{GRAPHML}edge")]
    assert ("harbourpost.example", "northwire.example") in edges
    assert {"northwire.example", "constanta-port"} <= nodes
    assert all(s in nodes and t in nodes for s, t in edges)


def test_prov_json(store) -> None:
    doc = json.loads(export.export_bytes(store, "prov", trail_id="demo-terminal"))
    assert doc["prefix"]["cg"] == "urn:claimgraph:"
    # Only PROV-JSON record types at the top: PROV tools refuse anything else.
    assert set(doc) == {"prefix", "entity", "agent", "wasAttributedTo", "wasDerivedFrom"}
    assert "cg:article/demo-nw-1" in doc["entity"] and "cg:claim/demo-nw-1%3A1" in doc["entity"]
    derived = doc["wasDerivedFrom"]
    primary = [r for k, r in derived.items() if k.startswith("_:hadPrimarySource/")]
    assert primary and all(r["prov:type"]["$"] == "prov:PrimarySource" for r in primary)
    ids = set(doc["entity"])
    assert all(r["prov:generatedEntity"] in ids and r["prov:usedEntity"] in ids for r in derived.values())
    agents = set(doc["agent"])
    assert all(r["prov:agent"] in agents for r in doc["wasAttributedTo"].values())


def test_prov_json_reads_in_the_prov_library(store, tmp_path) -> None:
    model = pytest.importorskip("prov.model", reason="the prov library is not installed")
    path = tmp_path / "doc.json"
    path.write_bytes(export.export_bytes(store, "prov"))
    doc = model.ProvDocument.deserialize(str(path), format="json")
    assert len(list(doc.get_records())) > 10


def test_unknown_trail_format_and_table_are_input_errors(store) -> None:
    with pytest.raises(InputError, match="no such trail"):
        export.export_bytes(store, "json", trail_id="nope")
    with pytest.raises(InputError, match="unknown export format"):
        export.export_bytes(store, "xlsx")
    with pytest.raises(InputError, match="unknown table"):
        export.export_bytes(store, "csv", table="people")


def _sqlite_db(tmp_path) -> str:
    from claimgraph.store.sqlite import SQLiteStore

    path = str(tmp_path / "demo.db")
    s = SQLiteStore(path)
    fill(s, *demo_records())
    s.close()
    return path


def test_cli_export_to_file_and_stdout(tmp_path) -> None:
    from claimgraph.cli import cli

    db = _sqlite_db(tmp_path)
    out = tmp_path / "trail.jsonld"
    runner = CliRunner()
    r = runner.invoke(cli, ["export", "--db", db, "--format", "claimreview", "--trail", "demo-terminal",
                            "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert json.loads(out.read_text())["claimReviewed"].startswith("The western grain terminal")
    r = runner.invoke(cli, ["export", "--db", db, "--format", "csv", "--table", "articles"])
    assert r.exit_code == 0 and r.stdout.startswith("id,title,")
    r = runner.invoke(cli, ["export", "--db", db, "--format", "json", "--trail", "nope", "--out",
                            str(tmp_path / "x.json")])
    assert r.exit_code != 0 and "no such trail" in r.output
    assert not (tmp_path / "x.json").exists() and not list(tmp_path.glob(".export-*"))
