"""What the automatic checkers (axe, Lighthouse) do not look at, measured in a real page: the focus
indicator of each focusable element, the contrast of form controls' borders (WCAG 1.4.11), and
horizontal overflow with larger text. The contrast arithmetic is here, in Python, so that it can be
tested against known pairs on its own (tests/browser/test_visual_rules.py)."""

import re

_NUMBER = r"[-+]?\d*\.?\d+(?:e[-+]?\d+)?"
_RGB = re.compile(rf"rgba?\(\s*({_NUMBER})[,\s]+({_NUMBER})[,\s]+({_NUMBER})(?:\s*[,/]\s*({_NUMBER})(%)?)?\s*\)")


def parse_color(text):
    """(r, g, b, a) of a computed CSS colour (`rgb(…)`, `rgba(…)`, `#rrggbb`, `#rgb`, `transparent`)."""
    text = text.strip().lower()
    if text == "transparent":
        return (0.0, 0.0, 0.0, 0.0)
    if text.startswith("#"):
        digits = text[1:]
        if len(digits) in (3, 4):
            digits = "".join(d * 2 for d in digits)
        values = [int(digits[i : i + 2], 16) for i in range(0, len(digits), 2)]
        alpha = values[3] / 255 if len(values) == 4 else 1.0
        return (float(values[0]), float(values[1]), float(values[2]), alpha)
    match = _RGB.fullmatch(text)
    if not match:
        raise ValueError(f"not a colour this check reads: {text!r}")
    red, green, blue, alpha, percent = match.groups()
    alpha = 1.0 if alpha is None else float(alpha) / (100 if percent else 1)
    return (float(red), float(green), float(blue), alpha)


def over(top, bottom):
    """The opaque colour seen when `top` (r, g, b, a) is painted on the opaque `bottom`."""
    alpha = top[3]
    return (*(top[i] * alpha + bottom[i] * (1 - alpha) for i in range(3)), 1.0)


def luminance(color):
    """WCAG 2 relative luminance of an opaque (r, g, b[, a]) colour."""

    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(c) for c in color[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second):
    """WCAG 2 contrast ratio (1 … 21) of two colours given as CSS text or tuples; a translucent
    first colour is composed over the second, which must be opaque."""
    first = parse_color(first) if isinstance(first, str) else first
    second = parse_color(second) if isinstance(second, str) else second
    if second[3] < 1:
        raise ValueError("the background must be opaque")
    first = over(first, second)
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# The effective (opaque) background behind an element: its ancestors' background colours composed
# from the root down (the canvas is white). Background images are not read: none is used under controls.
JS_COMMON = """
const parse = (text) => {
  const m = text.match(/rgba?\\(([^)]+)\\)/);
  if (!m) return [0, 0, 0, 0];
  const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(parseFloat);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
};
const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
const backgroundBehind = (el) => {
  const chain = [];
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) chain.unshift(node);
  let color = [255, 255, 255, 1];
  for (const node of chain) color = over(parse(getComputedStyle(node).backgroundColor), color);
  return color;
};
const css = (color) => `rgba(${color.map((v, i) => (i < 3 ? Math.round(v * 100) / 100 : v)).join(", ")})`;
const visible = (el) => {
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return style.visibility !== "hidden" && style.display !== "none" && box.width > 1 && box.height > 1 &&
    !el.closest(".portal-trap, [hidden], [aria-hidden=true]");
};
const describe = (el) => {
  const text = (el.getAttribute("aria-label") || el.textContent || el.value || "").trim().replace(/\\s+/g, " ").slice(0, 30);
  return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.name ? "[name=" + el.name + "]" : ""} "${text}"`;
};
"""

# What a focus indicator can change: the outline (only when drawn), the box shadow, the border, the
# background. Read for the active element after each Tab, and for the same element once blurred.
RING = (
    """(el) => {"""
    + JS_COMMON
    + """
  const style = getComputedStyle(el);
  const drawn = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {
    outline: drawn ? `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}` : "none",
    outlineColor: drawn ? style.outlineColor : "",
    outlineWidth: drawn ? parseFloat(style.outlineWidth) : 0,
    outlineOffset: parseFloat(style.outlineOffset) || 0,
    shadow: style.boxShadow,
    border: ["Top", "Right", "Bottom", "Left"].map((s) => `${style["border" + s + "Width"]} ${style["border" + s + "Color"]}`).join(","),
    background: style.backgroundColor,
    behind: css(backgroundBehind(el.parentElement || el)),
    own: css(backgroundBehind(el)),
    name: describe(el),
    tag: el.tagName.toLowerCase(),
    inHeader: !!el.closest(".portal-header"),
  };
}"""
)

