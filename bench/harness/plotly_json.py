"""Plotly's figure JSON with its typed arrays turned back into plain lists."""

from __future__ import annotations


def decode_typed_arrays(node):
    """Plotly 7 writes numeric arrays as {"dtype", "bdata"}; turn them back into lists."""
    import base64

    import numpy as np

    if isinstance(node, dict):
        if set(node) >= {"dtype", "bdata"}:
            array = np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"])
            if "shape" in node:
                array = array.reshape([int(n) for n in str(node["shape"]).split(",")])
            return array.tolist()
        return {key: decode_typed_arrays(value) for key, value in node.items()}
    if isinstance(node, list):
        return [decode_typed_arrays(item) for item in node]
    return node
