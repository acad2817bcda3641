/**
 * Source-code literals for JSON values and strings, one set per sample language. Each is exact
 * for any JSON value: backslashes, `$`, backticks, quotes, control characters, non-ASCII, `{}`,
 * `[]`, `null` and `false` reach the wire byte for byte (test/docs/samples.test.ts proves it by
 * running them).
 */

const hex4 = (c: string) => c.charCodeAt(0).toString(16).padStart(4, '0');

interface LiteralSyntax {
  string: (s: string) => string;
  key: (k: string) => string;
  null: string;
  true: string;
  false: string;
  /** Opening of a non-empty object, given its keys (PHP needs them to pick a form). */
  objectOpen: (keys: string[]) => string;
  objectClose: string;
  emptyObject: string;
  pair: (key: string, value: string) => string;
  arrayOpen: string;
  arrayClose: string;
  emptyArray: string;
  /** Trailing comma after the last entry of a multi-line object or array. */
  trailingComma: boolean;
}

/** What JavaScript and Python write alike (PHP shares the arrays and trailing commas): `{k: v}` objects, `[...]` arrays. */
const BRACKETS = {
  objectOpen: () => '{',
  objectClose: '}',
  emptyObject: '{}',
  pair: (k: string, v: string) => `${k}: ${v}`,
  arrayOpen: '[',
  arrayClose: ']',
  emptyArray: '[]',
  trailingComma: true,
} satisfies Partial<LiteralSyntax>;

function render(value: unknown, syntax: LiteralSyntax, indentUnit: string, depth: number): string {
  const pad = indentUnit.repeat(depth + 1);
  const end = indentUnit.repeat(depth);
  const tail = syntax.trailingComma ? ',' : '';
  if (value === null) return syntax.null;
  if (value === true) return syntax.true;
  if (value === false) return syntax.false;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a JSON number: ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return syntax.string(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return syntax.emptyArray;
    const items = value.map((v) => `${pad}${render(v, syntax, indentUnit, depth + 1)}`);
    return `${syntax.arrayOpen}\n${items.join(',\n')}${tail}\n${end}${syntax.arrayClose}`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return syntax.emptyObject;
    const items = entries.map(([k, v]) => `${pad}${syntax.pair(syntax.key(k), render(v, syntax, indentUnit, depth + 1))}`);
    return `${syntax.objectOpen(entries.map(([k]) => k))}\n${items.join(',\n')}${tail}\n${end}${syntax.objectClose}`;
  }
  throw new Error(`not a JSON value: ${String(value)}`);
}

// ---------------------------------------------------------------- JavaScript / TypeScript

/** A single-quoted JavaScript string literal. */
export function jsString(s: string): string {
  const body = s.replace(/[\\'\u0000-\u001f\u007f\u2028\u2029]/g, (c) => {
    if (c === '\\') return '\\\\';
    if (c === "'") return "\\'";
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${hex4(c)}`;
  });
  return `'${body}'`;
}

/** Text inside a JavaScript template literal (outside `${}`). */
export function jsTemplateText(s: string): string {
  return s.replace(/[\\`]|\$\{/g, (m) => `\\${m}`);
}

const jsSyntax: LiteralSyntax = {
  ...BRACKETS,
  string: jsString,
  // `__proto__: x` in a literal sets the prototype; a computed key makes a real property.
  key: (k) => (k === '__proto__' ? `['__proto__']` : /^[A-Za-z_$][\w$]*$/.test(k) ? k : jsString(k)),
  null: 'null',
  true: 'true',
  false: 'false',
};

/** A JavaScript (and TypeScript) expression for a JSON value, indented for `depth` levels of two spaces. */
export function jsLiteral(value: unknown, depth = 0): string {
  return render(value, jsSyntax, '  ', depth);
}

// ---------------------------------------------------------------- Python

/** A double-quoted Python string literal (JSON's escapes are all valid Python escapes). */
export function pyString(s: string): string {
  return JSON.stringify(s);
}

/** Text inside a Python f-string (outside `{}`). */
export function pyFStringText(s: string): string {
  return JSON.stringify(s).slice(1, -1).replace(/[{}]/g, (c) => c + c);
}

const pySyntax: LiteralSyntax = {
  ...BRACKETS,
  string: pyString,
  key: pyString,
  null: 'None',
  true: 'True',
  false: 'False',
};

/** A Python expression for a JSON value, indented for `depth` levels of four spaces. */
export function pyLiteral(value: unknown, depth = 0): string {
  return render(value, pySyntax, '    ', depth);
}

// ---------------------------------------------------------------- PHP

/**
 * A PHP string literal: single-quoted when it has no control characters (only `\` and `'`
 * are special there), else double-quoted with `$` escaped so nothing interpolates.
 */
export function phpString(s: string): string {
  if (!/[\u0000-\u001f\u007f]/.test(s)) return `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;
  const body = s.replace(/[\\"$\u0000-\u001f\u007f]/g, (c) => {
    const named: Record<string, string> = { '\\': '\\\\', '"': '\\"', $: '\\$', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\u{${c.charCodeAt(0).toString(16)}}`;
  });
  return `"${body}"`;
}

/**
 * PHP arrays become JSON objects under json_encode unless their keys are exactly 0..n-1 (a PHP
 * array casts the key '0' to 0): then, and for an empty object, the literal must be an object.
 */
const looksLikeList = (keys: string[]) => keys.every((k, i) => k === String(i));

const phpSyntax: LiteralSyntax = {
  string: phpString,
  key: phpString,
  null: 'null',
  true: 'true',
  false: 'false',
  ...BRACKETS,
  objectOpen: (keys) => (looksLikeList(keys) ? '(object) [' : '['),
  objectClose: ']',
  emptyObject: 'new stdClass()',
  pair: (k, v) => `${k} => ${v}`,
};

/** A PHP expression whose json_encode is the given JSON value, indented for `depth` levels of four spaces. */
export function phpLiteral(value: unknown, depth = 0): string {
  return render(value, phpSyntax, '    ', depth);
}

// ---------------------------------------------------------------- POSIX shell

/** One shell word: bare when it holds only safe characters, else single-quoted. */
export function shellWord(s: string): string {
  if (/^[\w@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Text that can sit inside shell double quotes unchanged (no `$`, backtick, `\`, `"` or `!`). */
export function isShellDoubleQuoteSafe(s: string): boolean {
  return !/[$`\\"!]/.test(s);
}

/**
 * A quoted here-document: the shell expands nothing inside it. The delimiter is picked so no
 * line of the body can end it early.
 */
export function heredoc(body: string): { start: string; end: string } {
  const lines = new Set(body.split('\n').map((l) => l.trim()));
  let delimiter = 'JSON';
  for (let i = 2; lines.has(delimiter); i++) delimiter = `JSON_${i}`;
  return { start: `<<'${delimiter}'`, end: delimiter };
}
