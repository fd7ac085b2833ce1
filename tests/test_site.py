"""The book as readers get it: built with zero warnings, then opened page by page in Chromium.

``make test`` builds the book without executing the notebooks (fast; nbval runs them elsewhere)
and tests that site; ``make test-site`` runs the same browser tests against the executed book in
``_build/html`` (set ``CNNRNN_SITE`` to any built site to test that instead of building one).

The site is served on 127.0.0.1 and opened with Playwright in Debian's Chromium
(``/usr/bin/chromium``, ``CNNRNN_CHROMIUM`` to use another): Playwright's own browser download is
not available on our machines. Every request that would leave localhost is recorded and aborted,
so "self-contained" is checked, not assumed. The pages are the table of contents' pages, read from
``_toc.yml``, so a new chapter is covered without a new test. A full-page screenshot of each page
is kept in ``_build/screenshots/<unexecuted|executed>/``.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CNNRNN_CHROMIUM") or next(
    (path for path in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("google-chrome"))
     if path and Path(path).is_file()), "/usr/bin/chromium")
SITE = os.environ.get("CNNRNN_SITE")  # a built html folder to test instead of building one
SCREENSHOTS = ROOT / "_build" / "screenshots" / ("executed" if SITE else "unexecuted")


def toc_pages(toc: dict | None = None) -> list[str]:
    """Every document of ``_toc.yml`` in reading order (root first), without suffix."""
    toc = toc or yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    walk(toc.get("parts"))
    walk(toc.get("chapters"))
    return pages


def unexecuted_config(directory: Path) -> Path:
    """The book's configuration with execution off. Glued numbers only exist once the notebooks
    have run, so here (and only here) a glue reference without its value is not a warning;
    `make book` builds the executed book with -W, where a missing glue key fails the build."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["execute"]["execute_notebooks"] == "cache", "execute mode changed; update this test"
    config["execute"]["execute_notebooks"] = "off"
    # Jupyter Book resolves local extensions' folders against the configuration file's folder
    local = config.get("sphinx", {}).get("local_extensions") or {}
    config["sphinx"]["local_extensions"] = {name: str(ROOT / folder) for name, folder in local.items()}
    sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config["suppress_warnings"] = [*sphinx_config.get("suppress_warnings", []),
                                          "mystnb.glue_ref", "mystnb.glue"]
    path = directory / "_config.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True))
    return path


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    """Build the book without execution into a temporary folder: (html folder, build log)."""
    if SITE:
        return Path(SITE).resolve(), None
    from tools import mathjax

    assert mathjax.is_current(), "MathJax is not in _vendor/: run `make mathjax` (python -m tools.mathjax)"
    out = tmp_path_factory.mktemp("book")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [str(jupyter_book if jupyter_book.exists() else shutil.which("jupyter-book")),
               "build", str(ROOT), "-W", "-n", "--keep-going", "--config", str(unexecuted_config(out)),
               "--path-output", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return out / "_build" / "html", result


def test_book_builds_without_warnings(build):
    html, result = build
    if result is None:
        pytest.skip("testing a site built elsewhere (CNNRNN_SITE)")
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-6000:]
    assert "build succeeded" in log, log[-3000:]
    assert "WARNING:" not in result.stdout, [l for l in log.splitlines() if "WARNING" in l]
    assert (html / "book" / "intro.html").is_file()
    assert (html / "_static" / "mathjax" / "tex-mml-chtml.js").is_file()


@pytest.fixture(scope="module")
def demo_model(tmp_path_factory):
    """A fast-mode MNIST CNN (the chapter's model, 6,000 digits, 2 epochs: about 30 s on 2 cores),
    its weights exported for the page, and 300 test digits: (model, weights file, digits)."""
    from cnnrnn import datasets, webdemo
    from cnnrnn.models import cnn

    (x_train, y_train), (x_test, y_test) = datasets.mnist_scaled(6000, 300)
    run = cnn.train_mnist_cnn((x_train, y_train), (x_test, y_test), epochs=2, seed=0)
    assert run.test_accuracy > 0.9, run.test_accuracy  # a model worth comparing with
    path = webdemo.export_weights(run.model, tmp_path_factory.mktemp("demo") / "mnist_cnn_weights.js",
                                  note="tests/test_site.py, fast mode")
    return run.model, path, x_test


