/** The JavaScript sample: Node 20+ `fetch`, as an ES module. */
import { jsLiteral, jsString, jsTemplateText } from './literals.ts';
import { ENV, PLACEHOLDER_KEY, type SampleRequest } from './request.ts';

/** The key comment and check. */
function jsPrelude(): string[] {
  return [
    `// Your API key comes from ${ENV.apiKey}`,
    `// (it looks like ${PLACEHOLDER_KEY}).`,
    `const apiKey = process.env.${ENV.apiKey};`,
    `if (!apiKey) throw new Error('Set ${ENV.apiKey} to your API key');`,
  ];
}

/** The `new URLSearchParams(...)` argument: an object, or name/value pairs when a name repeats. */
function jsQueryArgument(req: SampleRequest): string {
  if (req.query.some((q) => q.array)) {
    const pairs = req.query.flatMap((q) => q.values.map((v) => [q.name, v]));
    return jsLiteral(pairs);
  }
  return jsLiteral(Object.fromEntries(req.query.map((q) => [q.name, q.values[0]])));
}

export function javascriptSample(req: SampleRequest): string {
  const lines = [
    '// Node 20+, as an ES module (save as sample.mjs).',
    ...jsPrelude(),
    `const baseUrl = process.env.${ENV.baseUrl} || ${jsString(req.defaultBaseUrl)};`,
    '',
  ];
  let url = `\`\${baseUrl}${jsTemplateText(req.path)}\``;
  if (req.query.length > 0) {
    lines.push(`const query = new URLSearchParams(${jsQueryArgument(req)});`);
    url = `\`\${baseUrl}${jsTemplateText(req.path)}?\${query}\``;
  }
  const headers = [`    Authorization: \`Bearer \${apiKey}\`,`];
  for (const h of req.headers) {
    if (h.fresh) headers.push('    // One key per top-up: resend with the same key to retry.');
    headers.push(`    ${jsString(h.name)}: ${h.fresh ? 'crypto.randomUUID()' : jsString(h.value)},`);
  }
  if (req.body !== undefined) headers.push(`    'Content-Type': 'application/json',`);
  lines.push(`const response = await fetch(${url}, {`);
  if (req.method !== 'GET') lines.push(`  method: ${jsString(req.method)},`);
  lines.push('  headers: {', ...headers, '  },');
  if (req.body !== undefined) lines.push(`  body: JSON.stringify(${jsLiteral(req.body, 1)}),`);
  lines.push(
    '});',
    'const body = await response.json();',
    'console.log(response.status, JSON.stringify(body, null, 2));',
    'if (!response.ok) process.exitCode = 1;',
  );
  return lines.join('\n');
}
