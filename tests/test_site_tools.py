"""tools/mathjax.py (the site's own MathJax) and tools/sphinx_site.py (console-error fixes)."""

import io
import tarfile
from types import SimpleNamespace

import pytest

from tools import lowest_requirements, mathjax, sphinx_site


def test_a_tarball_that_is_not_the_pinned_one_is_refused(tmp_path):
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w:gz") as tar:
        info = tarfile.TarInfo("package/es5/tex-mml-chtml.js")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"//"))
    with pytest.raises(SystemExit, match="integrity"):
        mathjax.unpack(data.getvalue(), tmp_path / "mathjax")
    assert not (tmp_path / "mathjax").exists()
    assert not mathjax.is_current(tmp_path / "mathjax")


def test_the_fetched_copy_is_current():
    # `make test` runs `make mathjax` first; the site tests need this copy
    assert mathjax.is_current(), "run `make mathjax`"
    assert (mathjax.DEST / "output" / "chtml" / "fonts" / "woff-v2").is_dir()


def test_each_script_is_kept_once_inline_scripts_included():
    from sphinx.builders.html._assets import _JavaScript

    scripts = [_JavaScript(None, body="const A = 1"), _JavaScript("a.js"),
               _JavaScript("", body="const A = 1"), _JavaScript("a.js"), _JavaScript("b.js")]
    context = {"script_files": scripts}
    sphinx_site._one_copy_of_each_script(None, "page", "page.html", context, None)
    assert [s.filename for s in context["script_files"]] == [None, "a.js", "b.js"]
    config = SimpleNamespace(html_context={})
    sphinx_site._config_inited(None, config)
    assert config.html_context["default_mode"] == "auto"


def test_lowest_requirements_pin_each_lower_bound():
    text = "a>=1.0.4.post1,<2\nb>=2.16,<3  # note\n\nc>=4,<5\n"
    assert lowest_requirements.lowest(text) == ["a==1.0.4.post1", "b==2.16.*", "c==4.0.*"]
    with pytest.raises(ValueError, match="no lower bound"):
        lowest_requirements.lowest("d<3\n")
    pins = lowest_requirements.lowest((lowest_requirements.ROOT / "requirements.txt").read_text())
    assert "tensorflow==2.16.*" in pins and "keras==3.3.*" in pins
