"""The data page describes the dataset for catalogues: schema.org Dataset JSON-LD, read here
with an independent JSON-LD parser (rdflib), naming every download the page offers; and the
Data Package declares the version of the standard it follows."""

from __future__ import annotations

import json
from urllib.parse import urljoin

import lxml.html
import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from generator.exports import datapackage

SDO = Namespace("https://schema.org/")


@pytest.fixture(scope="module")
def data_page(built_site):
    return lxml.html.parse(str(built_site / "data" / "index.html")).getroot()


@pytest.fixture(scope="module")
def graph(data_page) -> Graph:
    [script] = data_page.xpath("//script[@type='application/ld+json']")
    doc = json.loads(script.text)
    assert doc["@context"] == "https://schema.org"
    doc["@context"] = {"@vocab": str(SDO)}  # the same vocabulary, without fetching schema.org's context
    return Graph().parse(data=json.dumps(doc), format="json-ld")


def test_the_data_page_is_a_dataset_with_its_years_and_cities(graph, ds):
    [dataset] = list(graph.subjects(RDF.type, SDO.Dataset))
    years = sorted(year for _, year in ds.lists)
    assert str(graph.value(dataset, SDO.temporalCoverage)) == f"{years[0]}/{years[-1]}"
    places = {str(graph.value(p, SDO.name)) for p in graph.objects(dataset, SDO.spatialCoverage)}
    assert places == {c.name for c in ds.cities.values()}
    assert str(graph.value(dataset, SDO.inLanguage)) == "zh-CN"


def test_every_download_on_the_page_is_a_distribution(graph, data_page, ds):
    [dataset] = list(graph.subjects(RDF.type, SDO.Dataset))
    named = {str(graph.value(d, SDO.contentUrl)) for d in graph.objects(dataset, SDO.distribution)}
    base = str(graph.value(dataset, SDO.url))
    offered = {urljoin(base, a.get("href")) for a in data_page.xpath("//a[@download]")}
    offered |= {urljoin(base, a.get("href")) for a in data_page.xpath("//a[contains(@href, 'datapackage.json')]")}
    assert len(offered) >= 4 + 2 * len(ds.lists)
    assert offered <= named, sorted(offered - named)[:5]
    for d in graph.objects(dataset, SDO.distribution):
        assert (d, RDF.type, SDO.DataDownload) in graph and graph.value(d, SDO.encodingFormat) is not None
        assert str(graph.value(d, SDO.contentUrl)).startswith(base.removesuffix("data/"))


def test_the_data_package_declares_its_profile_version(built_site):
    descriptor = json.loads((built_site / "data" / "all" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["$schema"] == datapackage.PROFILE and "/2.0/" in datapackage.PROFILE


def test_the_licence_is_the_same_in_the_json_ld_the_data_package_and_on_the_page(graph, data_page, built_site):
    [dataset] = list(graph.subjects(RDF.type, SDO.Dataset))
    assert str(graph.value(dataset, SDO.license)) == datapackage.LICENCE["path"]
    descriptor = json.loads((built_site / "data" / "all" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["licenses"] == [datapackage.LICENCE]
    [link] = data_page.xpath("//a[@rel='license']")
    assert link.get("href") == datapackage.LICENCE["path"] and "CC BY 4.0" in link.text_content()
