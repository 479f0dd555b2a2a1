"""The optimizer playground (docs/playground.md, docs/javascripts/playground.js), in Chromium, against lessonlib.

The page's engine, ``window.downhillPlayground.run(spec)``, must draw the paths lessonlib's optimizers take on
lessonlib's landscapes: on a few dozen settings drawn at random (seeded) over every optimizer and every option, the
test computes each path again with ``lessonlib.optim`` in float64 and requires agreement to 1e-9 of the path's size.
A setting lessonlib refuses, the engine must refuse with the same exception and the same words, and the page must
say so in an alert. The chapters' links must open settings that draw, and that reproduce the chapters' own runs.

Playwright's sync API allows one instance per thread, and test_browser.py's ``browser`` fixture holds the main
thread's for the whole session; this file's Chromium lives on a worker thread of its own (``Chromium`` below).
"""

import json
import math
import random
import re
import statistics
from concurrent.futures import ThreadPoolExecutor

import pytest
import torch

from lessonlib import functions, optim
from tests.site.test_browser import ARGS, CHROMIUM, _chromium_or_skip, _outside

pytestmark = pytest.mark.browser

PAGE = "playground/"
OPTIMIZERS = ("SGD", "Adagrad", "RMSprop", "Adam", "AdamW")
FUNCTIONS = ("quadratic", "rosenbrock", "beale", "himmelblau", "saddle")
#: Each optimizer's keyword arguments besides lr, as torch.optim names them.
OPTIONS = {
    "SGD": ("momentum", "dampening", "nesterov", "weight_decay", "maximize"),
    "Adagrad": ("lr_decay", "weight_decay", "initial_accumulator_value", "eps", "maximize"),
    "RMSprop": ("alpha", "eps", "weight_decay", "momentum", "centered", "maximize"),
    "Adam": ("betas", "eps", "weight_decay", "amsgrad", "maximize", "decoupled_weight_decay"),
    "AdamW": ("betas", "eps", "weight_decay", "amsgrad", "maximize"),
}
#: Where a start is drawn, and log10 of the learning rates drawn (plain SGD's, the others'), per landscape: rates
#: that go somewhere without flying off.
BOXES = {
    "quadratic": ((-2.5, 2.5), (-1.5, 1.5), (-3, -1.3), (-2.5, -0.5)),
    "rosenbrock": ((-2, 2), (-1, 3), (-4.5, -3.2), (-3, -1)),
    "beale": ((-1, 4.5), (-1.5, 2.5), (-4, -2.5), (-2.5, -0.7)),
    "himmelblau": ((-5, 5), (-5, 5), (-4, -2.3), (-2.5, -0.5)),
    "saddle": ((-1.5, 1.5), (-1.5, 1.5), (-3, -1), (-2.5, -0.5)),
}
SPECS_PER_OPTIMIZER = 6  # as many as the most options an optimizer has, and more than the landscapes
TOLERANCE = 1e-9  # of the path's size
#: A path that moves by more than this share of its size when every gradient moves by one unit in its last place
#: is decided by rounding, not by the update rule (Adam circling a minimum with a large step, say): two float64
#: implementations cannot agree on it to 1e-9, nor do PyTorch's own kernels for two processors.
SENSITIVE = 1e-10


class Chromium:
    """Chromium on a worker thread of its own; ``on_page`` runs a check on a fresh page there."""

    def __init__(self, base: str):
        self.base = base
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="playground-chromium")
        self._pool.submit(self._start).result()

    def _start(self):
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)

    def on_page(self, url: str | None, check, **context):
        """Open ``url`` (relative to the site; None: none) and wait for the playground to draw, run ``check(page)``
        and close the page; return what ``check`` returned, with the page's console errors and the requests that
        left 127.0.0.1."""
        return self._pool.submit(self._on_page, url, check, context).result()

    def _on_page(self, url, check, context):
        page = self._browser.new_page(**context)
        errors, outside = [], []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("request", lambda request: _outside(request.url) and outside.append(request.url))
        try:
            if url is not None:
                page.goto(self.base + url, wait_until="load")
                page.wait_for_function(DRAWN, timeout=30_000)
            return check(page), errors, outside
        finally:
            page.close()

    def close(self):
        self._pool.submit(lambda: (self._browser.close(), self._playwright.stop())).result()
        self._pool.shutdown()


