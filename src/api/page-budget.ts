/**
 * The byte budget of a response page: how many leading items fit. Shared by ListResources and
 * ListResourceRequests, so no tenant can make one page arbitrarily large by storing large items.
 */

/** The UTF-8 bytes of a response item's strings (the JSON around them is small and fixed per item). */
export function utf8Bytes(...parts: (string | undefined)[]): number {
  let total = 0;
  for (const part of parts) if (part !== undefined) total += Buffer.byteLength(part);
  return total;
}

/**
 * How many leading items of `sizes` a page of `budget` bytes holds: it ends before the item that would take
 * it past the budget, and always holds the first item (one item larger than the budget comes alone), so
 * paging always moves on. 0 only for no items.
 */
export function itemsWithin(sizes: readonly number[], budget: number): number {
  let total = 0;
  for (let i = 0; i < sizes.length; i++) {
    total += sizes[i]!;
    if (i > 0 && total > budget) return i;
  }
  return sizes.length;
}
