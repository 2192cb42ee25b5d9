"""Tables: what each TeX control word and character stands for, and its TeX class.

The class decides spacing (``a + b``, ``x = y``, ``f(x)``), as in TeX's atom types. Glyphs are
chosen for what common terminal fonts draw in one cell: ``ℝ ℕ ∑ ∏ ∫ √ ‖ ⟨⟩ ⎛⎜⎝`` yes, the
two-cell ``〈〉`` never.
"""

from __future__ import annotations

ORD = "ord"
OP = "op"
BIN = "bin"
REL = "rel"
OPEN = "open"
CLOSE = "close"
PUNCT = "punct"
INNER = "inner"  # fractions and other 2-D pieces in display mode

MINUS = "\u2212"

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ",
    "varepsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ",
    "iota": "ι", "kappa": "κ", "varkappa": "ϰ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "omicron": "ο", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ",
    "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "ϕ",
    "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "digamma": "ϝ",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    "varGamma": "Γ", "varDelta": "Δ", "varTheta": "Θ", "varLambda": "Λ", "varXi": "Ξ",
    "varPi": "Π", "varSigma": "Σ", "varUpsilon": "Υ", "varPhi": "Φ", "varPsi": "Ψ",
    "varOmega": "Ω",
}

_ORDINARY = {
    "infty": "∞", "partial": "∂", "nabla": "∇", "forall": "∀", "exists": "∃",
    "nexists": "∄", "emptyset": "∅", "varnothing": "∅", "top": "⊤", "bot": "⊥",
    "ell": "ℓ", "hbar": "ℏ", "hslash": "ℏ", "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ",
    "beth": "ℶ", "wp": "℘", "neg": "¬", "lnot": "¬", "prime": "′", "angle": "∠",
    "triangle": "△", "square": "□", "Box": "□", "blacksquare": "■", "checkmark": "✓",
    "ldots": "…", "dots": "…", "dotsc": "…", "dotso": "…", "cdots": "⋯", "dotsb": "⋯",
    "dotsm": "⋯", "dotsi": "⋯", "vdots": "⋮", "ddots": "⋱", "imath": "ı",
    "jmath": "ȷ", "degree": "°", "sharp": "♯", "flat": "♭",
    "natural": "♮", "clubsuit": "♣", "diamondsuit": "♢", "heartsuit": "♡",
    "spadesuit": "♠", "S": "§", "P": "¶", "dag": "†", "ddag": "‡", "copyright": "©",
    "complement": "∁", "mho": "℧", "eth": "ð", "backslash": "\\", "vert": "|",
    "Vert": "‖", "|": "‖", "%": "%", "&": "&", "#": "#", "_": "_", "$": "$",
    "infin": "∞", "surd": "√", "diamond": "⋄", "star": "⋆", "bigstar": "★",
    "lozenge": "◊", "Diamond": "◇",
}

_BINARY = {
    "pm": "±", "mp": "∓", "times": "×", "div": "÷", "cdot": "·", "ast": "*",
    "circ": "∘", "bullet": "•", "oplus": "⊕", "ominus": "⊖", "otimes": "⊗",
    "oslash": "⊘", "odot": "⊙", "cup": "∪", "cap": "∩", "setminus": "∖",
    "smallsetminus": "∖", "wedge": "∧", "land": "∧", "vee": "∨", "lor": "∨",
    "sqcup": "⊔", "sqcap": "⊓", "uplus": "⊎", "dagger": "†", "ddagger": "‡",
    "amalg": "⨿", "wr": "≀", "triangleleft": "◃", "triangleright": "▹",
    "bigtriangleup": "△", "bigtriangledown": "▽", "boxplus": "⊞", "boxtimes": "⊠",
    "cdotp": "·", "centerdot": "·", "ltimes": "⋉", "rtimes": "⋊",
    "divideontimes": "⋇", "dotplus": "∔", "intercal": "⊺",
}