@pytest.fixture(scope="module")
def site(build, demo_model):
    """The built site served on 127.0.0.1: its base URL (ending in '/'). The unexecuted book has
    no weights for the MNIST page's demo (notebook 06 writes them in full mode): it gets the test's
    model's."""
    html, result = build
    if result is not None and result.returncode != 0:
        pytest.fail("the book did not build (see test_book_builds_without_warnings)")
    assert (html / "index.html").is_file(), f"no built site in {html}"
    if result is not None:
        shutil.copyfile(demo_model[1], html / "_static" / "mnist_cnn_weights.js")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(html)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium), "
                    "or set CNNRNN_CHROMIUM; .ci/run installs it")
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


def is_local(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname in ("127.0.0.1", "localhost")


def new_context(browser, external: list[str]):
    """A browser context that records and aborts every request leaving localhost."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def guard(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return context


#: Collected in the page after load: images, math, buttons, navigation, links.
PAGE_FACTS = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  const article = document.querySelector('article') || document.body;
  const copy = article.cloneNode(true);
  copy.querySelectorAll('pre, code, script, style, .highlight, mjx-container').forEach(e => e.remove());
  const text = copy.textContent;
  const maths = [...document.querySelectorAll('article .math')];
  return {
    url: location.href,
    title: document.title,
    images: [...document.querySelectorAll('img')].map(i => ({
      src: i.currentSrc || i.src, alt: i.getAttribute('alt'), complete: i.complete,
      width: i.naturalWidth, height: i.naturalHeight})),
    mathCount: maths.length,
    mathUnrendered: maths.filter(m => !m.querySelector('mjx-container')).map(m => m.textContent.slice(0, 80)),
    rawTex: ['$$', '\\\\[', '\\\\(', '\\\\begin{'].filter(t => text.includes(t)),
    mathjaxLoaded: !!(window.MathJax && MathJax.version),
    mathjaxVersion: window.MathJax && MathJax.version,
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    prev: (document.querySelector('a.left-prev') || {}).href || null,
    next: (document.querySelector('a.right-next') || {}).href || null,
  };
}"""


@pytest.fixture(scope="module")
def visits(site, browser):
    """Walk the whole table of contents with the "next" button, from the home page, collecting
    what each page did: {toc page: facts}. Each page is loaded once for all the checks below."""
    pages = toc_pages()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    external: list[str] = []
    context = new_context(browser, external)
    page = context.new_page()
    log: dict[str, list] = {"console": [], "failed": [], "external": external}
    page.on("console", lambda m: m.type == "error" and log["console"].append(m.text))
    page.on("pageerror", lambda e: log["console"].append(str(e)))
    page.on("requestfailed", lambda r: is_local(r.url) and log["failed"].append(
        f"{r.url}: {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and log["failed"].append(f"{r.url}: {r.status}"))
    facts = {}
    page.goto(site)  # index.html redirects to the root page
    for number, name in enumerate(pages):
        if number:
            page.click("a.right-next")
        page.wait_for_load_state("load")
        page.wait_for_load_state("networkidle")
        info = page.evaluate(PAGE_FACTS)
        page.wait_for_load_state("networkidle")  # fonts MathJax asked for while typesetting
        for key in ("console", "failed", "external"):
            info[key] = list(log[key])
            log[key].clear()
        info["expected_url"] = site + name + ".html"
        page.screenshot(path=str(SCREENSHOTS / (name.replace("/", "__") + ".png")), full_page=True)
        facts[name] = info
        if info["url"].split("#")[0] != info["expected_url"]:
            break  # navigation went astray: test_next_and_previous says where
    # "previous" works too: one step back from the last page reached
    if facts and page.query_selector("a.left-prev"):
        page.click("a.left-prev")
        page.wait_for_load_state("load")
        facts["<previous>"] = {"url": page.url}
    context.close()
    return facts


def test_next_and_previous_walk_the_whole_toc_in_order(visits, site):
    pages = toc_pages()
    reached = [name for name in pages if name in visits]
    assert [visits[n]["url"].split("#")[0] for n in reached] == [site + n + ".html" for n in reached]
    assert reached == pages, f"the 'next' button stopped after {reached[-1]}"
    for number, name in enumerate(pages):
        info = visits[name]
        assert info["prev"] == (site + pages[number - 1] + ".html" if number else None), name
        assert info["next"] == (site + pages[number + 1] + ".html" if number + 1 < len(pages)
                                else None), name
    assert visits["<previous>"]["url"] == site + pages[-2] + ".html"


def test_pages_load_without_console_errors_or_failed_requests(visits):
    problems = {name: {k: info[k] for k in ("console", "failed") if info.get(k)}
                for name, info in visits.items() if name != "<previous>"}
    problems = {name: p for name, p in problems.items() if p}
    assert not problems, json.dumps(problems, indent=1)[:6000]


def test_no_request_leaves_localhost(visits):
    external = {name: info["external"] for name, info in visits.items() if info.get("external")}
    assert not external, json.dumps(external, indent=1)[:6000]


def test_images_load_and_have_alt_text(visits):
    problems = []
    for name, info in visits.items():
        for image in info.get("images", []):
            alt = (image["alt"] or "").strip()
            if not (image["complete"] and image["width"] > 0 and image["height"] > 0):
                problems.append(f"{name}: {image['src']} did not load")
            # Sphinx writes the file's path as alt text when none is given: not alt text.
            if not alt or re.search(r"\.(png|svg|jpe?g|gif)$", alt, re.I):
                problems.append(f"{name}: {image['src']} has no alt text ({alt!r})")
    assert not problems, "\n".join(problems[:60]) + f"\n({len(problems)} in all)"


def test_math_is_rendered_by_the_local_mathjax(visits):
    with_math = [name for name, info in visits.items() if info.get("mathCount")]
    assert with_math, "no page has math: the check would not notice MathJax missing"
    problems = {}
    for name, info in visits.items():
        if name == "<previous>":
            continue
        if info["mathCount"] and not (info["mathjaxLoaded"] and info["mathjaxVersion"].startswith("3.")):
            problems[name] = f"MathJax 3 did not load ({info['mathjaxVersion']})"
        elif info["mathUnrendered"] or info["rawTex"]:
            problems[name] = {"unrendered": info["mathUnrendered"][:5], "raw TeX": info["rawTex"]}
    assert not problems, json.dumps(problems, indent=1)[:6000]


def test_launch_and_download_buttons_point_at_this_page(visits, site):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = config["repository"]["url"].removeprefix("https://github.com/").rstrip("/")
    branch = config["repository"]["branch"]
    notebooks = [name for name in toc_pages() if (ROOT / f"{name}.ipynb").is_file()]
    assert notebooks, "no notebook page in the TOC"
    problems = []
    for name in toc_pages():
        links = visits[name]["links"]
        suffix = ".ipynb" if name in notebooks else ".md"
        wanted = [f"{site}_sources/{name}{suffix}"]
        if name in notebooks:
            interface = config["launch_buttons"]["notebook_interface"]
            assert interface == "jupyterlab", "update the Binder URL below"
            wanted += [f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/{name}.ipynb",
                       f"https://colab.research.google.com/github/{repo}/blob/{branch}/{name}.ipynb"]
        problems += [f"{name}: no link to {url}" for url in wanted if url not in links]
        # the download is the page's own source, served by the site
        with urllib.request.urlopen(wanted[0], timeout=30) as response:
            body = response.read()
        if name in notebooks:
            assert json.loads(body)["nbformat"] == 4, name
        else:
            assert body == (ROOT / f"{name}.md").read_bytes(), name
    assert not problems, "\n".join(problems)


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for key, value in attrs if key in ("id", "name") and value)


def test_links_inside_the_site_resolve_glossary_terms_included(visits, site):
    """Every link from a TOC page to the site itself reaches a page, and its #fragment an id there
    (glossary terms are such fragments)."""
    ids: dict[str, set] = {}
    problems, glossary_links = [], 0
    for name, info in visits.items():
        for link in info.get("links", []):
            if not link.startswith(site) or "/_sources/" in link:
                continue
            target, _, fragment = link.partition("#")
            if target not in ids:
                try:
                    with urllib.request.urlopen(target, timeout=30) as response:
                        parser = _Ids()
                        parser.feed(response.read().decode("utf-8", "replace"))
                        ids[target] = parser.ids
                except OSError as error:
                    ids[target] = None
                    problems.append(f"{name}: {link}: {error}")
            glossary_links += "glossary.html#term-" in link
            if fragment and ids[target] is not None and urllib.parse.unquote(fragment) not in ids[target]:
                problems.append(f"{name}: {link}: no such anchor")
    assert glossary_links, "no page links to a glossary term"
    assert not problems, "\n".join(sorted(set(problems))[:60])


def chapter_words() -> dict[str, str]:
    """For each chapter page (book/*.md in the TOC, the back matter's lists excepted): a word from
    its own text (its title's longest word)."""
    words = {}
    for name in toc_pages():
        path = ROOT / f"{name}.md"
        if not name.startswith("book/") or not path.is_file():
            continue
        title = next((line.lstrip("# ").strip() for line in path.read_text().splitlines()
                      if line.startswith("# ")), "")
        candidates = sorted(re.findall(r"[A-Za-z]{6,}", title), key=len, reverse=True)
        if candidates:
            words[name] = candidates[0].lower()
    return words


def test_search_finds_each_chapter_by_a_word_in_it(site, browser):
    words = chapter_words()
    assert len(words) >= 3, words
    external: list[str] = []
    context = new_context(browser, external)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    missing = {}
    for name, word in words.items():
        page.goto(f"{site}search.html?q={urllib.parse.quote(word)}")
        page.wait_for_function(
            "() => /Search finished|Search Results/.test(document.body.innerText)"
            " && document.querySelectorAll('#search-results li a').length > 0", timeout=30_000)
        found = page.eval_on_selector_all("#search-results li a", "as => as.map(a => a.href)")
        if not any(href.split("#")[0].split("?")[0] == f"{site}{name}.html" for href in found):
            missing[name] = (word, found[:8])
    context.close()
    assert not errors and not external, (errors, external)
    assert not missing, missing


DEMO_PAGE = "book/mnist_cnn.html"


def open_demo(browser, site, weights: Path | None = None):
    """The MNIST page with its demo ready; ``weights`` replaces the site's weights file."""
    external: list[str] = []
    context = new_context(browser, external)
    if weights is not None:
        body = weights.read_bytes()
        context.route("**/_static/mnist_cnn_weights.js",
                      lambda route: route.fulfill(body=body, content_type="text/javascript"))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(site + DEMO_PAGE)
    page.wait_for_function("() => window.cnnrnnDigitDemo && window.cnnrnnDigitDemo.canvas")
    return context, page, errors, external


def test_demo_computes_what_keras_computes(site, browser, demo_model):
    model, weights, digits = demo_model
    context, page, errors, external = open_demo(browser, site, weights)
    in_page = np.array(page.evaluate("images => window.cnnrnnDigitDemo.predictMany(images)",
                                     digits.reshape(len(digits), 784).tolist()))
    context.close()
    keras_probabilities = model.predict(digits, batch_size=300, verbose=0)
    gap = float(np.abs(in_page - keras_probabilities).max())
    print(f"page vs Keras on {len(digits)} test digits: largest difference {gap:.2e}")
    assert in_page.shape == (len(digits), 10)
    assert gap < 1e-4, gap
    assert (in_page.argmax(axis=1) == keras_probabilities.argmax(axis=1)).all()
    assert not errors and not external, (errors, external)


#: A "7" as mouse strokes, in fractions of the drawing box: the top bar, then the long diagonal.
SEVEN = [[(0.28, 0.22), (0.72, 0.22)], [(0.72, 0.22), (0.42, 0.85)]]


def test_a_seven_drawn_with_the_mouse_reads_as_7(site, browser):
    """With the site's own weights: the test's fast model in `make test`, the book's model in
    `make test-site`."""
    context, page, errors, external = open_demo(browser, site)
    canvas = page.locator("#digit-demo canvas")
    canvas.scroll_into_view_if_needed()  # mouse coordinates are the viewport's
    box = canvas.bounding_box()
    for stroke in SEVEN:
        (x0, y0), (x1, y1) = stroke
        page.mouse.move(box["x"] + x0 * box["width"], box["y"] + y0 * box["height"])
        page.mouse.down()
        for step in range(1, 21):
            f = step / 20
            page.mouse.move(box["x"] + (x0 + f * (x1 - x0)) * box["width"],
                            box["y"] + (y0 + f * (y1 - y0)) * box["height"])
        page.mouse.up()
    page.wait_for_function("() => document.getElementById('digit-demo').dataset.prediction !== ''")
    pixels = np.array(page.evaluate("() => window.cnnrnnDigitDemo.pixels()")).reshape(28, 28)
    verdict = page.inner_text(".digit-demo-verdict")
    prediction = page.get_attribute("#digit-demo", "data-prediction")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "digit_demo_seven.png"))
    page.click(".digit-demo-clear")
    cleared = page.get_attribute("#digit-demo", "data-prediction")
    context.close()
    # prepared as MNIST was: ink box of 20 pixels on its longer side, centre of mass in the middle
    rows, cols = np.nonzero(pixels > 0)
    assert max(np.ptp(rows), np.ptp(cols)) + 1 == 20
    position = np.arange(28)
    centre = ((pixels.sum(1) * position).sum() / pixels.sum(), (pixels.sum(0) * position).sum() / pixels.sum())
    assert abs(centre[0] - 13.5) <= 0.5 and abs(centre[1] - 13.5) <= 0.5, centre
    assert prediction == "7", verdict
    assert cleared == ""
    assert not errors and not external, (errors, external)