# Every visible, enabled form control: its drawn border sides' colours, the background around it and
# its own background (the border must stand out from what is outside the control).
CONTROLS = (
    """() => {"""
    + JS_COMMON
    + """
  const found = [];
  const selector = "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]), select, textarea";
  for (const el of document.querySelectorAll(selector)) {
    if (el.disabled || !visible(el)) continue;
    const style = getComputedStyle(el);
    const sides = ["Top", "Right", "Bottom", "Left"]
      .filter((s) => style["border" + s + "Style"] !== "none" && parseFloat(style["border" + s + "Width"]) > 0)
      .map((s) => style["border" + s + "Color"]);
    found.push({name: describe(el), sides: sides, outside: css(backgroundBehind(el.parentElement)),
                inside: css(backgroundBehind(el))});
  }
  return found;
}"""
)

# A page wider than the screen, or header links cut off (outside the screen or clipped by their list).
OVERFLOW = (
    """() => {"""
    + JS_COMMON
    + """
  const width = document.documentElement.clientWidth;
  const wide = document.documentElement.scrollWidth;
  const cut = [];
  for (const el of document.querySelectorAll(".portal-header a, .portal-header select, .portal-header button")) {
    if (!visible(el)) continue;
    const box = el.getBoundingClientRect();
    const clipped = el.scrollWidth > el.clientWidth + 1;
    if (box.left < -0.5 || box.right > width + 0.5 || clipped) cut.push(`${describe(el)} ${Math.round(box.left)}..${Math.round(box.right)}`);
  }
  return {width: width, scrollWidth: wide, cut: cut};
}"""
)


def text_size(page, percent):
    """WeChat's text size setting, emulated: the root font size set to `percent` of the browser's
    default (16 px), so that everything sized in rem/em (Bootstrap and the portal) grows with it,
    as it does with the browser's own font size setting (Chromium's minimum/default font size)."""
    page.evaluate("(p) => { document.documentElement.style.fontSize = p + '%'; }", percent)


def overflow(page):
    return page.evaluate(OVERFLOW)


def control_borders(page, minimum=3.0):
    """The controls whose boundary does not stand out at `minimum`:1 from the colour outside them:
    the weakest drawn border side is below it, and the control's own fill is too (a white field on
    the red header is seen by its fill; a white field on a white page only by its border)."""
    failing = []
    for control in page.evaluate(CONTROLS):
        outside = parse_color(control["outside"])
        border = min((contrast(side, outside) for side in control["sides"]), default=1.0)
        fill = contrast(control["inside"], outside)
        if border < minimum and fill < minimum:
            failing.append(f"{control['name']}: border {border:.2f}:1, fill {fill:.2f}:1 on {control['outside']}")
    return failing


def ring_problem(before, after, minimum=3.0):
    """Why the focused state (`after`) shows no visible indicator against the unfocused one (`before`),
    or None. An outline counts when drawn and at ≥ `minimum`:1 against the background next to it
    (outside the element when offset, else the element's own), a box shadow or border when changed."""
    changed = [key for key in ("outline", "shadow", "border", "background") if before[key] != after[key]]
    if not changed:
        return "no change on focus"
    if changed == ["outline"] or (after["outline"] != "none" and "shadow" not in changed and "border" not in changed):
        if after["outline"] == "none":
            return "outline removed, nothing instead"
        next_to = after["behind"] if after["outlineOffset"] >= 0 else after["own"]
        ratio = contrast(after["outlineColor"], parse_color(next_to))
        if ratio < minimum:
            return f"outline {after['outlineColor']} at {ratio:.2f}:1 on {next_to}"
    return None


def focus_ring_problems(page, limit=400):
    """Tab through the page from its start: each element reached is read focused, then blurred (read
    again), then focused again so that the next Tab goes on from it. Returns `name: why` lines."""
    # The walk starts before the page's first element, wherever the page put focus (autofocus):
    # from a placeholder focused at the top of <body>, removed once the first Tab has left it.
    page.evaluate(
        "() => { const start = document.createElement('span'); start.tabIndex = -1; start.id = 'visual-start';"
        " document.body.prepend(start); start.focus(); }"
    )
    page.mouse.move(0, 0)
    first = True
    problems, seen = [], set()
    handle = None
    for _ in range(limit):
        page.keyboard.press("Tab")
        if first:
            page.evaluate("() => document.getElementById('visual-start').remove()")
            first = False
        handle = page.evaluate_handle("() => document.activeElement")
        key = page.evaluate(
            "(el) => { if (!el || el === document.body) return null;"
            " if (!el.dataset.visualKey) el.dataset.visualKey = String(Math.random()).slice(2); return el.dataset.visualKey; }",
            handle,
        )
        if key is None or key in seen:
            break
        seen.add(key)
        after = page.evaluate(RING, handle)
        page.evaluate("(el) => el.blur()", handle)
        before = page.evaluate(RING, handle)
        # Back to the element, as the keyboard left it: focus() after a keyboard event keeps :focus-visible.
        page.evaluate("(el) => el.focus({preventScroll: true})", handle)
        why = ring_problem(before, after)
        if why:
            problems.append(f"{after['name']}: {why}")
    return problems, len(seen)
