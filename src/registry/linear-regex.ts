// Linear-time matching for the RegExps java-regex.ts emits, so that a hostile string cannot stall the server.
//
// V8's RegExp engine backtracks. Some official patterns take exponential time on a crafted string (WAFv2's
// JsonPointerPath `^[\/]+([^~]*(~[01])*)*{1,512}$`: 2 s for 50 characters), and any pattern whose quantifiers
// overlap takes polynomial time on a long one (`[a-z]+=` searched in 50,000 letters: 2.6 s). This module runs a
// pattern as a Thompson NFA simulation instead: every position of the input is visited once with the set of NFA
// states alive there, so a test costs O(input length × pattern size), whatever the input.
//
// The structure (alternation, concatenation, repetition, groups) is simulated here; everything that looks at one
// code point (a class, a literal, \p{…}) and every zero-width assertion (^, $, lookarounds, \b) is evaluated by
// V8 itself, one code point or one position at a time, so their meaning is exactly the native one; a lookahead
// whose own body could backtrack badly is simulated too, from the position where it is tested. Only the existence
// of a match matters (RegExp#test), so greedy/lazy and capture groups make no difference. Not supported: a
// backreference (java-regex.ts writes possessive quantifiers and atomic groups with one), a lookbehind whose body
// could backtrack badly, a program over MAX_PROGRAM instructions.
//
// GuardedRegExp (java-regex.ts) decides per call: this matcher for a pattern prone to catastrophic backtracking
// (a repetition holding another repetition or an alternation: ambiguity that can grow exponentially), and for any
// input longer than LONG_INPUT (where even polynomial backtracking is too slow); V8 otherwise (faster on the
// short strings most models carry). The cost is bounded by input length × program size: a long counted
// repetition keeps many states alive (WAFv2's Description pattern, `…+[…]{1,256}$`: ~250 ms for 50 KB, where V8
// takes ~45 ms; see bench/).

/** Inputs longer than this (UTF-16 units) are matched in linear time whatever the pattern. */
export const LONG_INPUT = 256;
/** Largest program (instructions, counted repetitions expanded) run by the linear matcher. */
const MAX_PROGRAM = 100_000;

type Node =
  | { k: 'atom'; src: string } // exactly one code point
  | { k: 'assert'; src: string; lookahead?: { body: Node; negated: boolean } } // zero-width
  | { k: 'seq'; items: Node[] }
  | { k: 'alt'; items: Node[] }
  | { k: 'rep'; body: Node; min: number; max: number };

class Unsupported extends Error {}

/** Marks a backreference inside a lookaround (which V8 evaluates as a whole). */
const BACKREFERENCE = '\\k';
const hasBackreference = (n: Node): boolean =>
  n.k === 'assert' ? n.src === BACKREFERENCE : n.k === 'rep' ? hasBackreference(n.body) : n.k === 'atom' ? false : n.items.some(hasBackreference);

const ESCAPE = /\\(?:[pP]\{[^}]*\}|u\{[0-9A-Fa-f]+\}|u[dD][89abAB][0-9A-Fa-f]{2}\\u[dD][c-fC-F][0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|c[A-Za-z]|k<[^>]*>|[1-9]\d*|[^])/y;

/** Parses the u-mode RegExp syntax java-regex.ts emits (and the rest of u-mode syntax but backreferences). */
class Parser {
  private pos = 0;
  /** Set when a lookaround's body is itself at risk of backtracking (it is evaluated natively). */
  riskyAssertion = false;
  constructor(private readonly s: string) {}

  parse(): Node {
    const node = this.alternation(false);
    if (this.pos < this.s.length) throw new Unsupported(`unexpected ${this.s[this.pos]} at ${this.pos}`);
    return node;
  }

  private alternation(inAssertion: boolean): Node {
    const branches = [this.sequence(inAssertion)];
    while (this.s[this.pos] === '|') {
      this.pos++;
      branches.push(this.sequence(inAssertion));
    }
    return branches.length === 1 ? branches[0]! : { k: 'alt', items: branches };
  }

