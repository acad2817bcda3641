/** Small statistics helpers for the bench: medians and ratios, rounded for the table. */

/**
 * The `q` quantile (0 to 1) of a non-empty list, interpolated between the nearest two values: 0.5 is the
 * median (the mean of the middle two for even lengths).
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  return sorted[below]! + (sorted[Math.min(below + 1, sorted.length - 1)]! - sorted[below]!) * (at - below);
}

/** The median of a non-empty list (mean of the middle two for even lengths). */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** The middle half of a list, as its first and third quartiles rounded: how far one run's samples spread. */
export function middleHalf(values: readonly number[], digits = 2): [number, number] {
  return [round(quantile(values, 0.25), digits), round(quantile(values, 0.75), digits)];
}

/** Rounds to `digits` decimals. */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** `a / b` rounded, NaN-safe. */
export function ratio(a: number, b: number, digits = 2): number {
  return b === 0 ? Number.NaN : round(a / b, digits);
}

/** Renders rows as a GitHub-flavoured Markdown table. */
export function markdownTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.map(String).join(' | ')} |`);
  return lines.join('\n');
}

/** Formats a number with thousands separators. */
export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
