#!/usr/bin/env python3
"""Instance paths that make a recursive component schema validate itself again.

usage: deep_witness.py OPENAPI_DOCUMENT > witnesses.json

For every components/schemas entry that can reach itself through at least one
step into the instance (a property, additionalProperties or items), prints
the shortest such path as a JSON array of keys and indexes, keyed by the
component's location ("#/components/schemas/Name"). schema_runner nests `{}`
along it to check the depth limit. Only references inside the document are
followed; a path through another file is not found (no witness, no test).
"""

import collections
import json
import sys

APPLY_IN_PLACE_LISTS = ("allOf", "anyOf", "oneOf")
APPLY_IN_PLACE_ONE = ("not", "if", "then", "else")


def load(path):
    with open(path, encoding="utf-8") as f:
        if path.endswith(".json"):
            return json.load(f)
        import yaml  # only YAML documents need PyYAML

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(f, Loader=loader)


def escape(token):
    return token.replace("~", "~0").replace("/", "~1")


def resolve(doc, ref):
    if not isinstance(ref, str) or not ref.startswith("#"):
        return None
    node = doc
    for raw in ref[1:].split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return ref[1:], node


def edges(doc, pointer, node, oas30):
    """(pointer, schema, step) for each subschema `node` applies; step None = same instance."""
    if not isinstance(node, dict):
        return
    if "$ref" in node:
        target = resolve(doc, node["$ref"])
        if target:
            yield target[0], target[1], None
        if oas30:  # a 3.0 Reference Object replaces its siblings
            return
    for key in APPLY_IN_PLACE_LISTS:
        if isinstance(node.get(key), list):
            for i, sub in enumerate(node[key]):
                yield f"{pointer}/{key}/{i}", sub, None
    for key in APPLY_IN_PLACE_ONE:
        if isinstance(node.get(key), dict):
            yield f"{pointer}/{key}", node[key], None
    properties = node.get("properties")
    if isinstance(properties, dict):
        for name, sub in properties.items():
            yield f"{pointer}/properties/{escape(name)}", sub, str(name)
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        name = "x"
        while isinstance(properties, dict) and name in properties:
            name += "x"
        yield f"{pointer}/additionalProperties", extra, name
    if isinstance(node.get("items"), dict):
        yield f"{pointer}/items", node["items"], 0


def witness(doc, start, start_node, oas30):
    """Shortest instance path from the component back to itself, or None."""
    # States are (pointer, stepped): a cycle must step into the instance at
    # least once (keel-gen rejects the ones that do not).
    parents = {(start, False): None}
    queue = collections.deque([(start, False, start_node)])
    while queue:
        pointer, stepped, node = queue.popleft()
        for child, sub, step in edges(doc, pointer, node, oas30):
            state = (child, stepped or step is not None)
            if state in parents:
                continue
            parents[state] = ((pointer, stepped), step)
            if state == (start, True):
                path = []
                at = state
                while parents[at] is not None:
                    at, step = parents[at]
                    if step is not None:
                        path.append(step)
                return path[::-1]
            queue.append((child, state[1], sub))
    return None


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: deep_witness.py OPENAPI_DOCUMENT")
    doc = load(sys.argv[1])
    oas30 = str(doc.get("openapi", "")).startswith("3.0")
    schemas = (doc.get("components") or {}).get("schemas") or {}
    out = {}
    for name, schema in schemas.items():
        pointer = f"/components/schemas/{escape(name)}"
        path = witness(doc, pointer, schema, oas30)
        if path is not None:
            out["#" + pointer] = path
    json.dump(out, sys.stdout, indent=0)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