  private sequence(inAssertion: boolean): Node {
    const items: Node[] = [];
    while (this.pos < this.s.length && this.s[this.pos] !== '|' && this.s[this.pos] !== ')') {
      const atom = this.atom(inAssertion);
      items.push(this.quantified(atom));
    }
    return items.length === 1 ? items[0]! : { k: 'seq', items };
  }

  private quantified(atom: Node): Node {
    let node = atom;
    for (;;) {
      const c = this.s[this.pos];
      let min: number;
      let max: number;
      if (c === '*') [min, max] = [0, Infinity];
      else if (c === '+') [min, max] = [1, Infinity];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.s.slice(this.pos));
        if (!m) throw new Unsupported('bad quantifier');
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        this.pos += m[0].length - 1;
      } else return node;
      this.pos++;
      if (this.s[this.pos] === '?') this.pos++; // lazy: the same language
      node = { k: 'rep', body: node, min, max };
    }
  }

  private atom(inAssertion: boolean): Node {
    const start = this.pos;
    const c = this.s[this.pos]!;
    if (c === '(') return this.group(inAssertion);
    if (c === '[') {
      this.pos++;
      if (this.s[this.pos] === '^') this.pos++;
      while (this.pos < this.s.length && this.s[this.pos] !== ']') this.pos += this.s[this.pos] === '\\' ? this.escapeLength() : 1;
      if (this.s[this.pos] !== ']') throw new Unsupported('unclosed class');
      this.pos++;
      return { k: 'atom', src: this.s.slice(start, this.pos) };
    }
    if (c === '^' || c === '$') {
      this.pos++;
      return { k: 'assert', src: c };
    }
    if (c === '\\') {
      const next = this.s[this.pos + 1];
      const backreference = next === 'k' || (next !== undefined && next >= '1' && next <= '9');
      if (backreference && !inAssertion) throw new Unsupported('backreference');
      this.pos += this.escapeLength();
      const src = this.s.slice(start, this.pos);
      if (backreference) return { k: 'assert', src: BACKREFERENCE }; // only inside a lookaround evaluated by V8
      return next === 'b' || next === 'B' ? { k: 'assert', src } : { k: 'atom', src };
    }
    const cp = this.s.codePointAt(this.pos)!;
    this.pos += cp > 0xffff ? 2 : 1;
    return { k: 'atom', src: this.s.slice(start, this.pos) };
  }

  /** Length of the escape at pos (a backslash and what it takes). */
  private escapeLength(): number {
    ESCAPE.lastIndex = this.pos;
    const m = ESCAPE.exec(this.s);
    if (!m) throw new Unsupported('bad escape');
    return m[0].length;
  }

  private group(inAssertion: boolean): Node {
    const start = this.pos;
    this.pos++;
    let lookaround = false;
    if (this.s[this.pos] === '?') {
      const m = /^\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(this.s.slice(this.pos, this.pos + 64));
      if (!m) throw new Unsupported('unknown group');
      lookaround = m[0] === '?=' || m[0] === '?!' || m[0] === '?<=' || m[0] === '?<!';
      this.pos += m[0].length;
    }
    const inner = this.alternation(inAssertion || lookaround);
    if (this.s[this.pos] !== ')') throw new Unsupported('unclosed group');
    this.pos++;
    if (!lookaround) return inner;
    const src = this.s.slice(start, this.pos);
    if (!risky(inner)) return { k: 'assert', src };
    // A lookahead that could backtrack catastrophically is simulated too, anchored where it is tested.
    if (src.startsWith('(?<') || hasBackreference(inner)) this.riskyAssertion = true;
    return { k: 'assert', src, lookahead: { body: inner, negated: src.startsWith('(?!') } };
  }
}

const consumes = (n: Node): boolean =>
  n.k === 'atom' || (n.k === 'rep' && n.max > 0 && consumes(n.body)) || ((n.k === 'seq' || n.k === 'alt') && n.items.some(consumes));

/** A repetition holding a repetition or an alternation that consumes: the ambiguity backtracking explodes on. */
function risky(n: Node, underRepetition = false): boolean {
  switch (n.k) {
    case 'atom': return false;
    case 'assert': return n.lookahead !== undefined; // a lookahead whose own body is risky
    case 'seq': return n.items.some((x) => risky(x, underRepetition));
    case 'alt': return (underRepetition && n.items.filter(consumes).length > 1) || n.items.some((x) => risky(x, underRepetition));
    case 'rep':
      if (underRepetition && n.max > 1 && consumes(n.body)) return true;
      return risky(n.body, underRepetition || n.max > 1);
  }
}

