"""tomledit on hypothesis-generated documents: comments, blank lines, dotted keys, inline tables,
out-of-order tables, commented-out keys, CRLF, no final newline. Same properties as the corpus."""

from __future__ import annotations

import tomllib

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from test_tomledit_corpus import assert_edits_hold, empty_header, same

from stconfig.tomledit import set_in_text, unset_in_text
from stconfig.tomlrender import value as render_value

SECTIONS = ["runner", "server", "theme", "runner.sub", "theme.light"]
NAMES = ["a", "b", "enforceSerializableSessionState", "magicEnabled"]
KEY = ("runner", "enforceSerializableSessionState")

values = st.one_of(
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.5, 1.0, -2.25]),
    st.text(alphabet="ab' \"\\#=é", max_size=4),
    st.lists(st.integers(0, 3), max_size=3),
)
eqs = st.sampled_from([" = ", "=", "  =\t"])
trailers = st.sampled_from(["", " # note", "  #"])
indents = st.sampled_from(["", "  "])


@st.composite
def key_lines(draw: st.DrawFn, *, prefix: str = "") -> str:
    kind = draw(st.sampled_from(["key", "key", "comment", "blank", "commented"]))
    name = draw(st.sampled_from(NAMES))
    if kind == "comment":
        return "#" + draw(st.text(alphabet=" x=", max_size=4))
    if kind == "blank":
        return draw(st.sampled_from(["", "  "]))
    if kind == "commented":
        return f"# {name} = false"
    value = render_value(draw(values), literal=draw(st.booleans()))
    return draw(indents) + prefix + name + draw(eqs) + value + draw(trailers)


def _valid(text: str) -> str:
    """The generated text, when tomllib reads it (generated pieces can still collide)."""
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assume(False)
    return text


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 2))):  # root: dotted keys and inline tables
        section = draw(st.sampled_from(SECTIONS))
        if draw(st.booleans()):
            lines.append(draw(key_lines(prefix=section + ".")))
        else:
            pairs = draw(st.lists(st.sampled_from(NAMES), max_size=2, unique=True))
            body = ", ".join(f"{n} = {render_value(draw(values))}" for n in pairs)
            lines.append(f"{section} = {{{' ' + body + ' ' if body else ''}}}")
    for section in draw(st.lists(st.sampled_from(SECTIONS), max_size=4, unique=True)):
        lines.append(draw(st.sampled_from(["", "\t"])) + f"[{section}]" + draw(trailers))
        lines.extend(draw(st.lists(key_lines(), max_size=4)))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(lines) + (newline if lines and draw(st.booleans()) else "")
    return _valid(text)


@settings(max_examples=300, deadline=None)
@given(documents())
def test_generated_documents_keep_their_bytes(text: str) -> None:
    assert_edits_hold(text)


@settings(max_examples=300, deadline=None)
@given(documents(), values)
def test_set_then_unset_the_option(text: str, value: object) -> None:
    data = tomllib.loads(text)
    runner = data.get("runner", {})
    had = isinstance(runner, dict) and KEY[1] in runner
    result = set_in_text(text, KEY, value)
    after = tomllib.loads(result.text)
    assert same(after["runner"][KEY[1]], value)
    lines = result.text.splitlines()
    assert KEY[1] in lines[result.line - 1]
    commented = _commented_out_in_runner(text)
    if not had and commented is not None:
        # Under the first `# enforceSerializableSessionState = false` of [runner], not at its end.
        assert result.line == commented + 1
    # An empty [runner] is not round-trip material: its header goes with the key.
    if not had and not empty_header(text, "runner"):
        undone = unset_in_text(result.text, KEY)
        assert undone is not None
        assert undone.text == text
    again = set_in_text(result.text, KEY, value)
    assert not again.changed


def _commented_out_line(text: str) -> int:
    return next(
        number
        for number, line in enumerate(text.splitlines(), 1)
        if line.startswith("#") and line.lstrip("# ").startswith(KEY[1])
    )


def _commented_out_in_runner(text: str) -> int | None:
    """The 1-based line of the first commented-out KEY line in a [runner] table's body."""
    in_runner = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_runner = stripped.split("#")[0].strip() == "[runner]"
        elif in_runner and stripped == f"# {KEY[1]} = false":
            return number
    return None


@st.composite
def runner_with_the_key_commented_out(draw: st.DrawFn) -> str:
    """Documents as `streamlit config show` dumps make them: a [runner] table whose body holds a
    commented-out `# enforceSerializableSessionState = ...` line among other lines, the key unset,
    and maybe more tables after it."""
    body = draw(st.lists(key_lines().filter(lambda line: KEY[1] not in line), max_size=5))
    commented = draw(st.sampled_from(["# ", "#", "## "])) + KEY[1]
    commented += draw(st.sampled_from([" = false", "=true", " = false  # default"]))
    body.insert(draw(st.integers(0, len(body))), commented)
    lines = ["[runner]", *body]
    if draw(st.booleans()):
        lines += ["", "[server]", "port = 8501"]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(lines) + (newline if draw(st.booleans()) else "")
    return _valid(text)


@settings(max_examples=100, deadline=None)
@given(runner_with_the_key_commented_out())
def test_a_new_key_goes_right_under_its_commented_out_line(text: str) -> None:
    """Every example runs the branch (no luck needed): the new line is the one right under the
    first commented-out line of the key, and the edit holds as on the corpus."""
    commented = _commented_out_line(text)
    result = set_in_text(text, KEY, True)
    assert result.line == commented + 1
    assert result.text.splitlines()[commented].lstrip().startswith(KEY[1])
    assert_edits_hold(text)


scalars = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.text(),
)


@settings(max_examples=500, deadline=None)
@given(st.one_of(scalars, st.lists(scalars, max_size=4)), st.booleans())
def test_every_value_renders_as_toml_that_reads_back(value: object, literal: bool) -> None:
    assert same(tomllib.loads("k = " + render_value(value, literal=literal))["k"], value)


@settings(max_examples=200, deadline=None)
@given(documents(), st.text(min_size=1, max_size=6))
def test_any_string_value_round_trips_through_a_document(text: str, value: str) -> None:
    result = set_in_text(text, ("theme", "font"), value)
    assert tomllib.loads(result.text)["theme"]["font"] == value
