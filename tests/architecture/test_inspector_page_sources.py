#!/usr/bin/env python3
"""The inspector page (mock/ui) keeps the rules that make it safe to point at a journal full of
whatever clients sent: values go in as text, never as HTML; no inline script or style (the page's
Content-Security-Policy would block them anyway, and the page would break silently); nothing is
loaded from another origin, so it works offline. The browser test checks the behaviour; this
catches the patterns before a browser is needed.

Run by ctest; also by hand: python3 tests/architecture/test_inspector_page_sources.py"""
import os
import re
import sys
import unittest
from html.parser import HTMLParser

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
UI = os.path.join(ROOT, "mock", "ui")

# Ways to turn a string into markup or code.
FORBIDDEN_SCRIPT = {
    "innerHTML": re.compile(r"\binnerHTML\b"),
    "outerHTML": re.compile(r"\bouterHTML\b"),
    "insertAdjacentHTML": re.compile(r"\binsertAdjacentHTML\b"),
    "document.write": re.compile(r"\bdocument\s*\.\s*write(ln)?\b"),
    "createContextualFragment": re.compile(r"\bcreateContextualFragment\b"),
    "DOMParser": re.compile(r"\bDOMParser\b"),
    "srcdoc": re.compile(r"\bsrcdoc\b"),
    "eval": re.compile(r"\beval\s*\("),
    "new Function": re.compile(r"\bnew\s+Function\b"),
    "string timer": re.compile(r"\bset(Timeout|Interval)\s*\(\s*['\"`]"),
    "event handler attribute": re.compile(r"setAttribute\s*\(\s*['\"]on", re.I),
    "style attribute": re.compile(r"setAttribute\s*\(\s*['\"]style['\"]", re.I),
    "EventSource (cannot send the token)": re.compile(r"\bEventSource\b"),
}

# Any absolute or protocol-relative URL: the page uses only paths on the mock itself.
EXTERNAL_URL = re.compile(r"(https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}|\bhttps?://", re.I)
CSS_IMPORT_OR_URL = re.compile(r"@import|url\(\s*['\"]?(?!data:)", re.I)


def read(name):
    with open(os.path.join(UI, name), encoding="utf-8") as handle:
        return handle.read()


def without_js_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"(^|\s)//[^\n]*", r"\1", text)


class PageMarkup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []
        self.scripts = []
        self.in_script_without_src = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>: an inline event handler")
            if name == "style":
                self.problems.append(f"<{tag} style=...>: an inline style")
            if name in ("src", "href", "action") and value and not (
                    value.startswith("/__admin/") or value.startswith("data:")):
                self.problems.append(f"<{tag} {name}={value!r}>: not a path on the mock")
        if tag == "style":
            self.problems.append("<style>: an inline style sheet")
        if tag == "script":
            if "src" in names:
                self.scripts.append(names["src"])
            else:
                self.problems.append("<script> without src: an inline script")

    def handle_data(self, data):
        pass


class InspectorPageSources(unittest.TestCase):
    def test_the_page_has_its_three_files(self):
        self.assertEqual(sorted(os.listdir(UI)), ["app.css", "app.js", "index.html"])

    def test_markup_has_no_inline_script_style_or_foreign_resource(self):
        parser = PageMarkup()
        parser.feed(read("index.html"))
        self.assertEqual(parser.problems, [])
        self.assertEqual(parser.scripts, ["/__admin/ui/app.js"])
        self.assertIn('href="/__admin/ui/app.css"', read("index.html"))

    def test_script_never_builds_markup_or_code_from_strings(self):
        script = without_js_comments(read("app.js"))
        found = [name for name, pattern in FORBIDDEN_SCRIPT.items() if pattern.search(script)]
        self.assertEqual(found, [])

    def test_nothing_is_loaded_from_elsewhere(self):
        for name in ("index.html", "app.js", "app.css"):
            with self.subTest(file=name):
                text = read(name)
                if name == "app.js":
                    text = without_js_comments(text)
                self.assertIsNone(EXTERNAL_URL.search(text))
        self.assertIsNone(CSS_IMPORT_OR_URL.search(read("app.css")))

    def test_the_checks_catch_what_they_look_for(self):
        # The patterns above are only worth their silence if they fire on the real thing.
        bad = "row.innerHTML = entry.path; el.insertAdjacentHTML('beforeend', x); new EventSource(u)"
        self.assertEqual(
            [n for n, p in FORBIDDEN_SCRIPT.items() if p.search(bad)],
            ["innerHTML", "insertAdjacentHTML", "EventSource (cannot send the token)"])
        self.assertIsNotNone(EXTERNAL_URL.search('fetch("https://cdn.example.com/x.js")'))
        parser = PageMarkup()
        parser.feed('<script>alert(1)</script><div onclick="x()" style="color:red"></div>')
        self.assertEqual(len(parser.problems), 3)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