// --- Program --------------------------------------------------------------------------------------------------

const CHAR = 0;
const SPLIT = 1;
const JMP = 2;
const ASSERT = 3;
const MATCH = 4;

interface Program {
  op: number[];
  a: number[];
  b: number[];
  atoms: string[];
  asserts: Array<Extract<Node, { k: 'assert' }>>;
}

function emit(p: Program, n: Node): void {
  if (p.op.length > MAX_PROGRAM) throw new Unsupported('program too large');
  const push = (op: number, a = 0, b = 0) => {
    p.op.push(op);
    p.a.push(a);
    p.b.push(b);
    return p.op.length - 1;
  };
  switch (n.k) {
    case 'atom': {
      let i = p.atoms.indexOf(n.src);
      if (i < 0) i = p.atoms.push(n.src) - 1;
      push(CHAR, i);
      return;
    }
    case 'assert': {
      let i = p.asserts.findIndex((x) => x.src === n.src);
      if (i < 0) i = p.asserts.push(n) - 1;
      push(ASSERT, i);
      return;
    }
    case 'seq':
      for (const item of n.items) emit(p, item);
      return;
    case 'alt': {
      // SPLIT L1, next; L1: branch; JMP end; next: SPLIT …; last branch; end:
      const jumps: number[] = [];
      n.items.forEach((item, k) => {
        if (k < n.items.length - 1) {
          const split = push(SPLIT, p.op.length + 1);
          emit(p, item);
          jumps.push(push(JMP));
          p.b[split] = p.op.length;
        } else emit(p, item);
      });
      for (const j of jumps) p.a[j] = p.op.length;
      return;
    }
    case 'rep': {
      if (!consumes(n.body)) {
        // Repeating what consumes nothing ("(?:){1,512}", an assertion) is the same as matching it at most once.
        if (n.min > 0) emit(p, n.body);
        return;
      }
      for (let k = 0; k < n.min; k++) emit(p, n.body);
      if (n.max === Infinity) {
        const split = push(SPLIT, p.op.length + 1);
        emit(p, n.body);
        push(JMP, split);
        p.b[split] = p.op.length;
      } else {
        const splits: number[] = [];
        for (let k = n.min; k < n.max; k++) {
          splits.push(push(SPLIT, p.op.length + 1));
          emit(p, n.body);
        }
        for (const s of splits) p.b[s] = p.op.length;
      }
      return;
    }
  }
}

/** A compiled linear-time matcher with RegExp#test's meaning (an unanchored search). */
export interface LinearMatcher {
  test(input: string): boolean;
}

/**
 * The linear-time matcher of a u-mode RegExp source, and whether the pattern risks catastrophic backtracking.
 * Undefined when the source is not supported (see the header).
 */