_RELATION = {
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "leqslant": "≤", "geqslant": "≥",
    "leqq": "≦", "geqq": "≧", "ne": "≠", "neq": "≠", "approx": "≈", "approxeq": "≊",
    "equiv": "≡", "sim": "∼", "simeq": "≃", "cong": "≅", "propto": "∝",
    "varpropto": "∝", "in": "∈", "notin": "∉", "ni": "∋", "owns": "∋", "subset": "⊂",
    "subseteq": "⊆", "subsetneq": "⊊", "supset": "⊃", "supseteq": "⊇",
    "supsetneq": "⊋", "nsubseteq": "⊈", "nsupseteq": "⊉", "sqsubseteq": "⊑",
    "sqsupseteq": "⊒", "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←",
    "leftrightarrow": "↔", "longrightarrow": "⟶", "longleftarrow": "⟵",
    "longleftrightarrow": "⟷", "mapsto": "↦", "longmapsto": "⟼", "Rightarrow": "⇒",
    "Leftarrow": "⇐", "Leftrightarrow": "⇔", "Longrightarrow": "⟹",
    "Longleftarrow": "⟸", "Longleftrightarrow": "⟺", "implies": "⟹",
    "impliedby": "⟸", "iff": "⟺", "uparrow": "↑", "downarrow": "↓",
    "updownarrow": "↕", "Uparrow": "⇑", "Downarrow": "⇓", "nearrow": "↗",
    "searrow": "↘", "swarrow": "↙", "nwarrow": "↖", "hookrightarrow": "↪",
    "hookleftarrow": "↩", "rightharpoonup": "⇀", "rightleftharpoons": "⇌",
    "leadsto": "⇝", "rightsquigarrow": "⇝", "twoheadrightarrow": "↠",
    "ll": "≪", "gg": "≫", "lll": "⋘", "ggg": "⋙", "perp": "⊥", "parallel": "∥",
    "nparallel": "∦", "mid": "|", "nmid": "∤", "models": "⊨", "vdash": "⊢",
    "dashv": "⊣", "vDash": "⊨", "coloneqq": "≔", "coloneq": "≔", "eqqcolon": "≕",
    "doteq": "≐", "triangleq": "≜", "prec": "≺", "succ": "≻", "preceq": "⪯",
    "succeq": "⪰", "preccurlyeq": "≼", "succcurlyeq": "≽", "lesssim": "≲",
    "gtrsim": "≳", "asymp": "≍", "bowtie": "⋈", "nleq": "≰", "ngeq": "≱",
    "nless": "≮", "ngtr": "≯", "nsim": "≁", "ncong": "≇", "smile": "⌣",
    "frown": "⌢", "lhd": "⊲", "rhd": "⊳", "unlhd": "⊴", "unrhd": "⊵",
    "Vdash": "⊩", "circeq": "≗", "thicksim": "∼", "thickapprox": "≈",
    "sqsubset": "⊏", "sqsupset": "⊐", "therefore": "∴", "because": "∵",
    "shortmid": "∣",
}

_OPEN = {
    "langle": "⟨", "lbrace": "{", "{": "{", "lbrack": "[", "lceil": "⌈",
    "lfloor": "⌊", "lvert": "|", "lVert": "‖", "ulcorner": "⌜", "llcorner": "⌞",
    "lgroup": "(", "lparen": "(",
}

_CLOSE = {
    "rangle": "⟩", "rbrace": "}", "}": "}", "rbrack": "]", "rceil": "⌉",
    "rfloor": "⌋", "rvert": "|", "rVert": "‖", "urcorner": "⌝", "lrcorner": "⌟",
    "rgroup": ")", "rparen": ")",
}

_PUNCT = {"colon": ":", "ldotp": "."}

#: control word (or control symbol) -> (glyph, class)
SYMBOLS: dict[str, tuple[str, str]] = {}
for _table, _cls in (
    (GREEK, ORD),
    (_ORDINARY, ORD),
    (_BINARY, BIN),
    (_RELATION, REL),
    (_OPEN, OPEN),
    (_CLOSE, CLOSE),
    (_PUNCT, PUNCT),
):
    for _name, _glyph in _table.items():
        if _name.isalpha() or len(_name) == 1:
            SYMBOLS[_name] = (_glyph, _cls)
