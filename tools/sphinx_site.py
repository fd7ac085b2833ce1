"""Two fixes to the HTML that Jupyter Book 1.0.4 writes, so pages load with no console error.

- sphinx-thebe registers its inline configuration script (``const THEBE_JS_URL = ...``) once per
  read of the sources, and Jupyter Book's build reads twice, so every page declared the constant
  twice and Chromium logged "Identifier 'THEBE_JS_URL' has already been declared". Each page keeps
  one copy of every script here.
- pydata-sphinx-theme logs "Got invalid theme mode" on a reader's first visit when no
  ``default_mode`` is set in ``html_context``; we set the theme's own default, ``auto``.

``_config.yml`` loads this file as a local Sphinx extension (``sphinx.local_extensions``).
tests/test_site.py checks the pages in Chromium.
"""

from __future__ import annotations


def _config_inited(app, config):
    config.html_context.setdefault("default_mode", "auto")


def _one_copy_of_each_script(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for script in scripts:
        key = (str(getattr(script, "filename", script) or ""),  # None and "" both mean inline
               tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    scripts[:] = kept


def setup(app):
    # early: Sphinx stops calling html-page-context handlers at the first that returns a template
    app.connect("config-inited", _config_inited)
    app.connect("html-page-context", _one_copy_of_each_script, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