DRAWN = "() => document.getElementById('downhill-playground')?.dataset.drawn !== undefined"


@pytest.fixture(scope="module")
def chromium(built_site):
    _chromium_or_skip()
    built_site.check()
    browser = Chromium(built_site.serve(search=False))
    yield browser
    browser.close()


def _current(page) -> dict:
    return page.evaluate("window.downhillPlayground.current()")


# --------------------------------------------------------------------------------------------------------------- #
# The paths


def _landscape(spec: dict) -> functions.TestFunction:
    return functions.quadratic(spec["kappa"]) if spec["fn"] == "quadratic" else getattr(functions, spec["fn"])


def lessonlib_path(spec: dict, nudge: float = 1.0) -> torch.Tensor:
    """The path of ``spec`` by lessonlib in float64: ``steps + 1`` points; ``nudge`` scales every gradient."""
    fn = _landscape(spec)
    options = {k: tuple(v) if k == "betas" else v for k, v in spec["options"].items()}
    w = torch.tensor(spec["start"], dtype=torch.float64, requires_grad=True)
    opt = getattr(optim, spec["optimizer"])([w], **options)
    path = [w.detach().clone()]
    for _ in range(spec["steps"]):
        w.grad = fn.grad(w.detach()) * nudge
        opt.step()
        path.append(w.detach().clone())
    return torch.stack(path)


def _draw_spec(rng: random.Random, optimizer: str, fn: str, focus: str) -> dict:
    """A setting of ``optimizer`` on ``fn`` that sets ``focus`` away from its default, and each other option
    with probability 0.3."""
    (x0, x1), (y0, y1), sgd_lr, other_lr = BOXES[fn]
    lo, hi = sgd_lr if optimizer == "SGD" else other_lr
    options = {"lr": 10 ** rng.uniform(lo, hi)}
    for name in OPTIONS[optimizer]:
        if name != focus and (rng.random() > 0.3 or name == "maximize" and fn not in ("quadratic", "saddle")):
            continue
        if name == "momentum":
            options["momentum"] = rng.uniform(0.2, 0.95)
            if optimizer == "RMSprop":
                options["lr"] /= 5  # momentum sums the steps
        elif name == "dampening" and not options.get("nesterov"):
            options["dampening"] = rng.uniform(0.05, 0.5)
        elif name == "nesterov":
            options |= {"nesterov": True, "momentum": options.get("momentum", rng.uniform(0.2, 0.95))}
            options.pop("dampening", None)
        elif name == "weight_decay":
            options["weight_decay"] = rng.uniform(0.0, 0.2)
        elif name == "lr_decay":
            options["lr_decay"] = rng.uniform(0.0, 0.1)
        elif name == "initial_accumulator_value":
            options["initial_accumulator_value"] = rng.uniform(0.0, 1.0)
        elif name == "eps":
            options["eps"] = 10 ** rng.uniform(-10, -2)
        elif name == "alpha":
            options["alpha"] = rng.uniform(0.8, 0.999)
        elif name == "betas":
            options["betas"] = [rng.uniform(0.0, 0.95), rng.uniform(0.9, 0.9999)]
        elif name in ("maximize", "centered", "amsgrad", "decoupled_weight_decay"):
            options[name] = True
    spec = {
        "optimizer": optimizer,
        "options": options,
        "fn": fn,
        "start": [rng.uniform(x0, x1), rng.uniform(y0, y1)],
        "steps": rng.randint(1, 200),
    }
    if fn == "quadratic":
        spec["kappa"] = 10 ** rng.uniform(0, 1.7)
    return spec


def random_specs() -> tuple[list[tuple[dict, torch.Tensor]], list[dict]]:
    """Six settings per optimizer, every landscape and every option among them, each with lessonlib's path; and
    the settings drawn and redrawn because rounding decides their paths (``SENSITIVE``) or they overflow."""
    rng = random.Random(16)
    kept, redrawn = [], []
    for optimizer in OPTIMIZERS:
        for k in range(SPECS_PER_OPTIMIZER):
            # every landscape, and every option; OPTIONS lists maximize where the landscape is the saddle or the
            # bowl (ascent on the others overflows within a few steps)
            focus = OPTIONS[optimizer][k % len(OPTIONS[optimizer])]
            fn = FUNCTIONS[k % len(FUNCTIONS)]
            while True:
                spec = _draw_spec(rng, optimizer, fn, focus)
                path = lessonlib_path(spec)
                scale = path.abs().max().item()
                if math.isfinite(scale) and (lessonlib_path(spec, 1 + 2**-52) - path).abs().max() <= SENSITIVE * scale:
                    kept.append((spec, path))
                    break
                redrawn.append(spec)
    return kept, redrawn