del _table, _cls, _name, _glyph

#: single input characters in math mode -> (glyph, class); letters and digits are ord
CHARS: dict[str, tuple[str, str]] = {
    "+": ("+", BIN),
    "-": (MINUS, BIN),
    "*": ("*", BIN),
    "/": ("/", ORD),
    "=": ("=", REL),
    "<": ("<", REL),
    ">": (">", REL),
    ":": (":", REL),
    ",": (",", PUNCT),
    ";": (";", PUNCT),
    "!": ("!", CLOSE),
    "?": ("?", CLOSE),
    ".": (".", ORD),
    "(": ("(", OPEN),
    "[": ("[", OPEN),
    ")": (")", CLOSE),
    "]": ("]", CLOSE),
    "|": ("|", ORD),
    "@": ("@", ORD),
    '"': ('"', ORD),
    "`": ("‘", ORD),
}

#: control words that are negated by a leading \not
NEGATED = {
    "=": "≠", "<": "≮", ">": "≯", "in": "∉", "subset": "⊄", "supset": "⊅",
    "subseteq": "⊈", "supseteq": "⊉", "equiv": "≢", "sim": "≁", "simeq": "≄",
    "approx": "≉", "cong": "≇", "le": "≰", "leq": "≰", "ge": "≱", "geq": "≱",
    "mid": "∤", "parallel": "∦", "exists": "∄", "ni": "∌", "perp": "⟂",
}

#: big operators: name -> glyph; they take limits above and below in display
BIG_OPERATORS = {
    "sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "iint": "∬", "iiint": "∭",
    "oint": "∮", "bigcup": "⋃", "bigcap": "⋂", "bigoplus": "⨁", "bigotimes": "⨂",
    "bigodot": "⨀", "bigvee": "⋁", "bigwedge": "⋀", "bigsqcup": "⨆", "biguplus": "⨄",
    "intop": "∫", "smallint": "∫",
}

#: function names: name -> (shown text, takes limits under it in display)
FUNCTIONS: dict[str, tuple[str, bool]] = {
    name: (name, False)
    for name in (
        "log ln lg exp sin cos tan cot sec csc sinh cosh tanh coth arcsin arccos "
        "arctan arg deg dim hom ker"
    ).split()
}
FUNCTIONS.update(
    {
        name: (name, True)
        for name in "det lim max min sup inf gcd Pr argmin argmax".split()
    }
)
FUNCTIONS.update(
    {
        "liminf": ("lim inf", True),
        "limsup": ("lim sup", True),
        "injlim": ("inj lim", True),
        "projlim": ("proj lim", True),
        "bmod": ("mod", False),
    }
)

#: explicit spaces, in terminal cells
SPACES = {
    ",": 1, ":": 1, ">": 1, ";": 1, " ": 1, "thinspace": 1, "medspace": 1,
    "thickspace": 1, "enspace": 1, "quad": 2, "qquad": 4, "!": 0,
    "negthinspace": 0, "negmedspace": 0, "negthickspace": 0, "space": 1,
    "nobreakspace": 1,
}

#: accents: name -> combining character (for a single grapheme) and the word used otherwise
ACCENTS = {
    "hat": ("\u0302", "hat"), "widehat": ("\u0302", "hat"),
    "bar": ("\u0304", "bar"), "overline": ("\u0305", "bar"),
    "tilde": ("\u0303", "tilde"), "widetilde": ("\u0303", "tilde"),
    "vec": ("\u20d7", "vec"), "overrightarrow": ("\u20d7", "vec"),
    "dot": ("\u0307", "dot"), "ddot": ("\u0308", "ddot"), "dddot": ("\u20db", "dddot"),
    "check": ("\u030c", "check"), "breve": ("\u0306", "breve"),
    "acute": ("\u0301", "acute"), "grave": ("\u0300", "grave"),
    "mathring": ("\u030a", "ring"), "underline": ("\u0332", "underline"),
}


