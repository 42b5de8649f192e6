// Java regular expressions (java.util.regex, the syntax of CloudFormation schema `pattern`s) translated to
// JavaScript RegExps that match the same strings.
//
// CloudFormation validates models with everit-json-schema, which compiles a pattern with Pattern.compile(p) and
// tests it with Matcher.find(): an unanchored search, like JSON Schema's `pattern` and RegExp#test. So the
// translation keeps search semantics and rewrites only what means something else in JavaScript. It parses the
// pattern the way java.util.regex.Pattern does (JDK 9+ grammar, where `[^…]` negates nested classes too) and
// emits a RegExp for the `u` flag (code points, \p{…}). No other JS flag is used, because
// Java's inline flags can be scoped to a group or switched on mid-pattern (`^(?!(?i)aws)…`, `…|(?i)[0-9a-f]{8}…`);
// instead each flag's effect is written out where it applies, until the enclosing group closes (as in Java):
//   (?i) ASCII letters match both cases: `a` → [aA], [a-f] → [a-fA-F] (Java's CASE_INSENSITIVE is ASCII-only;
//        with (?u) too, Unicode simple case mappings are used). (?s) `.` → any character. (?m) `^`/`$` at lines.
//   (?d) only \n ends a line. (?x) whitespace and #comments are skipped. (?U) Unicode \w \d \s \b and POSIX classes.
// Emulated exactly: \A \z \G (Matcher.find() starts at 0), \Z and `$` (Java's `$` also matches before one final
// line terminator, so "abc\n" matches ^[a-z]+$), `.` (Java also stops at U+0085), \s \w \d \h \v \R, POSIX
// \p{Alpha}… (US-ASCII, as Java defines them), \p{javaLowerCase}…, possessive quantifiers and atomic groups
// (`(?=(?<a>X))\k<a>`: a JS lookahead is atomic), a quantifier with no atom (`[a-z]+{1,255}`: Java repeats an
// empty atom, so the bound is a no-op), quantified anchors (`${1,128}`), \Q…\E, \uD800\uDC00 escape pairs
// (one code point, as Java reads them), dangling `]`/`}` and a `-` after a class escape (`[\p{Z}-_]`) as literals.
// Approximations, reported in TranslatedPattern.approximations when a pattern uses them:
//   \b \B use Java 8–18's word characters (\p{L}\p{Nd}_), ignoring its special case for combining marks;
//   \X is one non-mark code point plus marks; a backreference to a group that did not participate matches the
//   empty string (Java fails); a backreference under (?i) is case-sensitive; Unicode property data is Node's
//   (Unicode 15), not the JDK's; \p{In<Block>} (Unicode blocks) and \N{name} are not supported (error).
// Patterns Java itself rejects ("Dangling meta character", "Illegal repetition", …) throw JavaPatternError.
// compileJavaPattern's RegExp answers test() in bounded time, whatever the input (GuardedRegExp, linear-regex.ts).

import { LONG_INPUT, linearMatcher, type LinearMatcher } from './linear-regex.js';

/** A pattern that java.util.regex would reject, or a construct this translation does not support. */
export class JavaPatternError extends Error {
  constructor(readonly pattern: string, readonly index: number, reason: string) {
    super(`${reason} near index ${index}: ${pattern}`);
    this.name = 'JavaPatternError';
  }
}

export interface TranslatedPattern {
  /** RegExp source, to be used with `flags`. */
  readonly source: string;
  readonly flags: string;
  /** The Java constructs the pattern uses that needed a translation, e.g. "\\Z", "(?i) mid-pattern", "\\p{Alpha}". */
  readonly constructs: string[];
  /** Constructs emulated only approximately (see the header of java-regex.ts). */
  readonly approximations: string[];
}

type Range = [number, number];
/** A character class as Java builds it: unions, intersections and negations of code point sets. */
type ClassNode =
  | { k: 'ranges'; r: Range[] }
  | { k: 'items'; items: string[] } // u-mode class items whose union is the set: \p{L}, \P{Cn}, \x09-\x0D
  | { k: 'union'; items: ClassNode[] }
  | { k: 'and'; a: ClassNode; b: ClassNode }
  | { k: 'not'; x: ClassNode };

interface Flags { i: boolean; m: boolean; s: boolean; x: boolean; d: boolean; u: boolean; U: boolean }

const FLAG_LETTERS = 'idmsuxU';
const cp = (s: string) => s.codePointAt(0)!;
const hex = (n: number) => n.toString(16).toUpperCase();
const ranges = (...r: Range[]): ClassNode => ({ k: 'ranges', r });
const items = (...i: string[]): ClassNode => ({ k: 'items', items: i });
const not = (x: ClassNode): ClassNode => ({ k: 'not', x });
const single = (c: number): Range => [c, c];

const isAsciiLetter = (c: string | undefined) => c !== undefined && /^[A-Za-z]$/.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isHexDigit = (c: string | undefined) => c !== undefined && /^[0-9A-Fa-f]$/.test(c);
const isOctal = (c: string | undefined) => c !== undefined && c >= '0' && c <= '7';

// --- Emission -------------------------------------------------------------------------------------------------
// The output is for the `u` flag, not `v`: Node 20's V8 mis-executes `v` classes ((?:x[^x])+ fails on "xa").
// A u-mode class is a flat union, so Java's nested unions, negated members and intersections that do not
// flatten are written with one-code-point lookaheads: A∩B = (?=A)B, ¬A = (?!A)[\s\S], A∪B = (?:A|B).

/** A code point inside a class: everything but [A-Za-z0-9_] escaped, which is valid in every u-mode class. */
function classChar(c: number): string {
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f) return String.fromCodePoint(c);
  return c < 0x80 ? `\\x${hex(c).padStart(2, '0')}` : `\\u{${hex(c)}}`;
}

