/**
 * A guard against hostile nesting: JSON such as `[[[[…` a million deep parses, but every recursive
 * walker after it (validators, patchers, structuredClone) would exhaust the stack. One linear scan,
 * skipping strings, answers "deeper than N?" before anything else touches the document.
 */

/** Cloud Control documents are shallow; CloudFormation schemas nest a few dozen levels at most. */
export const MAX_JSON_DEPTH = 64;

export function exceedsDepth(text: string, maxDepth = MAX_JSON_DEPTH): boolean {
  // Each level takes at least one character: short documents (most requests) need no scan.
  if (text.length <= maxDepth) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return false;
}
