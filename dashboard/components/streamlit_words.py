"""Streamlit's own words in the reader's language, the page's `<html lang>`, and its chrome made accessible.

Streamlit writes a few fixed English words into every page (table toolbars and column
menus, the file uploader's remove button and drop overlay, the running indicator, the
sidebar's "View 5 more") and has no setting for them. One small constant script, sent
with every run, rewrites exactly these words where they appear: as text, `aria-label`,
`title` or `placeholder`, also when Streamlit draws them later (a tooltip, a menu). The
words come from the `[streamlit]` table of each language's dashboard.toml, keyed by
Streamlit's English text; `{name}` stands for a part Streamlit fills in. Our own text
(markdown outside tooltips) is never touched.

Two more repairs of Streamlit's markup, checked by axe-core (tests/e2e/test_accessibility.py):
the sidebar's sections put headers and `<li>`s in a `<div>` inside the `<ul>` (an invalid list:
the `<ul>` becomes `role=none`, each section a `role=list` named by its header), and captions
are drawn at 60 % opacity, 3.9:1 (theme.CAPTION_TEXT, opaque, instead).
"""

from __future__ import annotations

import json
import re
from functools import cache

import streamlit as st

from dashboard.presenting import theme
from etl.i18n import catalogue

PREFIX = "streamlit."
PLACEHOLDER = re.compile(r"\{(\w+)\}")

STYLE = f'<style>[data-testid="stCaptionContainer"] {{ color: {theme.CAPTION_TEXT}; opacity: 1; }}</style>'
SCRIPT = """<script>
(() => {
  const [lang, words, patterns] = %s;
  document.documentElement.lang = lang;
  const rules = patterns.map(([from, to]) => [new RegExp(from), to]);
  const say = (text) => {
    const plain = text.trim();
    if (Object.hasOwn(words, plain)) return words[plain];
    for (const [from, to] of rules) if (from.test(plain)) return plain.replace(from, to);
    const colon = plain.indexOf(': ');  // a toolbar button's label names its element after a colon
    const head = colon > 0 ? say(plain.slice(0, colon)) : null;
    return head ? head + plain.slice(colon) : null;
  };
  // Our own markdown is left alone; a tooltip's markdown is Streamlit's word.
  const ours = (node) => {
    const parent = node.parentElement;
    const markdown = parent && parent.closest('[data-testid="stMarkdownContainer"]');
    return markdown && !parent.closest('[role="tooltip"]');
  };
  const set = (el, name, value) => { if (el.getAttribute(name) !== value) el.setAttribute(name, value); };
  const lists = () => {
    for (const list of document.querySelectorAll('[data-testid="stSidebarNavItems"]')) {
      if ([...list.children].every((child) => child.tagName === 'LI')) continue;
      set(list, 'role', 'none');
      for (const part of list.children) {
        if (part.tagName === 'LI') continue;
        set(part, 'role', 'list');
        const header = part.querySelector(':scope > header');
        if (header) { set(header, 'role', 'none'); set(part, 'aria-label', header.textContent.trim()); }
      }
    }
  };
  const fix = (root) => {
    if (root.nodeType === Node.TEXT_NODE) {
      const text = root.nodeValue;
      const said = !ours(root) && say(text);
      if (said) root.nodeValue = text.replace(text.trim(), said);  // the spaces around stay
      return;
    }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    for (const el of [root, ...root.querySelectorAll('[aria-label],[title],[placeholder]')]) {
      for (const name of ['aria-label', 'title', 'placeholder']) {
        const said = el.hasAttribute(name) && say(el.getAttribute(name));
        if (said) set(el, name, said);
      }
    }
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) fix(node);
    lists();
  };
  window.tilannekuvaWords = fix;  // the newest language's
  if (!window.tilannekuvaWordsWatch) {
    window.tilannekuvaWordsWatch = new MutationObserver((changes) => {
      for (const change of changes) {
        if (change.type === 'characterData') window.tilannekuvaWords(change.target);
        else if (change.type === 'attributes') window.tilannekuvaWords(change.target);
        else change.addedNodes.forEach((node) => window.tilannekuvaWords(node));
      }
    });
    window.tilannekuvaWordsWatch.observe(document.body, {
      childList: true, subtree: true, characterData: true,
      attributes: true, attributeFilter: ['aria-label', 'title', 'placeholder'],
    });
  }
  fix(document.body);
})();
</script>"""


def words(lang: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """(English word: ours) for fixed words, and (regular expression, replacement) for words with a part."""
    fixed: dict[str, str] = {}
    patterns: list[tuple[str, str]] = []
    for key, text in catalogue(lang).items():
        if not key.startswith(PREFIX) or key.removeprefix(PREFIX) == text:
            continue
        english = key.removeprefix(PREFIX)
        names = PLACEHOLDER.findall(english)
        if not names:
            fixed[english] = text
            continue
        pattern = "^" + PLACEHOLDER.sub("(.+)", re.escape(english).replace(r"\{", "{").replace(r"\}", "}")) + "$"
        patterns.append((pattern, _numbered(text, names)))
    return fixed, patterns


def _numbered(text: str, names: list[str]) -> str:
    """`text` with each {name} as the JavaScript replacement of its group ($1, $2...)."""
    for number, name in enumerate(names, start=1):
        text = text.replace("{" + name + "}", f"${number}")
    return text


@cache
def script(lang: str) -> str:
    """The page script for `lang` (a constant per language, made once: no reader's input goes into it)."""
    fixed, patterns = words(lang)
    return SCRIPT % json.dumps([lang, fixed, patterns], ensure_ascii=False).replace("</", "<\\/")


def streamlit_words(lang: str) -> None:
    """Send the script, in the sidebar, where its empty block leaves no gap."""
    st.sidebar.html(STYLE + script(lang), unsafe_allow_javascript=True)
