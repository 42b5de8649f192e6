// RFC 6901 JSON Pointer helpers for schema pointers ("/properties/A/B") and resource models.

/** Splits a pointer into unescaped tokens: "/properties/a~1b" -> ["properties", "a/b"]; "" -> []. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`Invalid JSON pointer: ${pointer}`);
  // ~1 before ~0, as RFC 6901 §4 requires, so "~01" becomes "~1" and not "/".
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function formatPointer(tokens: readonly string[]): string {
  return tokens.map((t) => '/' + t.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Schema pointer to model pointer: "/properties/A/B" -> "/A/B". Other pointers are returned unchanged. */
export function propertyPath(pointer: string): string {
  if (pointer === '/properties') return '';
  return pointer.startsWith('/properties/') ? pointer.slice('/properties'.length) : pointer;
}

/** Model tokens of a schema pointer: "/properties/A/B" -> ["A", "B"]. */
export function propertyTokens(pointer: string): string[] {
  return parsePointer(propertyPath(pointer));
}

function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  return typeof v === 'object' && v !== null;
}

/** Array index token per RFC 6901 ("0" or no leading zeros), or undefined. */
function arrayIndex(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}

// Own properties only: "constructor" or "__proto__" must never resolve to something inherited.
function child(container: unknown, token: string): { found: boolean; value?: unknown } {
  if (Array.isArray(container)) {
    const i = arrayIndex(token);
    return i !== undefined && i < container.length ? { found: true, value: container[i] } : { found: false };
  }
  if (isContainer(container) && Object.prototype.hasOwnProperty.call(container, token)) {
    return { found: true, value: (container as Record<string, unknown>)[token] };
  }
  return { found: false };
}

export function getAt(doc: unknown, tokens: readonly string[]): unknown {
  let cur = doc;
  for (const t of tokens) {
    const c = child(cur, t);
    if (!c.found) return undefined;
    cur = c.value;
  }
  return cur;
}

export function hasAt(doc: unknown, tokens: readonly string[]): boolean {
  let cur = doc;
  for (const t of tokens) {
    const c = child(cur, t);
    if (!c.found) return false;
    cur = c.value;
  }
  return true;
}

function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty so a "__proto__" key becomes data, not a prototype swap.
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Sets a value in place, creating missing intermediate objects. "-" appends to an array. */
export function setAt(doc: unknown, tokens: readonly string[], value: unknown): void {
  if (tokens.length === 0) throw new Error('setAt: cannot replace the document root');
  let cur: unknown = doc;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const last = i === tokens.length - 1;
    if (Array.isArray(cur)) {
      const idx = t === '-' ? cur.length : arrayIndex(t);
      if (idx === undefined || idx > cur.length) throw new Error(`setAt: bad array index ${t}`);
      if (last) cur[idx] = value;
      else cur = isContainer(cur[idx]) ? cur[idx] : (cur[idx] = {});
    } else if (isContainer(cur)) {
      const obj = cur as Record<string, unknown>;
      if (last) setOwn(obj, t, value);
      else {
        const c = child(obj, t);
        if (!c.found || !isContainer(c.value)) setOwn(obj, t, {});
        cur = obj[t];
      }
    } else {
      throw new Error(`setAt: ${formatPointer(tokens.slice(0, i))} is not an object`);
    }
  }
}

/** Removes the value in place (array elements are spliced out). Returns whether something was removed. */
export function deleteAt(doc: unknown, tokens: readonly string[]): boolean {
  if (tokens.length === 0) return false;
  const parent = getAt(doc, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1]!;
  if (!child(parent, last).found) return false;
  if (Array.isArray(parent)) parent.splice(arrayIndex(last)!, 1);
  else delete (parent as Record<string, unknown>)[last];
  return true;
}

/**
 * Deep copy of a model without the given schema pointers ("/properties/Arn", "/properties/A/*\/B").
 * "*" is the registry schemas' wildcard for every array element (on objects it is a literal key).
 */
export function withoutPaths<T>(model: T, pointers: readonly string[]): T {
  const copy = structuredClone(model);
  for (const p of pointers) removeMatching(copy, propertyTokens(p), false);
  return copy;
}

/**
 * A model as a read returns it: without the write-only pointers, and without an object those removals
 * emptied. AWS::Lambda::Function's `Code` has only write-only members, and AWS's read has no `Code` at all:
 * a patch of `/Handler` alone then fails "Model validation failed (#: required key [Code] not found)" and one
 * of `/Code` fails "[REPLACE Operation] noSuchPath in source, path provided : //Code" (pulumi/pulumi-aws-native#277;
 * the same error in pulumi/pulumi#12844 and hashicorp/terraform-provider-awscc#1613). An object that was
 * already empty is kept.
 */
export function withoutWriteOnly<T>(model: T, pointers: readonly string[]): T {
  const copy = structuredClone(model);
  for (const p of pointers) removeMatching(copy, propertyTokens(p), true);
  return copy;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function removeMatching(node: unknown, tokens: readonly string[], pruneEmptied: boolean): void {
  if (tokens.length === 0) return;
  const [head, ...rest] = tokens as [string, ...string[]];
  if (head === '*' && Array.isArray(node)) {
    if (rest.length === 0) node.length = 0;
    else for (const el of node) removeMatching(el, rest, pruneEmptied);
    return;
  }
  if (rest.length === 0) {
    // Removing one array element would shift the others; only object members are removed by name.
    if (!Array.isArray(node)) deleteAt(node, [head]);
    return;
  }
  const c = child(node, head);
  if (!c.found) return;
  const before = isPlainObject(c.value) ? Object.keys(c.value).length : 0;
  removeMatching(c.value, rest, pruneEmptied);
  if (pruneEmptied && before > 0 && isPlainObject(c.value) && Object.keys(c.value).length === 0 && !Array.isArray(node)) deleteAt(node, [head]);
}
