"""Every XML part of a Word package parsed inside bounds, before python-docx ever sees it.

A package within the byte limits can still hold XML that costs far more to read than its size
suggests: 15 MB of `<w:p/>` is 2.6 million paragraphs (python-docx took a minute and a
gigabyte), a tag of a million attributes makes expat rescan it on every chunk, and nesting a
thousand deep breaks recursive walkers. So, per package:

1. a measure by bytes, at C speed, before any parsing: the elements (every `<` that does not
   close one is at most one element) against MAX_ELEMENTS, and no tag or text run over
   MAX_RUN_BYTES (one `<` followed by that many bytes without another);
2. the parse itself with defusedxml's expat parser (no DOCTYPE, entity or external reference),
   counting exactly as it goes and stopping at the first ceiling passed: elements, paragraphs,
   depth, attributes of one element, and the time of the whole package.

The ceilings are generous for real documents. A 100-page practice written in Word, with tables,
photos and the revision and spell-check marks Word leaves, is by our estimate 60,000-80,000
elements in all its parts (~6 per run of text, ~10 per paragraph's properties, ~15 per table
cell, and ~18,000 in the styles parts alone, as counted in a python-docx document), some 3,000
paragraphs (table cells included), nesting about 25 deep (a table in a table: 35). The most
reading work that passes them (19,000 paragraphs; 70,000 runs) takes 1.0-1.4 s in all on a
busy core (bench/documents_hostile.py).
"""

import re
import time
from xml.etree.ElementTree import TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.utils.translation import gettext as _

# Elements in all XML parts of a package together: ~4x a 100-page practice written in Word.
MAX_ELEMENTS = 300_000
# Paragraphs (`w:p`, table cells' included) in all parts: ~7x a 100-page practice with tables.
# The reader's own work grows with paragraphs more than with elements.
MAX_PARAGRAPHS = 20_000
# Nesting: Word's deepest (a picture in a table in a table) is about 35; libxml2, under
# python-docx, stops at 256 anyway.
MAX_DEPTH = 128
# Attributes of one element: Word writes at most about 20 (rsid marks, w14 ids).
MAX_ATTRIBUTES = 64
# One tag or text run (bytes from a `<` to the next): a tag is under 4 kB (the root, with its
# namespace declarations) and a paragraph's text far under this; expat rescans an unfinished
# token on every chunk, so a huge one costs quadratic time.
MAX_RUN_BYTES = 1024 * 1024
# Time for parsing all XML parts of one package: a 100-page practice takes ~0.2 s.
PARSE_SECONDS = 8.0

FEED = 256 * 1024
CHECK_EVERY = 4096  # elements between looks at the clock
W_P = "http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"  # expat's name: namespace}local
LONG_RUN = re.compile(rb"<[^<]{%d}" % MAX_RUN_BYTES)  # each attempt stops at the next `<`: linear


class TooComplex(Exception):
    """A ceiling was passed; `reason` says which (for the log, not for the submitter)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class Unsafe(Exception):
    """A DOCTYPE, entity or external reference (defusedxml refused it)."""


class Malformed(Exception):
    """Not well-formed XML."""


def message():
    return _(
        "文档结构过于复杂（元素过多、嵌套过深或单个元素过大），不能读取。请在 Word 或 WPS 中另存为新文档，或删去不需要的内容后再上传。"
    )


class Bounds:
    """The running counts for one package, and the clock."""

    def __init__(self, *, seconds=None, elements=None, paragraphs=None):
        self.deadline = time.monotonic() + (PARSE_SECONDS if seconds is None else seconds)
        self.max_elements = MAX_ELEMENTS if elements is None else elements
        self.max_paragraphs = MAX_PARAGRAPHS if paragraphs is None else paragraphs
        self.estimated = 0
        self.elements = 0
        self.paragraphs = 0

    def measure(self, data):
        """The measure by bytes, before parsing (step 1)."""
        self.estimated += data.count(b"<") - data.count(b"</")
        if self.estimated > self.max_elements:
            raise TooComplex("elements (measured)")
        if LONG_RUN.search(data):
            raise TooComplex("tag or text run")

    def clock(self):
        if time.monotonic() > self.deadline:
            raise TooComplex("time")


class _Nothing:
    """A parser target that keeps nothing (for the parts only checked)."""

    def close(self):
        return None


def parse(data, bounds, *, keep=False):
    """Parse one XML part inside `bounds`; the tree's root if `keep`, else None.

    Raises TooComplex, Unsafe or Malformed."""
    bounds.measure(data)
    parser = SafeET.XMLParser(target=TreeBuilder() if keep else _Nothing(), forbid_dtd=True)
    expat = parser.parser
    build_start, build_end = expat.StartElementHandler, expat.EndElementHandler
    depth = 0

    def start(tag, attributes):  # attributes: a flat [name, value, ...] (ordered_attributes)
        nonlocal depth
        depth += 1
        bounds.elements += 1
        if tag == W_P:
            bounds.paragraphs += 1
        if depth > MAX_DEPTH:
            raise TooComplex("depth")
        if len(attributes) > 2 * MAX_ATTRIBUTES:
            raise TooComplex("attributes")
        if bounds.elements > bounds.max_elements:
            raise TooComplex("elements")
        if bounds.paragraphs > bounds.max_paragraphs:
            raise TooComplex("paragraphs")
        if bounds.elements % CHECK_EVERY == 0:
            bounds.clock()
        if keep:
            build_start(tag, attributes)

    def end(tag):
        nonlocal depth
        depth -= 1
        if keep:
            build_end(tag)

    expat.StartElementHandler, expat.EndElementHandler = start, end
    try:
        for offset in range(0, len(data), FEED):
            parser.feed(data[offset : offset + FEED])
            bounds.clock()
        return parser.close()
    except RecursionError:
        raise TooComplex("recursion") from None
    except SafeET.ParseError:
        raise Malformed() from None
    except DefusedXmlException as exc:  # a DOCTYPE, an entity, an external reference
        raise Unsafe() from exc