DELIMITER_NAMES = {
    "(": "(", ")": ")", "[": "[", "]": "]", "|": "|", "/": "/", ".": "",
    "<": "⟨", ">": "⟩",
}

# Font alphabets ---------------------------------------------------------------------------

def _alphabet(upper: int, lower: int | None, holes: dict[str, str]) -> dict[str, str]:
    table = {chr(65 + i): chr(upper + i) for i in range(26)}
    if lower is not None:
        table.update({chr(97 + i): chr(lower + i) for i in range(26)})
    table.update(holes)
    return table


_BLACKBOARD = _alphabet(
    0x1D538,
    0x1D552,
    {"C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"},
)
_BLACKBOARD.update({str(d): chr(0x1D7D8 + d) for d in range(10)})

_SCRIPT = _alphabet(
    0x1D49C,
    None,  # \mathcal has no lower case; those letters stay plain
    {"B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ", "R": "ℛ"},
)

_FRAKTUR = _alphabet(
    0x1D504, 0x1D51E, {"C": "ℭ", "H": "ℌ", "I": "ℑ", "R": "ℜ", "Z": "ℨ"}
)

#: font command -> letter map (None: letters unchanged; bold shows as plain letters)
FONTS: dict[str, dict[str, str] | None] = {
    "mathbb": _BLACKBOARD, "Bbb": _BLACKBOARD, "mathbbm": _BLACKBOARD,
    "mathcal": _SCRIPT, "mathscr": _SCRIPT, "mathfrak": _FRAKTUR,
    "mathbf": None, "boldsymbol": None, "bm": None, "bf": None, "mathit": None,
    "mathsf": None, "mathtt": None, "mathnormal": None, "pmb": None,
}

#: font commands whose content is upright text: a word, not a product of letters
UPRIGHT = {"mathrm", "rm", "textrm", "textnormal", "mathup", "textup"}

TEXT_COMMANDS = {"text", "textbf", "textit", "textsf", "texttt", "mbox", "hbox", "emph"}

# Unicode sub- and superscripts ------------------------------------------------------------

SUPERSCRIPTS = dict(
    zip(
        "0123456789+" + MINUS + "=()" + "abcdefghijklmnoprstuvwxyz"
        + "ABDEGHIJKLMNOPRTUVW" + "αβγδεφχ" + "′*†∘" + "⊤ι",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾" + "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ"
        + "ᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ" + "ᵅᵝᵞᵟᵋᵠᵡ" + "′*†°" + "ᵀᶥ",
    )
)
del SUPERSCRIPTS["ι"]  # rarely in fonts

SUBSCRIPTS = dict(
    zip(
        "0123456789+" + MINUS + "=()" + "aehijklmnoprstuvx" + "βγρφχ",
        "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎" + "ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ" + "ᵦᵧᵨᵩᵪ",
    )
)

# Tall delimiters: (top, extension, middle, bottom) pieces; middle None: no tip ---------

TALL_DELIMITERS: dict[str, tuple[str, str, str | None, str]] = {
    "(": ("⎛", "⎜", None, "⎝"),
    ")": ("⎞", "⎟", None, "⎠"),
    "[": ("⎡", "⎢", None, "⎣"),
    "]": ("⎤", "⎥", None, "⎦"),
    "{": ("⎧", "⎪", "⎨", "⎩"),
    "}": ("⎫", "⎪", "⎬", "⎭"),
    "⌈": ("⎡", "⎢", None, "⎢"),
    "⌉": ("⎤", "⎥", None, "⎥"),
    "⌊": ("⎢", "⎢", None, "⎣"),
    "⌋": ("⎥", "⎥", None, "⎦"),
    "|": ("│", "│", None, "│"),
    "‖": ("‖", "‖", None, "‖"),
}
