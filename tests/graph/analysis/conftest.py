"""Fixtures: the hand-made network (``analysis_network``) and a private copy of the example
data directory (``example_data_dir`` and ``example_graph`` are in ``tests/conftest.py``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset

from graph.analysis.sources import dependency_graph_from_rdf
from tests.graph.analysis.analysis_network import NETWORK


@pytest.fixture(scope="session")
def network_dataset() -> Dataset:
    ds = Dataset()
    ds.parse(data=NETWORK, format="trig")
    return ds


@pytest.fixture(scope="session")
def network(network_dataset: Dataset) -> nx.MultiDiGraph:
    return dependency_graph_from_rdf(network_dataset)


@pytest.fixture(scope="session")
def network_data_dir(network_dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded store on disk holding the hand-made network, one named graph per card."""
    from graph.store.embedded import EmbeddedStore

    data_dir = tmp_path_factory.mktemp("network") / "data"
    store = EmbeddedStore(data_dir)
    try:
        for graph in network_dataset.graphs():
            if len(graph):
                store.replace_graph(graph.identifier, graph)
    finally:
        store.close()
    return data_dir


@pytest.fixture
def example_copy(example_data_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the example data directory a test may change."""
    target = tmp_path / "data"
    shutil.copytree(example_data_dir, target)
    return target