export function linearMatcher(source: string): { matcher: LinearMatcher; risky: boolean } | undefined {
  const parser = new Parser(source);
  try {
    const tree = parser.parse();
    if (parser.riskyAssertion) return undefined;
    const run = simulator(compile(tree));
    return { matcher: { test: (input: string) => run(input, 0, false) }, risky: risky(tree) };
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}

function compile(tree: Node): Program {
  const program: Program = { op: [], a: [], b: [], atoms: [], asserts: [] };
  emit(program, tree);
  program.op.push(MATCH);
  program.a.push(0);
  program.b.push(0);
  if (program.op.length > MAX_PROGRAM) throw new Unsupported('program too large');
  return program;
}

/**
 * Runs a program over `s` from UTF-16 index `from`: true when it can reach MATCH. `anchored`: only a match
 * starting at `from` counts (a lookahead); otherwise one may start at any later code point (RegExp#test).
 */
type Run = (s: string, from: number, anchored: boolean) => boolean;

function simulator(p: Program): Run {
  const { op, a, b } = p;
  const size = op.length;
  // One code point: a class test by V8, memoized per code point (the alphabet of an input is small).
  const atomTests = p.atoms.map((src) => {
    const re = new RegExp(`^(?:${src})$`, 'u');
    const ascii = new Int8Array(128).fill(-1);
    const memo = new Map<number, boolean>();
    return (cp: number): boolean => {
      if (cp < 128) {
        if (ascii[cp] === -1) ascii[cp] = re.test(String.fromCharCode(cp)) ? 1 : 0;
        return ascii[cp] === 1;
      }
      let hit = memo.get(cp);
      if (hit === undefined) {
        hit = re.test(String.fromCodePoint(cp));
        if (memo.size < 4096) memo.set(cp, hit);
      }
      return hit;
    };
  });
  // Per position, each distinct atom is tested once (a counted repetition repeats one atom many times).
  const atomMark = new Int32Array(p.atoms.length);
  const atomValue = new Uint8Array(p.atoms.length);
  // A zero-width assertion at a position: the assertion alone, sticky at that index (V8), or, for a lookahead
  // that could backtrack badly, its body simulated from that index.
  const assertTests = p.asserts.map((n): ((s: string, i: number) => boolean) => {
    if (n.src === '^') return (_s, i) => i === 0;
    if (n.src === '$') return (s, i) => i === s.length;
    if (n.lookahead) {
      const body = simulator(compile(n.lookahead.body));
      const negated = n.lookahead.negated;
      return (s, i) => body(s, i, true) !== negated;
    }
    const re = new RegExp(n.src, 'uy');
    return (s, i) => {
      re.lastIndex = i;
      return re.test(s);
    };
  });

  // Buffers reused by every run; `stamp` makes clearing them unnecessary (a list holds pc when mark[pc] = stamp).
  let current = new Int32Array(size);
  let next = new Int32Array(size);
  const mark = new Int32Array(size);
  const assertMark = new Int32Array(p.asserts.length);
  const assertValue = new Uint8Array(p.asserts.length);
  const stack = new Int32Array(size * 2 + 2);
  let stamp = 0;

  return (s, from, anchored) => {
    if (stamp > 0x3fffffff) {
      stamp = 0;
      mark.fill(0);
      assertMark.fill(0);
      atomMark.fill(0);
    }
    let currentCount = 0;
    let nextCount = 0;
    let matched = false;
    stamp++;

    /** Adds `start` and what it reaches without consuming, at UTF-16 index i, to `next` (as of `stamp`). */
    const addClosure = (start: number, i: number): void => {
      let sp = 0;
      stack[sp++] = start;
      while (sp > 0) {
        const pc = stack[--sp]!;
        if (mark[pc] === stamp) continue;
        mark[pc] = stamp;
        switch (op[pc]) {
          case CHAR:
            next[nextCount++] = pc;
            break;
          case MATCH:
            matched = true;
            return;
          case JMP:
            stack[sp++] = a[pc]!;
            break;
          case SPLIT:
            stack[sp++] = b[pc]!;
            stack[sp++] = a[pc]!;
            break;
          case ASSERT: {
            const k = a[pc]!;
            if (assertMark[k] !== stamp) {
              assertMark[k] = stamp;
              assertValue[k] = assertTests[k]!(s, i) ? 1 : 0;
            }
            if (assertValue[k]) stack[sp++] = pc + 1;
            break;
          }
        }
      }
    };

    let i = from;
    addClosure(0, i);
    for (;;) {
      if (matched) return true;
      [current, next] = [next, current];
      currentCount = nextCount;
      nextCount = 0;
      if (i >= s.length || (currentCount === 0 && anchored)) return false;
      const cp = s.codePointAt(i)!;
      const width = cp > 0xffff ? 2 : 1;
      stamp++; // the next position
      for (let k = 0; k < currentCount && !matched; k++) {
        const pc = current[k]!;
        const atom = a[pc]!;
        if (atomMark[atom] !== stamp) {
          atomMark[atom] = stamp;
          atomValue[atom] = atomTests[atom]!(cp) ? 1 : 0;
        }
        if (atomValue[atom]) addClosure(pc + 1, i + width);
      }
      i += width;
      if (!anchored && !matched) addClosure(0, i); // a match may start at every code point boundary
    }
  };
}