/** A literal code point outside classes. */
function atomChar(c: number): string {
  const s = String.fromCodePoint(c);
  if ('^$\\.*+?()[]{}|/'.includes(s)) return '\\' + s;
  if (c >= 0x20 && c < 0x7f) return s;
  return c < 0x80 ? `\\x${hex(c).padStart(2, '0')}` : `\\u{${hex(c)}}`;
}

function normalize(r: Range[]): Range[] {
  const sorted = [...r].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

const emitRanges = (r: Range[]) =>
  normalize(r).map(([lo, hi]) => (lo === hi ? classChar(lo) : hi === lo + 1 ? classChar(lo) + classChar(hi) : `${classChar(lo)}-${classChar(hi)}`)).join('');

/** The contents of one u-mode class for `n` when `n` is a union of ranges and items; otherwise null. */
function flat(n: ClassNode): string | null {
  switch (n.k) {
    case 'ranges': return emitRanges(n.r);
    case 'items': return n.items.join('');
    case 'union': {
      const parts = n.items.map(flat);
      return parts.every((p) => p !== null) ? parts.join('') : null;
    }
    default: return null;
  }
}

/** A class node as an atom matching exactly one code point. */
function emitClass(n: ClassNode): string {
  const f = flat(n);
  if (f !== null) return `[${f}]`;
  switch (n.k) {
    case 'not': {
      const inner = flat(n.x);
      return inner !== null ? `[^${inner}]` : `(?:(?!${emitClass(n.x)})[\\s\\S])`;
    }
    case 'and': return `(?:(?=${emitClass(n.a)})${emitClass(n.b)})`;
    case 'union': {
      const flatParts = n.items.map(flat).filter((p): p is string => p !== null);
      const others = n.items.filter((it) => flat(it) === null).map(emitClass);
      return `(?:${[...(flatParts.length ? [`[${flatParts.join('')}]`] : []), ...others].join('|')})`;
    }
    default: throw new Error('unreachable');
  }
}

function union(a: ClassNode | null, b: ClassNode): ClassNode {
  if (!a) return b;
  if (a.k === 'ranges' && b.k === 'ranges') return { k: 'ranges', r: [...a.r, ...b.r] };
  if (a.k === 'union') return { k: 'union', items: [...a.items, b] };
  return { k: 'union', items: [a, b] };
}

// --- Character class definitions (Java's, as u-mode class items) ------------------------------------------------

const LINE_TERMINATORS = ranges(single(0x0a), single(0x0d), single(0x85), [0x2028, 0x2029]);
const JAVA_SPACE = ranges([0x09, 0x0d], single(0x20)); // \s and \p{Space}: [ \t\n\x0B\f\r]
const JAVA_WORD = ranges([0x30, 0x39], [0x41, 0x5a], single(0x5f), [0x61, 0x7a]);
const JAVA_DIGIT = ranges([0x30, 0x39]);
const H_SPACE = ranges(single(0x09), single(0x20), single(0xa0), single(0x1680), single(0x180e), [0x2000, 0x200a], single(0x202f), single(0x205f), single(0x3000));
const V_SPACE = ranges([0x0a, 0x0d], single(0x85), [0x2028, 0x2029]);
const IDENTIFIER_IGNORABLE = ['\\x00-\\x08\\x0E-\\x1B\\x7F-\\u{9F}', '\\p{Cf}'];
// Unicode flavours (UnicodeProp in the JDK), used by \p{Is…} and, under (?U), by \w \d \s and the POSIX names.
const U_WHITE_SPACE = ['\\p{Z}', '\\x09-\\x0D\\u{85}'];
const U_WORD = ['\\p{Alphabetic}', '\\p{M}', '\\p{Nd}', '\\p{Pc}', '\\p{Join_Control}'];
const U_GRAPH = not(items('\\p{Z}', '\\p{Cc}', '\\p{Cs}', '\\p{Cn}'));
const U_PRINT = not(items('\\p{Zl}', '\\p{Zp}', '\\p{Cc}', '\\p{Cs}', '\\p{Cn}'));
const CASED = ['\\p{Lowercase}', '\\p{Uppercase}', '\\p{Lt}'];

/** POSIX classes: US-ASCII only, as java.util.regex.Pattern documents them. */
const POSIX: Record<string, ClassNode> = {
  Lower: ranges([0x61, 0x7a]),
  Upper: ranges([0x41, 0x5a]),
  ASCII: ranges([0x00, 0x7f]),
  Alpha: ranges([0x41, 0x5a], [0x61, 0x7a]),
  Digit: JAVA_DIGIT,
  Alnum: ranges([0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]),
  Punct: ranges([0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]),
  Graph: ranges([0x21, 0x7e]),
  Print: ranges([0x20, 0x7e]),
  Blank: ranges(single(0x09), single(0x20)),
  Cntrl: ranges([0x00, 0x1f], single(0x7f)),
  XDigit: ranges([0x30, 0x39], [0x41, 0x46], [0x61, 0x66]),
  Space: JAVA_SPACE,
};

/** Unicode binary properties by Java's \p{IsName} names (upper-cased, matched case-insensitively). */
const UNICODE_PROPS: Record<string, ClassNode> = {
  ALPHABETIC: items('\\p{Alphabetic}'), LETTER: items('\\p{L}'), IDEOGRAPHIC: items('\\p{Ideographic}'),
  LOWERCASE: items('\\p{Lowercase}'), UPPERCASE: items('\\p{Uppercase}'), TITLECASE: items('\\p{Lt}'),
  WHITE_SPACE: items(...U_WHITE_SPACE), WHITESPACE: items(...U_WHITE_SPACE), CONTROL: items('\\p{Cc}'),
  PUNCTUATION: items('\\p{P}'), HEX_DIGIT: items('\\p{Nd}', '\\p{Hex_Digit}'), HEXDIGIT: items('\\p{Nd}', '\\p{Hex_Digit}'),
  ASSIGNED: items('\\P{Cn}'), NONCHARACTER_CODE_POINT: items('\\p{Noncharacter_Code_Point}'),
  NONCHARACTERCODEPOINT: items('\\p{Noncharacter_Code_Point}'), DIGIT: items('\\p{Nd}'),
  ALNUM: items('\\p{Alphabetic}', '\\p{Nd}'), BLANK: items('\\p{Zs}', '\\x09'), GRAPH: U_GRAPH, PRINT: U_PRINT,
  WORD: items(...U_WORD), JOIN_CONTROL: items('\\p{Join_Control}'), JOINCONTROL: items('\\p{Join_Control}'),
  EMOJI: items('\\p{Emoji}'), EMOJI_PRESENTATION: items('\\p{Emoji_Presentation}'), EMOJI_MODIFIER: items('\\p{Emoji_Modifier}'),
  EMOJI_MODIFIER_BASE: items('\\p{Emoji_Modifier_Base}'), EMOJI_COMPONENT: items('\\p{Emoji_Component}'),
  EXTENDED_PICTOGRAPHIC: items('\\p{Extended_Pictographic}'),
};

/** POSIX names under (?U) (UNICODE_CHARACTER_CLASS), matched case-insensitively like the JDK. */
const POSIX_UNICODE: Record<string, ClassNode> = {
  ALPHA: items('\\p{Alphabetic}'), LOWER: items('\\p{Lowercase}'), UPPER: items('\\p{Uppercase}'),
  SPACE: items(...U_WHITE_SPACE), PUNCT: items('\\p{P}'), XDIGIT: items('\\p{Nd}', '\\p{Hex_Digit}'),
  ALNUM: items('\\p{Alphabetic}', '\\p{Nd}'), CNTRL: items('\\p{Cc}'), DIGIT: items('\\p{Nd}'),
  BLANK: items('\\p{Zs}', '\\x09'), GRAPH: U_GRAPH, PRINT: U_PRINT,
};

/** java.lang.Character predicates, \p{javaXxx}. */
const JAVA_CHARACTER: Record<string, ClassNode> = {
  javaLowerCase: items('\\p{Lowercase}'), javaUpperCase: items('\\p{Uppercase}'), javaAlphabetic: items('\\p{Alphabetic}'),
  javaIdeographic: items('\\p{Ideographic}'), javaTitleCase: items('\\p{Lt}'), javaDigit: items('\\p{Nd}'),
  javaDefined: items('\\P{Cn}'), javaLetter: items('\\p{L}'), javaLetterOrDigit: items('\\p{L}', '\\p{Nd}'),
  javaSpaceChar: items('\\p{Z}'), javaMirrored: items('\\p{Bidi_Mirrored}'),
  javaISOControl: items('\\x00-\\x1F\\x7F-\\u{9F}'), javaIdentifierIgnorable: items(...IDENTIFIER_IGNORABLE),
  // Character.isWhitespace: space separators except the no-break ones, plus \t-\r and \x1C-\x1F.
  javaWhitespace: items('\\x09-\\x0D\\x1C-\\x20\\u{1680}\\u{2000}-\\u{2006}\\u{2008}-\\u{200A}\\u{2028}\\u{2029}\\u{205F}\\u{3000}'),
  javaJavaIdentifierStart: items('\\p{L}', '\\p{Nl}', '\\p{Sc}', '\\p{Pc}'),
  javaJavaIdentifierPart: items('\\p{L}', '\\p{Nl}', '\\p{Sc}', '\\p{Pc}', '\\p{Nd}', '\\p{Mc}', '\\p{Mn}', ...IDENTIFIER_IGNORABLE),
  javaUnicodeIdentifierStart: items('\\p{L}', '\\p{Nl}'),
  javaUnicodeIdentifierPart: items('\\p{L}', '\\p{Nl}', '\\p{Pc}', '\\p{Nd}', '\\p{Mc}', '\\p{Mn}', ...IDENTIFIER_IGNORABLE),
};

const CATEGORIES = new Set(('Cn Lu Ll Lt Lm Lo Mn Me Mc Nd Nl No Zs Zl Zp Cc Cf Co Cs Pd Ps Pe Pc Po Sm Sc Sk So Pi Pf ' +
  'L M N Z C P S LC').split(' '));

/** Java's CharPredicates.forProperty: general categories, POSIX and java.lang.Character names (case-sensitive). */
function forProperty(name: string, caseInsensitive: boolean): ClassNode | undefined {
  // JDK 13+ (JDK-8214245): case-insensitive matching widens the case-specific classes to all cased letters.
  if (caseInsensitive) {
    if (name === 'Lu' || name === 'Ll' || name === 'Lt') return items('\\p{LC}');
    if (name === 'Lower' || name === 'Upper') return POSIX.Alpha;
    if (name === 'javaLowerCase' || name === 'javaUpperCase' || name === 'javaTitleCase') return items(...CASED);
  }
  if (CATEGORIES.has(name)) return items(`\\p{${name}}`);
  if (name === 'LD') return items('\\p{L}', '\\p{Nd}');
  if (name === 'L1') return ranges([0x00, 0xff]);
  if (name === 'all') return ranges([0, 0x10ffff]);
  return POSIX[name] ?? JAVA_CHARACTER[name];
}

/** Script names are case-insensitive in Java (Character.UnicodeScript.forName); JS wants its canonical spelling. */
function forScript(name: string): ClassNode | undefined {
  const titled = name.toLowerCase().replace(/(^|_)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
  for (const candidate of [name, titled]) {
    try {
      new RegExp(`\\p{Script=${candidate}}`, 'u');
      return items(`\\p{Script=${candidate}}`);
    } catch {
      // not a script name JS knows under this spelling
    }
  }
  return undefined;
}

// --- Case folding (for (?i)) -------------------------------------------------------------------------------------

type CaseEntry = [ch: number, upper: number, lower: number, lowerOfUpper: number];
const ASCII_CASES: CaseEntry[] = [];
for (let c = 0x41; c <= 0x5a; c++) ASCII_CASES.push([c, c, c + 0x20, c + 0x20], [c + 0x20, c, c + 0x20, c + 0x20]);
let unicodeCases: CaseEntry[] | undefined;

/** Code points with a simple (single code point) case mapping; built on first use of (?iu). */
function unicodeCaseTable(): CaseEntry[] {
  if (unicodeCases) return unicodeCases;
  const simple = (s: string, c: number) => ([...s].length === 1 ? cp(s) : c);
  unicodeCases = [];
  for (let c = 0; c < 0x20000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const s = String.fromCodePoint(c);
    const upper = simple(s.toUpperCase(), c);
    const lower = simple(s.toLowerCase(), c);
    const lowerOfUpper = simple(String.fromCodePoint(upper).toLowerCase(), upper);
    if (upper !== c || lower !== c || lowerOfUpper !== c) unicodeCases.push([c, upper, lower, lowerOfUpper]);
  }
  return unicodeCases;
}

/** Adds every code point that Java's case-insensitive single/range matching accepts for `r`. */
function withCaseVariants(r: Range[], unicode: boolean): Range[] {
  const inside = (x: number) => r.some(([lo, hi]) => x >= lo && x <= hi);
  const extra: Range[] = [];
  for (const [c, upper, lower, lowerOfUpper] of unicode ? unicodeCaseTable() : ASCII_CASES) {
    if (!inside(c) && (inside(upper) || inside(lower) || inside(lowerOfUpper))) extra.push(single(c));
  }
  return extra.length ? [...r, ...extra] : r;
}

// --- \Q…\E --------------------------------------------------------------------------------------------------------

/** Java's Pattern.RemoveQEQuoting: quoted text becomes escaped literals before parsing, inside classes too. */
function removeQEQuoting(p: string[]): string[] {
  let i = 0;
  while (i < p.length - 1 && !(p[i] === '\\' && p[i + 1] === 'Q')) i += p[i] === '\\' ? 2 : 1;
  if (i >= p.length - 1) return p;
  const out = p.slice(0, i);
  i += 2;
  let inQuote = true;
  let beginQuote = true;
  while (i < p.length) {
    const c = p[i++]!;
    if (isAsciiLetter(c) || cp(c) > 0x7f) out.push(c);
    else if (isDigit(c)) out.push(...(beginQuote ? ['\\', 'x', '3', c] : [c]));
    else if (c !== '\\') out.push(...(inQuote ? ['\\', c] : [c]));
    else if (inQuote) {
      if (p[i] === 'E') {
        i++;
        inQuote = false;
      } else out.push('\\', '\\');
    } else if (p[i] === 'Q') {
      i++;
      inQuote = true;
      beginQuote = true;
      continue;
    } else {
      out.push(c);
      if (i < p.length) out.push(p[i++]!);
    }
    beginQuote = false;
  }
  return out;
}

// --- Parser -------------------------------------------------------------------------------------------------------

interface Atom { src: string; assertion: boolean }

class Translator {
  private readonly p: string[];
  private pos = 0;
  private flags: Flags = { i: false, m: false, s: false, x: false, d: false, u: false, U: false };
  private groups = 0;
  private helpers = 0;
  private readonly names = new Map<string, number>();
  /** Capturing groups are emitted as named groups only when a backreference may need them. */
  private readonly capture: boolean;
  readonly constructs = new Set<string>();
  readonly approximations = new Set<string>();

  constructor(private readonly pattern: string) {
    const raw = Array.from(pattern);
    this.p = removeQEQuoting(raw);
    if (this.p !== raw) this.constructs.add('\\Q…\\E');
    this.capture = /\\(?:[1-9]|k<)/.test(this.p.join(''));
  }

  translate(): string {
    const src = this.alternation();
    if (this.pos < this.p.length) throw this.error("Unmatched closing ')'");
    return src;
  }

  private error(reason: string): JavaPatternError {
    return new JavaPatternError(this.pattern, this.pos, reason);
  }

  private note(construct: string): void {
    this.constructs.add(construct);
  }

  private codePoint(c: number): void {
    if (c > 0xffff) this.note('supplementary code point');
    else if (c >= 0xd800 && c <= 0xdfff) this.note('lone surrogate');
  }

  /** (?x): whitespace and #-to-end-of-line comments between tokens are ignored. */
  private skipComments(): void {
    if (!this.flags.x) return;
    for (;;) {
      const c = this.p[this.pos];
      if (c !== undefined && /^[\t\n\x0B\f\r ]$/.test(c)) this.pos++;
      else if (c === '#') while (this.pos < this.p.length && !/^[\n\r\u0085\u2028\u2029]$/.test(this.p[this.pos]!)) this.pos++;
      else return;
    }
  }

  private alternation(): string {
    const alternatives = [this.sequence()];
    while (this.p[this.pos] === '|') {
      this.pos++;
      alternatives.push(this.sequence());
    }
    return alternatives.join('|');
  }

  private sequence(): string {
    let out = '';
    for (;;) {
      this.skipComments();
      const c = this.p[this.pos];
      if (c === undefined || c === '|' || c === ')') return out;
      const atom = this.atom();
      if (atom) out += this.closure(atom);
    }
  }

  private atom(): Atom | null {
    const c = this.p[this.pos]!;
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return { src: emitClass(this.parseClass(true)), assertion: false };
      case '\\':
        return this.escape();
      case '^':
        this.pos++;
        return { src: this.caret(), assertion: true };
      case '$':
        this.pos++;
        return { src: this.dollar(this.flags.m), assertion: true };
      case '.':
        this.pos++;
        this.note('.');
        if (this.flags.s) return { src: '[\\s\\S]', assertion: false };
        return { src: emitClass(not(this.flags.d ? ranges(single(0x0a)) : LINE_TERMINATORS)), assertion: false };
      case '*':
      case '+':
      case '?':
        throw this.error(`Dangling meta character '${c}'`);
      case '{':
        // Java starts an empty atom here; its closure then takes the {n,m} (a no-op bound), or fails.
        if (!isDigit(this.p[this.pos + 1])) throw this.error('Illegal repetition');
        this.note('quantifier without atom');
        return { src: '(?:)', assertion: false };
      case ']':
      case '}':
        this.note(`dangling ${c} (literal)`);
        this.pos++;
        return { src: atomChar(cp(c)), assertion: false };
      default:
        this.pos++;
        this.codePoint(cp(c));
        return { src: this.literal(cp(c)), assertion: false };
    }
  }

  /** A literal code point, with (?i) applied. */
  private literal(c: number): string {
    if (!this.flags.i) return atomChar(c);
    const r = withCaseVariants([single(c)], this.flags.u);
    return r.length === 1 ? atomChar(c) : emitClass(ranges(...r));
  }

  private caret(): string {
    if (!this.flags.m) {
      this.note('^');
      return '^';
    }
    this.note('^ (?m)');
    // Java's Caret: after a line terminator (not between \r and \n), never at the very end of input.
    if (this.flags.d) return '(?:^|(?<=\\n))(?!$)';
    return '(?:^|(?<=[\\n\\r\\u{85}\\u{2028}\\u{2029}]))(?!(?<=\\r)\\n)(?!$)';
  }

  /** Java's Dollar: multiline, before any line terminator; otherwise also before one final line terminator. */
  private dollar(multiline: boolean): string {
    this.note(multiline ? '$ (?m)' : '$');
    if (this.flags.d) return multiline ? '(?=\\n|$)' : '(?=\\n?$)';
    if (multiline) return '(?=[\\r\\u{85}\\u{2028}\\u{2029}]|(?<!\\r)\\n|$)';
    return '(?=(?:\\r\\n|(?<!\\r)\\n|[\\r\\u{85}\\u{2028}\\u{2029}])?$)';
  }

  private wordBoundary(negated: boolean): string {
    this.note(negated ? '\\B' : '\\b');
    this.approximations.add('\\b uses Java 8-18 word characters [\\p{L}\\p{Nd}_] (combining marks not special-cased)');
    const w = this.flags.U ? `[${U_WORD.join('')}]` : '[\\p{L}\\p{Nd}_]';
    return negated ? `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))` : `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
  }

  private closure(atom: Atom): string {
    this.skipComments();
    const c = this.p[this.pos];
    let quantifier: string;
    if (c === '*' || c === '+' || c === '?') {
      this.pos++;
      quantifier = c;
    } else if (c === '{' && isDigit(this.p[this.pos + 1])) {
      this.pos++;
      let min = '';
      while (isDigit(this.p[this.pos])) min += this.p[this.pos++];
      let max = min;
      if (this.p[this.pos] === ',') {
        this.pos++;
        max = '';
        while (isDigit(this.p[this.pos])) max += this.p[this.pos++];
      }
      if (this.p[this.pos] !== '}') throw this.error('Unclosed counted closure');
      this.pos++;
      if (max !== '' && Number(max) < Number(min)) throw this.error('Illegal repetition range');
      quantifier = max === min ? `{${min}}` : `{${min},${max}}`;
    } else if (c === '{') {
      throw this.error('Illegal repetition');
    } else {
      return atom.src;
    }
    // JS refuses to quantify an assertion; Java repeats it (a no-op unless the minimum is 0).
    const base = atom.assertion ? `(?:${atom.src})` : atom.src;
    if (atom.assertion) this.note('quantified assertion');
    const suffix = this.p[this.pos];
    if (suffix === '?') {
      this.pos++;
      this.note('lazy quantifier');
      return base + quantifier + '?';
    }
    if (suffix === '+') {
      this.pos++;
      this.note('possessive quantifier');
      return this.atomic(base + quantifier);
    }
    return base + quantifier;
  }

  /** An atomic group: the lookahead matches once and is never re-entered; the backreference consumes its match. */
  private atomic(src: string): string {
    const name = `a${++this.helpers}`;
    return `(?=(?<${name}>${src}))\\k<${name}>`;
  }

  private group(): Atom | null {
    this.pos++; // (
    const saved = { ...this.flags };
    let open = '(?:';
    let assertion = false;
    let atomic = false;
    if (this.p[this.pos] === '?') {
      this.pos++;
      const c = this.p[this.pos];
      if (c === ':') {
        this.pos++;
      } else if (c === '=' || c === '!') {
        this.pos++;
        this.note('lookahead');
        open = `(?${c}`;
        assertion = true;
      } else if (c === '<' && (this.p[this.pos + 1] === '=' || this.p[this.pos + 1] === '!')) {
        open = `(?<${this.p[this.pos + 1]}`;
        this.pos += 2;
        this.note('lookbehind');
        assertion = true;
      } else if (c === '<') {
        this.pos++;
        let name = '';
        if (!isAsciiLetter(this.p[this.pos])) throw this.error('capturing group name does not start with a Latin letter');
        while (isAsciiLetter(this.p[this.pos]) || isDigit(this.p[this.pos])) name += this.p[this.pos++];
        if (this.p[this.pos] !== '>') throw this.error('named capturing group is missing trailing \'>\'');
        this.pos++;
        if (this.names.has(name)) throw this.error(`Named capturing group <${name}> is already defined`);
        this.names.set(name, ++this.groups);
        this.note('named group');
        open = this.capture ? `(?<j${this.groups}>` : '(?:';
      } else if (c === '>') {
        this.pos++;
        this.note('atomic group (?>…)');
        atomic = true;
      } else {
        const scoped = this.inlineFlags();
        if (!scoped) return null; // (?i): applies until the enclosing group closes
      }
    } else {
      ++this.groups;
      open = this.capture ? `(?<j${this.groups}>` : '(?:';
    }
    const body = this.alternation();
    if (this.p[this.pos] !== ')') throw this.error('Unclosed group');
    this.pos++;
    this.flags = saved;
    const src = `${open}${body})`;
    return { src: atomic ? this.atomic(src) : src, assertion };
  }

  /** Parses `idmsuxU-idmsuxU` then `)` (returns false) or `:` (a scoped group, returns true). */
  private inlineFlags(): boolean {
    const leading = this.pos === 2;
    let on = true;
    let letters = '';
    for (;;) {
      const c = this.p[this.pos];
      if (c === '-') on = false;
      else if (c !== undefined && FLAG_LETTERS.includes(c)) {
        this.flags[c as keyof Flags] = on;
        letters += on ? c : `-${c}`;
      } else break;
      this.pos++;
    }
    const end = this.p[this.pos];
    if (end !== ')' && end !== ':') throw this.error('Unknown inline modifier');
    this.pos++;
    for (const f of letters.match(/-?./g) ?? []) this.note(`(?${f})`);
    if (end === ':') this.note('(?flags:…) scoped group');
    else if (!leading) this.note('inline flags mid-pattern');
    return end === ':';
  }

  /** An escape outside a class. */
  private escape(): Atom {
    const start = this.pos;
    const c = this.p[this.pos + 1];
    this.pos += 2;
    const assertion = (src: string) => ({ src, assertion: true });
    const cls = (n: ClassNode) => ({ src: emitClass(n), assertion: false });
    switch (c) {
      case 'A': this.note('\\A'); return assertion('^');
      case 'z': this.note('\\z'); return assertion('$');
      case 'G': this.note('\\G'); return assertion('^');
      case 'Z': this.note('\\Z'); return assertion(this.dollar(false));
      case 'b':
        if (this.p[this.pos] === '{') throw this.error('\\b{g} (grapheme boundary) is not supported');
        return assertion(this.wordBoundary(false));
      case 'B': return assertion(this.wordBoundary(true));
      case 'R':
        this.note('\\R');
        return { src: '(?:\\r\\n|(?!\\r\\n)[\\n\\x0B\\f\\r\\u{85}\\u{2028}\\u{2029}])', assertion: false };
      case 'X':
        this.note('\\X');
        this.approximations.add('\\X is a non-mark code point followed by marks');
        return { src: '(?:\\r\\n|\\P{M}\\p{M}*|\\p{M}+)', assertion: false };
      case 'k': {
        if (this.p[this.pos] !== '<') throw this.error('\\k is not followed by \'<\' for named capturing group');
        const end = this.p.indexOf('>', this.pos);
        const name = this.p.slice(this.pos + 1, end).join('');
        const group = this.names.get(name);
        if (end < 0 || group === undefined) throw this.error(`named capturing group <${name}> does not exist`);
        this.pos = end + 1;
        return { src: this.backreference(group), assertion: false };
      }
      case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9': {
        // Java takes more digits only while the number still names an existing group.
        let n = Number(c);
        while (isDigit(this.p[this.pos]) && n * 10 + Number(this.p[this.pos]) <= this.groups) n = n * 10 + Number(this.p[this.pos++]);
        return { src: this.backreference(n), assertion: false };
      }
      default: {
        this.pos = start;
        const r = this.classEscape(false);
        return typeof r === 'number' ? { src: this.literal(r), assertion: false } : cls(r);
      }
    }
  }

  private backreference(group: number): string {
    this.note('backreference');
    this.approximations.add('a backreference to a group that did not participate matches empty (Java fails)');
    if (this.flags.i) this.approximations.add('a backreference under (?i) is case-sensitive');
    // A group that is not open yet has not matched: Java fails there (outside a loop), JS would match empty.
    return group <= this.groups ? `\\k<j${group}>` : '(?!)';
  }

  /**
   * An escape that can appear in a class (and outside one): a code point, or a class node for \d \p{…} etc.
   * `pos` is at the backslash.
   */
  private classEscape(inClass: boolean): number | ClassNode {
    const c = this.p[this.pos + 1];
    this.pos += 2;
    const U = this.flags.U;
    switch (c) {
      case undefined: throw this.error('Unexpected internal error'); // Java's message for a trailing backslash
      case 'd': this.note('\\d'); return U ? items('\\p{Nd}') : JAVA_DIGIT;
      case 'D': this.note('\\D'); return not(U ? items('\\p{Nd}') : JAVA_DIGIT);
      case 's': this.note('\\s'); return U ? items(...U_WHITE_SPACE) : JAVA_SPACE;
      case 'S': this.note('\\S'); return not(U ? items(...U_WHITE_SPACE) : JAVA_SPACE);
      case 'w': this.note('\\w'); return U ? items(...U_WORD) : JAVA_WORD;
      case 'W': this.note('\\W'); return not(U ? items(...U_WORD) : JAVA_WORD);
      case 'h': this.note('\\h'); return H_SPACE;
      case 'H': this.note('\\H'); return not(H_SPACE);
      case 'v': this.note('\\v'); return V_SPACE;
      case 'V': this.note('\\V'); return not(V_SPACE);
      case 'p':
      case 'P': return this.property(c === 'P');
      case 't': return 0x09;
      case 'n': return 0x0a;
      case 'r': return 0x0d;
      case 'f': return 0x0c;
      case 'a': this.note('\\a \\e \\cX'); return 0x07;
      case 'e': this.note('\\a \\e \\cX'); return 0x1b;
      case 'c': {
        const x = this.p[this.pos++];
        if (x === undefined) throw this.error('Illegal control escape sequence');
        this.note('\\a \\e \\cX');
        return cp(x) ^ 64;
      }
      case '0': {
        this.note('\\0 octal');
        const digits: number[] = [];
        while (digits.length < 3 && isOctal(this.p[this.pos])) digits.push(Number(this.p[this.pos++]));
        if (digits.length === 0) throw this.error('Illegal octal escape sequence');
        if (digits.length === 3 && digits[0]! > 3) {
          this.pos--;
          digits.pop();
        }
        return digits.reduce((n, d) => n * 8 + d, 0);
      }
      case 'x': {
        if (isHexDigit(this.p[this.pos]) && isHexDigit(this.p[this.pos + 1])) {
          this.note('\\xhh');
          this.pos += 2;
          return parseInt(this.p[this.pos - 2]! + this.p[this.pos - 1]!, 16);
        }
        if (this.p[this.pos] === '{' && isHexDigit(this.p[this.pos + 1])) {
          this.note('\\x{h…h}');
          this.pos++;
          let digits = '';
          while (isHexDigit(this.p[this.pos])) digits += this.p[this.pos++];
          if (this.p[this.pos] !== '}') throw this.error('Unclosed hexadecimal escape sequence');
          this.pos++;
          const n = parseInt(digits, 16);
          if (n > 0x10ffff) throw this.error('Hexadecimal codepoint is too big');
          return n;
        }
        throw this.error('Illegal hexadecimal escape sequence');
      }
      case 'u': {
        const first = this.uxxxx();
        this.note('\\uXXXX');
        // Java reads \uD800\uDC00 as one supplementary code point.
        if (first >= 0xd800 && first <= 0xdbff && this.p[this.pos] === '\\' && this.p[this.pos + 1] === 'u') {
          const save = this.pos;
          this.pos += 2;
          const second = this.uxxxx();
          if (second >= 0xdc00 && second <= 0xdfff) {
            this.note('\\uXXXX\\uXXXX surrogate pair');
            return 0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00);
          }
          this.pos = save;
        }
        this.codePoint(first);
        return first;
      }
      case 'N': throw this.error('\\N{name} is not supported');
      default:
        if (isAsciiLetter(c) || (isDigit(c) && inClass)) throw this.error('Illegal/unsupported escape sequence');
        // JS (u mode) accepts \X only for its syntax characters, / and (in a class) -; Java for any punctuation.
        if (cp(c) < 0x80) this.note((inClass ? /^[-^$\\.*+?()[\]{}|/]$/ : /^[\^$\\.*+?()[\]{}|/]$/).test(c) ? 'escaped punctuation' : 'escaped punctuation JS rejects (\\_ \\: \\-)');
        this.codePoint(cp(c));
        return cp(c);
    }
  }

  private uxxxx(): number {
    const digits = this.p.slice(this.pos, this.pos + 4);
    if (digits.length < 4 || !digits.every(isHexDigit)) throw this.error('Illegal Unicode escape sequence');
    this.pos += 4;
    return parseInt(digits.join(''), 16);
  }

  /** \p{Name}, \pL, \P{…}: pos is after the p. */
  private property(complement: boolean): ClassNode {
    let name: string;
    if (this.p[this.pos] === '{') {
      const end = this.p.indexOf('}', this.pos);
      if (end < 0) throw this.error('Unclosed character family');
      name = this.p.slice(this.pos + 1, end).join('');
      if (!name) throw this.error('Empty character family');
      this.pos = end + 1;
    } else {
      name = this.p[this.pos++] ?? '';
    }
    const node = this.resolveProperty(name);
    if (!node) throw this.error(`Unknown character property name {${name}}`);
    this.note(`\\${complement ? 'P' : 'p'}{${name}}`);
    return complement ? not(node) : node;
  }

  private resolveProperty(name: string): ClassNode | undefined {
    const eq = name.indexOf('=');
    if (eq >= 0) {
      const key = name.slice(0, eq).toLowerCase();
      const value = name.slice(eq + 1);
      if (key === 'sc' || key === 'script') return forScript(value);
      if (key === 'gc' || key === 'general_category') return forProperty(value, this.flags.i);
      if (key === 'blk' || key === 'block') throw this.error('Unicode blocks (\\p{block=…}) are not supported');
      return undefined;
    }
    if (name.startsWith('In')) throw this.error('Unicode blocks (\\p{In…}) are not supported');
    if (name.startsWith('Is')) {
      const short = name.slice(2);
      let upper = short.toUpperCase();
      if (this.flags.i && (upper === 'LOWERCASE' || upper === 'UPPERCASE' || upper === 'TITLECASE')) upper = 'CASED_LETTER';
      const prop = upper === 'CASED_LETTER' ? items(...CASED) : UNICODE_PROPS[upper];
      return prop ?? forProperty(short, this.flags.i) ?? forScript(short);
    }
    if (this.flags.U) {
      const posix = POSIX_UNICODE[name.toUpperCase()];
      if (posix) return posix;
    }
    return forProperty(name, this.flags.i);
  }

  /** A character class, following Java's Pattern.clazz (JDK 9+). `bracketed`: pos is at `[`; else a bare operand of `&&`. */
  private parseClass(bracketed: boolean): ClassNode {
    if (bracketed) this.pos++;
    let negated = false;
    if (bracketed && this.p[this.pos] === '^') {
      this.pos++;
      negated = true;
      this.note('negated class');
    }
    let acc: ClassNode | null = null;
    let last: ClassNode | null = null;
    for (;;) {
      this.skipComments();
      const c = this.p[this.pos];
      if (c === undefined) throw this.error('Unclosed character class');
      if (c === '[') {
        this.note('nested class (union)');
        last = this.parseClass(true);
        acc = union(acc, last);
        continue;
      }
      if (c === '&' && this.p[this.pos + 1] === '&') {
        this.note('class intersection &&');
        this.pos += 2;
        let right: ClassNode | null = null;
        for (;;) {
          this.skipComments();
          const d = this.p[this.pos];
          if (d === undefined) throw this.error('Unclosed character class');
          if (d === ']' || d === '&') break;
          // Like Java: nested classes are united, a bare run replaces what came before it.
          right = d === '[' ? union(right, this.parseClass(true)) : this.parseClass(false);
        }
        if (right) last = right;
        if (!acc) {
          if (!right) throw this.error('Bad class syntax');
          acc = right;
        } else {
          acc = { k: 'and', a: acc, b: last! };
        }
        continue;
      }
      if (c === ']' && acc) {
        if (bracketed) this.pos++;
        return negated ? not(acc) : acc;
      }
      if (c === ']') this.note('] first in class (literal)');
      last = this.classRange();
      acc = union(acc, last);
    }
  }

  /** One class element: a code point, a range, or an escape class. Java's Pattern.range. */
  private classRange(): ClassNode {
    const c = this.p[this.pos]!;
    let lo: number;
    if (c === '\\') {
      const escaped = this.classEscape(true);
      if (typeof escaped !== 'number') {
        if (this.p[this.pos] === '-' && this.p[this.pos + 1] !== ']') this.note('- after a class escape (literal)');
        return escaped;
      }
      lo = escaped;
    } else {
      this.pos++;
      lo = cp(c);
    }
    let r: Range = single(lo);
    if (this.p[this.pos] === '-') {
      const end = this.p[this.pos + 1];
      if (end === undefined) throw this.error('Unclosed character class');
      if (end !== '[' && end !== ']') {
        this.pos++;
        const hi = end === '\\' ? this.classEscape(true) : cp(this.p[this.pos++]!);
        if (typeof hi !== 'number' || hi < lo) throw this.error('Illegal character range');
        r = [lo, hi];
      }
    }
    this.codePoint(lo);
    this.codePoint(r[1]);
    return ranges(...(this.flags.i ? withCaseVariants([r], this.flags.u) : [r]));
  }
}

/** Translates a java.util.regex pattern; throws JavaPatternError when Java would reject it (or it is unsupported). */
export function translateJavaPattern(pattern: string): TranslatedPattern {
  const t = new Translator(pattern);
  const source = t.translate();
  return { source, flags: 'u', constructs: [...t.constructs], approximations: [...t.approximations] };
}

/**
 * A translated pattern whose test() cannot be stalled by its input: a pattern prone to catastrophic backtracking,
 * and any input longer than LONG_INPUT, are matched in linear time (linear-regex.ts); V8 matches the rest. Its
 * other methods (exec, source …) are the plain RegExp's. Patterns the linear matcher does not support (a
 * backreference, possessive quantifiers and atomic groups included) are always matched by V8.
 */
export class GuardedRegExp extends RegExp {
  /** Whether the pattern risks catastrophic backtracking (so every input is matched in linear time). */
  readonly risky: boolean;
  private readonly linear: LinearMatcher | undefined;
  private readonly native: RegExp;

  constructor(source: string, flags: string) {
    super(source, flags);
    this.native = new RegExp(source, flags);
    const linear = flags === 'u' ? linearMatcher(source) : undefined;
    this.linear = linear?.matcher;
    this.risky = linear?.risky ?? false;
  }

  /** Whether the linear matcher can run this pattern. */
  get linearTime(): boolean {
    return this.linear !== undefined;
  }

  override test(input: string): boolean {
    const s = String(input);
    if (this.linear && (this.risky || s.length > LONG_INPUT)) return this.linear.test(s);
    return this.native.test(s);
  }

  // exec, match, replace … create instances of the species; those need no guard.
  static override get [Symbol.species]() {
    return RegExp;
  }
}

const compiled = new Map<string, GuardedRegExp | JavaPatternError>();

/**
 * The JavaScript RegExp for a Java pattern, cached (schemas repeat the same patterns). Use it with test():
 * like Matcher.find(), it searches, in bounded time (GuardedRegExp). Throws JavaPatternError.
 */
export function compileJavaPattern(pattern: string): GuardedRegExp {
  let hit = compiled.get(pattern);
  if (!hit) {
    try {
      const t = translateJavaPattern(pattern);
      hit = new GuardedRegExp(t.source, t.flags);
    } catch (err) {
      hit = err instanceof JavaPatternError ? err : new JavaPatternError(pattern, 0, `Translation is not a valid RegExp (${(err as Error).message})`);
    }
    compiled.set(pattern, hit);
  }
  if (hit instanceof JavaPatternError) throw hit;
  return hit;
}
