"""Deterministic node positions for the country network (shared by HTML and PNG)."""
from __future__ import annotations

import math

LAYOUT_SEED = 20240101


def network_layout(activity: dict[str, int], edges) -> dict[str, tuple[float, float]]:
    """Spring layout with a fixed seed over sorted nodes/edges: same input -> same picture."""
    import networkx as nx  # lazy: loads when a report is built (see report/__init__.py)

    g = nx.Graph()
    nodes = sorted(activity)
    g.add_nodes_from(nodes)
    for e in sorted(edges, key=lambda e: (e.a, e.b)):
        g.add_edge(e.a, e.b, weight=1.0 + math.log1p(e.n_contacts))
    if not nodes:
        return {}
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    k = 1.6 / math.sqrt(len(nodes))
    pos = nx.spring_layout(g, seed=LAYOUT_SEED, weight="weight", k=k, iterations=200)
    return {n: (float(p[0]), float(p[1])) for n, p in pos.items()}