RUN_EACH = """specs => specs.map(spec => {
  try { return window.downhillPlayground.run(spec); }
  catch (error) { return {name: error.name, message: error.message}; }
})"""


def test_run_draws_the_paths_of_lessonlibs_optimizers(chromium):
    drawn, redrawn = random_specs()
    specs = [spec for spec, _ in drawn]
    paths, errors, outside = chromium.on_page(PAGE, lambda page: page.evaluate(RUN_EACH, specs))
    assert not errors and not outside

    covered = {(s["optimizer"], name) for s in specs for name in s["options"]}
    assert covered >= {(o, name) for o in OPTIMIZERS for name in ("lr", *OPTIONS[o])}
    assert {(s["optimizer"], s["fn"]) for s in specs} == {(o, f) for o in OPTIMIZERS for f in FUNCTIONS}
    assert len(redrawn) <= len(specs) // 5, f"{len(redrawn)} settings redrawn: the draws are too wild to test"

    worst = 0.0
    for (spec, theirs), js in zip(drawn, paths):
        assert isinstance(js, list), f"{spec}: {js}"
        ours = torch.tensor(js, dtype=torch.float64)
        scale = theirs.abs().max().item()
        torch.testing.assert_close(ours, theirs, rtol=0, atol=TOLERANCE * scale, msg=lambda m, s=spec: f"{s}\n{m}")
        worst = max(worst, (ours - theirs).abs().max().item() / scale)
    print(
        f"\nplayground: {len(specs)} paths ({len(redrawn)} settings redrawn), largest difference {worst:.1e} of scale"
    )


# --------------------------------------------------------------------------------------------------------------- #
# Settings lessonlib refuses


def _w():
    return [torch.zeros(2, dtype=torch.float64, requires_grad=True)]


def _descent(steps):
    from lessonlib.descent import gradient_descent

    fn = functions.rosenbrock
    gradient_descent(fn, fn.grad, torch.zeros(2, dtype=torch.float64), lr=0.001, steps=steps)


def _choice(name, value, choices):
    from lessonlib._checks import check_choice

    check_choice(name, value, choices)


GOOD = {"optimizer": "Adam", "options": {}, "fn": "rosenbrock", "start": [-1.2, 1.0], "steps": 10}
#: A bad spec, as a change to GOOD, and the call that makes the same mistake in lessonlib.
MISTAKES = [
    ({"options": {"lr": -1.0}}, lambda: optim.Adam(_w(), lr=-1.0)),
    ({"options": {"lr": "0.1"}}, lambda: optim.Adam(_w(), lr="0.1")),
    ({"options": {"betas": [1.0, 0.999]}}, lambda: optim.Adam(_w(), betas=(1.0, 0.999))),
    ({"optimizer": "AdamW", "options": {"betas": [0.9, -0.1]}}, lambda: optim.AdamW(_w(), betas=(0.9, -0.1))),
    ({"optimizer": "SGD", "options": {"momentum": -0.5}}, lambda: optim.SGD(_w(), momentum=-0.5)),
    ({"optimizer": "SGD", "options": {"nesterov": True}}, lambda: optim.SGD(_w(), nesterov=True)),
    ({"optimizer": "SGD", "options": {"foo": 1.0}}, lambda: optim.SGD(_w(), foo=1.0)),
    ({"optimizer": "RMSprop", "options": {"eps": -1e-8}}, lambda: optim.RMSprop(_w(), eps=-1e-8)),
    ({"optimizer": "Adagrad", "options": {"lr_decay": -0.1}}, lambda: optim.Adagrad(_w(), lr_decay=-0.1)),
    (
        {"optimizer": "AdamW", "options": {"decoupled_weight_decay": True}},
        lambda: optim.AdamW(_w(), decoupled_weight_decay=True),
    ),
    ({"steps": -1}, lambda: _descent(-1)),
    ({"steps": 2.5}, lambda: _descent(2.5)),
    ({"fn": "quadratic", "kappa": -1.0}, lambda: functions.quadratic(-1.0)),
    ({"optimizer": "Adamax"}, lambda: _choice("optimizer", "Adamax", OPTIMIZERS)),
    ({"fn": "booth"}, lambda: _choice("fn", "booth", FUNCTIONS)),
]


