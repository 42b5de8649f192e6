/** How client commands print: an aligned table for people, JSON for scripts (`--output json`). */
export const OUTPUT_FORMATS = ['table', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Columns padded to their widest cell; an empty cell shows "-", as the AWS CLI's tables do. */
export function renderTable(headers: readonly string[], rows: readonly (readonly (string | undefined)[])[]): string {
  const cells = rows.map((row) => headers.map((_, i) => (row[i] === undefined || row[i] === '' ? '-' : oneLine(row[i]!))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: readonly string[]) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  return [line(headers), ...cells.map(line)].join('\n') + '\n';
}

/** A table cell holds one line: control characters (newlines in a status message, say) are shown escaped. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

export function renderJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** An ISO time with milliseconds, or "-". */
export function isoTime(value: Date | string | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  return new Date(value).toISOString();
}
