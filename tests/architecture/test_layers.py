#!/usr/bin/env python3
"""The folders of mock/ are layers: a file may include headers from its own folder and from folders
below it, never from one above. This keeps the map in ARCHITECTURE.md true as the code changes.

Run by ctest; also by hand: python3 tests/architecture/test_layers.py [repository root]."""
import os
import re
import sys
import unittest

# Lowest first. Each folder may depend only on folders before it (and on the public headers in
# mock/include). ARCHITECTURE.md lists the same order with what each folder does.
LAYERS = [
    "src/text",
    "src/diagnostics",
    "src/schema",
    "src/contract",
    "src/http",
    "src/journal",
    "src/stubs",
    "src/publish",
    "src/record",
    "src/verify",
    "src/admin",
    "src/server",
    "cli",
]

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def repository_root():
    if len(sys.argv) > 1 and os.path.isdir(sys.argv[1]):
        return sys.argv[1]
    return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def source_files(mock_dir):
    for directory, _, names in os.walk(mock_dir):
        for name in names:
            if name.endswith((".cpp", ".hpp")):
                yield os.path.join(directory, name)


def folder_of(path, mock_dir):
    """The layer a file belongs to, e.g. 'src/http', or None for the public headers."""
    relative = os.path.relpath(path, mock_dir)
    folder = os.path.dirname(relative)
    return None if folder.startswith("include") else folder


def resolve(include, including_file, mock_dir):
    """Where an include lands, tried the way the build's include paths do."""
    for base in (os.path.dirname(including_file), os.path.join(mock_dir, "src"), mock_dir,
                 os.path.join(mock_dir, "include")):
        candidate = os.path.normpath(os.path.join(base, include))
        if os.path.isfile(candidate):
            return candidate
    return None


def folder_edges(mock_dir):
    """(from folder, to folder) -> the first include that makes the edge, for the message."""
    edges = {}
    for path in source_files(mock_dir):
        source = folder_of(path, mock_dir)
        with open(path, encoding="utf-8") as handle:
            includes = INCLUDE.findall(handle.read())
        for include in includes:
            target_path = resolve(include, path, mock_dir)
            if target_path is None:
                continue
            target = folder_of(target_path, mock_dir)
            if source is None or target is None or source == target:
                continue
            edges.setdefault((source, target), f"{os.path.relpath(path, mock_dir)} includes \"{include}\"")
    return edges


class LayerTest(unittest.TestCase):
    def setUp(self):
        self.mock_dir = os.path.join(repository_root(), "mock")

    def test_every_folder_is_a_declared_layer(self):
        folders = {folder_of(path, self.mock_dir) for path in source_files(self.mock_dir)}
        folders.discard(None)
        undeclared = sorted(folders - set(LAYERS))
        self.assertEqual(undeclared, [], "folders missing from LAYERS (and ARCHITECTURE.md)")

    def test_includes_point_down_only(self):
        rank = {folder: index for index, folder in enumerate(LAYERS)}
        upward = [
            f"{source} -> {target}: {example}"
            for (source, target), example in sorted(folder_edges(self.mock_dir).items())
            if source in rank and target in rank and rank[target] > rank[source]
        ]
        self.assertEqual(upward, [], "includes that point up a layer")

    def test_every_include_resolves(self):
        # An include the walk cannot place would hide an edge from the check above.
        unresolved = []
        for path in source_files(self.mock_dir):
            with open(path, encoding="utf-8") as handle:
                for include in INCLUDE.findall(handle.read()):
                    if include == "generated/embedded_files.cpp":
                        continue
                    if resolve(include, path, self.mock_dir) is None:
                        unresolved.append(f"{os.path.relpath(path, self.mock_dir)}: {include}")
        self.assertEqual(unresolved, [])


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