def test_bad_settings_raise_what_lessonlib_raises(chromium):
    specs = [GOOD | change for change, _ in MISTAKES] + [GOOD | {"steps": 0}]
    results, errors, outside = chromium.on_page(PAGE, lambda page: page.evaluate(RUN_EACH, specs))
    assert not errors and not outside
    for (change, mistake), js in zip(MISTAKES, results):
        with pytest.raises((ValueError, TypeError)) as raised:
            mistake()
        assert js == {"name": type(raised.value).__name__, "message": str(raised.value)}, change
    assert results[-1] == [GOOD["start"]]  # no step: the start alone


def test_the_page_says_what_is_wrong_with_a_setting(chromium):
    def check(page):
        alert = page.get_by_role("alert")
        first = _current(page)
        # a value typed into a field, by keyboard: Adam's β₁ = 1
        field = page.get_by_label("β₁ (betas[0]), exact value")
        field.focus()
        page.keyboard.press("Control+A")
        page.keyboard.type("1")
        page.wait_for_function("() => window.downhillPlayground.current().problems.some(p => p.includes('beta'))")
        typed = alert.inner_text(), _current(page)
        # a setting in the address
        page.evaluate("location.hash = 'fn=rosenbrock&opt=Adam:lr=-1;SGD:lr=0.001'")
        page.wait_for_function("() => window.downhillPlayground.current().problems.some(p => p.includes('rate'))")
        from_address = alert.inner_text(), _current(page)
        # a landscape the playground does not have
        page.evaluate("location.hash = 'fn=booth'")
        page.wait_for_function("() => window.downhillPlayground.current().problems.some(p => p.includes('booth'))")
        return first, typed, from_address, alert.inner_text()

    (first, (typed, after), (text, shown), booth), errors, outside = chromium.on_page(PAGE, check)
    assert not errors and not outside
    assert first["problems"] == [] and all(r["path"] for r in first["results"])
    # the bad optimizer's path gives way to lessonlib's message; the others are drawn
    assert "Adam: ValueError: Invalid beta parameter at index 0: 1.0" in typed
    assert [bool(r["path"]) for r in after["results"]] == [True, True, False]
    assert "Adam: ValueError: Invalid learning rate: -1.0" in text
    assert [bool(r["path"]) for r in shown["results"]] == [False, True]
    assert "Invalid fn value: 'booth' (must be 'quadratic', 'rosenbrock', 'beale', 'himmelblau' or 'saddle')" in booth


# --------------------------------------------------------------------------------------------------------------- #
# The chapters' links


CHAPTERS = ("part-1/03-gradient-descent", "part-1/05-momentum", "part-1/06-adaptive-methods")


def _preset_links(built_site) -> dict[str, list[str]]:
    """chapter -> the fragments of its links to the playground."""
    links = {}
    for chapter in CHAPTERS:
        html = (built_site.site / chapter / "index.html").read_text(encoding="utf-8")
        links[chapter] = re.findall(r'href="(?:\.\./)+playground/#([\w-]+)"', html)
    return links


def _presets(built_site) -> dict[str, str]:
    """The playground page's presets: id -> the setting its link loads."""
    html = (built_site.site / "playground" / "index.html").read_text(encoding="utf-8")
    found = {}
    for tag in re.findall(r"<a [^>]*data-playground=[^>]*>", html):
        found[re.search(r'id="([^"]+)"', tag)[1]] = re.search(r'data-playground="([^"]+)"', tag)[1].replace(
            "&amp;", "&"
        )
    return found


ROUND_TRIP = "s => window.downhillPlayground.formatState(window.downhillPlayground.parseState(s).state)"


