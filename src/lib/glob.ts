/**
 * Type-name globs (`*` matches any run of characters, every other character stands for itself), matched in
 * time linear in the glob plus the name: no regex, no backtracking. Fault rules and hooks both use it.
 */

/**
 * Longest glob accepted: a glob longer than the longest type name (196 characters, the TypeName limit of
 * the Cloud Control API) would be a mistake, not a pattern.
 */
export const MAX_GLOB_LENGTH = 196;

/** What the old `^…$` regex's `.` refused to match (no `s` flag): `*` never spans a line break. */
const isLineBreak = (code: number) => code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029;

/** A literal piece between two `*`, with what searching for it needs. */
interface Piece {
  text: string;
  /** Offset of the piece's first line break, or -1. */
  lineBreakAt: number;
  /** Knuth-Morris-Pratt failure table: the longest proper border of text[0..i]. */
  border: Int32Array;
}

/**
 * A compiled glob. `matches` is O(glob + name): the leading and trailing pieces are compared in place, and
 * each middle piece is taken at its leftmost possible position by a KMP scan that starts where the previous
 * piece ended and never steps back in the name. Leftmost is always safe for `*`-only globs: a later
 * position leaves a shorter remainder, so it can never match where the leftmost fails (line breaks, which
 * a `*` may not cross, are handled in findAfterGap).
 */
export class TypeGlob {
  private readonly pieces: Piece[];

  constructor(readonly glob: string) {
    this.pieces = glob.split('*').map((text) => ({ text, lineBreakAt: firstLineBreak(text, 0, text.length), border: borders(text) }));
  }

  matches(name: string): boolean {
    const pieces = this.pieces;
    const first = pieces[0]!.text;
    if (pieces.length === 1) return name === first;
    const last = pieces[pieces.length - 1]!.text;
    const end = name.length - last.length; // where the trailing piece starts
    if (end < first.length || !name.startsWith(first) || !name.endsWith(last)) return false;
    let at = first.length;
    for (let i = 1; i < pieces.length - 1; i++) {
      const found = findAfterGap(pieces[i]!, name, at, end);
      if (found < 0) return false;
      at = found + pieces[i]!.text.length;
    }
    return firstLineBreak(name, at, end) < 0;
  }
}

/**
 * The leftmost start q ≥ from of `piece` in name[from..end) such that the gap name[from..q), which a `*`
 * covers, holds no line break; -1 if none. Reads each character of name[from..q + piece length) once.
 */
function findAfterGap(piece: Piece, name: string, from: number, end: number): number {
  const { text, lineBreakAt, border } = piece;
  if (text.length === 0) return from;
  if (lineBreakAt >= 0) {
    // The gap stops at the first line break, and the piece must supply that break itself: one candidate.
    const lineBreak = firstLineBreak(name, from, end);
    const q = lineBreak - lineBreakAt;
    return lineBreak >= 0 && q >= from && q + text.length <= end && name.startsWith(text, q) ? q : -1;
  }
  // A piece without line breaks cannot contain one, and the gap cannot pass one: the scan stops there.
  let matched = 0;
  for (let i = from; i < end; i++) {
    const code = name.charCodeAt(i);
    if (isLineBreak(code)) return -1;
    while (matched > 0 && text.charCodeAt(matched) !== code) matched = border[matched - 1]!;
    if (text.charCodeAt(matched) === code) matched++;
    if (matched === text.length) return i + 1 - text.length;
  }
  return -1;
}

function firstLineBreak(s: string, from: number, end: number): number {
  for (let i = from; i < end; i++) if (isLineBreak(s.charCodeAt(i))) return i;
  return -1;
}

function borders(text: string): Int32Array {
  const border = new Int32Array(text.length);
  for (let i = 1, k = 0; i < text.length; i++) {
    while (k > 0 && text.charCodeAt(k) !== text.charCodeAt(i)) k = border[k - 1]!;
    if (text.charCodeAt(k) === text.charCodeAt(i)) k++;
    border[i] = k;
  }
  return border;
}