@pytest.fixture(scope="module")
def presets(chromium, built_site):
    """Each preset of the playground, opened by its id in the address: what the page drew, the address it then
    shows, and the setting written as an address. The first opens the page; the others change the address."""
    found = _presets(built_site)
    assert found, "the playground has no presets"

    def check(page):
        loaded = {}
        for i, (fragment, setting) in enumerate(found.items()):
            if i == 0:
                page.goto(chromium.base + PAGE + "#" + fragment, wait_until="load")
                page.wait_for_function(f"() => location.hash.startsWith('#fn=') && ({DRAWN})()")
            else:
                before = page.evaluate("location.hash")
                page.evaluate("f => { location.hash = f; }", fragment)
                page.wait_for_function("h => location.hash.startsWith('#fn=') && location.hash !== h", arg=before)
            address, written = page.evaluate("location.hash"), page.evaluate(ROUND_TRIP, setting)
            loaded[fragment] = _current(page) | {"address": address, "written": written}
        return loaded

    loaded, errors, outside = chromium.on_page(None, check)
    assert not errors and not outside
    return loaded


def test_each_chapter_links_to_a_setting_that_draws(presets, built_site):
    links = _preset_links(built_site)
    assert all(links.values()), f"a chapter has no link to the playground: {links}"
    fragments = sorted({f for found in links.values() for f in found})
    assert set(fragments) <= set(presets), "a chapter links to a preset the playground does not have"
    for fragment in fragments:
        now = presets[fragment]
        assert now["problems"] == [], fragment
        assert now["results"] and all(r["path"] for r in now["results"]), fragment
        # the address now holds the whole setting, so that a link shares it
        assert now["address"] == "#" + now["written"], fragment


def test_the_presets_reproduce_the_chapters_runs(presets, built_site):
    """Each preset is the setting of a chapter's snippet: the playground reaches what the snippet printed."""
    loaded = presets

    def loss(fragment, i, t):
        point = torch.tensor(loaded[fragment]["results"][i]["path"][t], dtype=torch.float64)
        state = loaded[fragment]["state"]
        return _landscape(state | {"kappa": state.get("kappa")})(point).item()

    def reached(fragment):
        return [r["reached"] if r["reached"] >= 0 else None for r in loaded[fragment]["results"]]

    # chapter 3: the bowl's last loss, and where Himmelblau's run from (0.5, 0) ends
    out = built_site.run("03_gradient_descent/contours.py").stdout
    assert f"to {loss('ch03-narrow-bowl', 0, 25):.2e} in 25 steps" in out
    end = loaded["ch03-himmelblau"]["results"][0]["path"][-1]
    assert f"Himmelblau from ( 0.5,  0.0) ends at ({end[0]:6.3f}, {end[1]:6.3f})" in out

    # chapter 5: the steps to L < 1e-6 of the ravine's three runs
    ravine = built_site.values("05_momentum/ravine.py")
    assert reached("ch05-ravine") == [None, ravine["momentum_steps_to_1e_6"], ravine["nesterov_steps_to_1e_6"]]

    # chapter 6: RMSProp's and Adam's losses after 25 and 200 steps
    values = built_site.values("06_adaptive/rmsprop_adam_paths.py")
    for fragment, landscape in [("ch06-bowl", "bowl"), ("ch06-beale", "beale")]:
        for i, name in enumerate(["rmsprop", "adam"]):
            for t in (25, 200):
                assert loss(fragment, i, t) == pytest.approx(
                    values[f"{landscape}_{name}_loss_{t}"], rel=1e-6, abs=1e-12
                )

    # chapter 6's race: each optimizer's learning rate and steps to the goal, as its table prints them
    table = built_site.run("06_adaptive/optimizer_race.py").stdout
    rows = [re.findall(r"(\d+|—) \(α = ([^)]+)\)", line) for line in table.splitlines()]
    rows = [row for row in rows if len(row) == 4]
    assert len(rows) == 7
    for column, fragment in enumerate(
        ["ch06-race-rosenbrock", "ch06-race-beale", "ch06-race-saddle", "ch06-race-bowl"]
    ):
        lrs = [run["options"]["lr"] for run in loaded[fragment]["state"]["runs"]]
        assert lrs == [float(row[column][1]) for row in rows], fragment
        assert reached(fragment) == [None if row[column][0] == "—" else int(row[column][0]) for row in rows], fragment


# --------------------------------------------------------------------------------------------------------------- #
# Speed, schemes, width, keyboard


SEVEN = (
    "fn=rosenbrock&start=-1.2,1&steps=1000&tol=0.01&opt=SGD:lr=0.002;SGD:lr=0.002,momentum=0.9;"
    "SGD:lr=0.002,momentum=0.9,nesterov=true;Adagrad:lr=0.5;RMSprop:lr=0.01;Adam:lr=0.5;AdamW:lr=0.5"
)
TIME_REDRAWS = """() => {
  const times = [];
  for (let i = 0; i < 15; i++) {
    const start = performance.now();
    window.downhillPlayground.redraw();
    times.push(performance.now() - start);
  }
  return times;
}"""


def test_seven_paths_of_1000_steps_redraw_in_under_50_ms(chromium):
    """The redraw a slider triggers: seven paths of 1,000 steps computed, the map, the loss curves and the table
    drawn, 15 times. The bar is the issue's; the development machine takes a few milliseconds, and the time
    printed is the one "How this book is built" reports."""

    def check(page):
        page.evaluate(f"window.downhillPlayground.load({json.dumps(SEVEN)})")
        return _current(page), page.evaluate(TIME_REDRAWS)

    (now, times), errors, outside = chromium.on_page(PAGE, check)
    assert not errors and not outside
    assert len(now["results"]) == 7 and all(len(r["path"]) == 1001 for r in now["results"])
    median, fastest = statistics.median(times), min(times)
    print(f"\nplayground: seven paths of 1,000 steps redraw in {median:.1f} ms (median of 15; fastest {fastest:.1f})")
    assert fastest < 50  # the fastest: what the page can do, whatever else the machine is doing


MAP_SHADE = """() => {
  const canvas = document.querySelector('.dh-pg__map');
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let sum = 0;
  for (let k = 0; k < data.length; k += 4) sum += (data[k] + data[k + 1] + data[k + 2]) / 3;
  return {shade: sum / (data.length / 4), width: canvas.getBoundingClientRect().width};
}"""


def test_both_schemes_and_a_phones_width(chromium):
    def check(page):
        return (
            page.evaluate("document.body.getAttribute('data-md-color-scheme')"),
            page.evaluate(MAP_SHADE),
            page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]"),
        )

    (light, light_map, _), errors, _ = chromium.on_page(PAGE, check, color_scheme="light")
    assert not errors
    (dark, dark_map, _), errors, _ = chromium.on_page(PAGE, check, color_scheme="dark")
    assert not errors
    assert (light, dark) == ("default", "slate")
    assert light_map["shade"] > 180 and dark_map["shade"] < 90, (light_map, dark_map)
    (_, phone_map, (scroll, inner)), errors, _ = chromium.on_page(PAGE, check, viewport={"width": 360, "height": 740})
    assert not errors
    assert scroll <= inner == 360, "the page scrolls sideways at a phone's width"
    assert 250 < phone_map["width"] <= 360


UNLABELLED = """() => [...document.querySelectorAll('#downhill-playground :is(input, select, button)')]
  .filter(el => !(el.labels?.length || el.getAttribute('aria-label') || el.textContent.trim()))
  .map(el => el.outerHTML)"""


def test_every_control_has_a_label_and_the_keyboard_moves_the_start(chromium):
    def check(page):
        unlabelled = page.evaluate(UNLABELLED)
        before = _current(page)["state"]["start"]
        page.locator(".dh-pg__map").focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Shift+ArrowUp")
        page.wait_for_function(f"() => window.downhillPlayground.current().state.start[0] !== {before[0]}")
        moved = _current(page)["state"]["start"]
        field = page.get_by_label("start w₁")
        field.focus()
        page.keyboard.press("Control+A")
        page.keyboard.type("0.5")
        page.wait_for_function("() => window.downhillPlayground.current().state.start[0] === 0.5")
        page.wait_for_function("() => location.hash.includes('start=0.5,')")  # the address follows
        return unlabelled, before, moved, page.evaluate("location.hash")

    (unlabelled, before, moved, address), errors, _ = chromium.on_page(PAGE, check)
    assert not errors
    assert not unlabelled
    assert moved[0] > before[0] and moved[1] > before[1]
    assert "start=0.5," in address
