/** The curl sample: one shell command, the JSON body in a quoted here-document. */
import { heredoc, isShellDoubleQuoteSafe, shellWord } from './literals.ts';
import { encodeStrict, ENV, PLACEHOLDER_KEY, type SampleRequest } from './request.ts';

/** The query string, every value percent-encoded (`+` as `%2B`). */
function queryString(req: SampleRequest): string {
  const pairs = req.query.flatMap((q) => q.values.map((v) => `${encodeStrict(q.name)}=${encodeStrict(v)}`));
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}

export function curlSample(req: SampleRequest): string {
  const rest = `${req.path}${queryString(req)}`;
  const base = `\${${ENV.baseUrl}:-${req.defaultBaseUrl}}`;
  // Inside double quotes so the base URL expands; `?` and `&` must not reach the shell bare.
  const url = isShellDoubleQuoteSafe(rest) ? `"${base}${rest}"` : `"${base}"${shellWord(rest)}`;
  const args: string[] = [];
  if (req.method !== 'GET') args.push(`-X ${req.method}`);
  args.push(url);
  // `${VAR:?message}` stops this very command when the key is unset, even when pasted line by line.
  args.push(`-H "Authorization: Bearer \${${ENV.apiKey}:?set it to your API key}"`);
  for (const h of req.headers) {
    if (h.fresh) args.push(`-H "${h.name}: $(uuidgen 2>/dev/null || cat /proc/sys/kernel/random/uuid)"`);
    else args.push(`-H ${shellWord(`${h.name}: ${h.value}`)}`);
  }
  const lines = [`# Your API key comes from $${ENV.apiKey}`, `# (it looks like ${PLACEHOLDER_KEY}).`];
  if (req.headers.some((h) => h.fresh)) {
    lines.push('# One Idempotency-Key per top-up: resend with the same key to retry.');
  }
  if (req.body === undefined) {
    lines.push(`curl -sS -i --fail-with-body ${args.join(' \\\n  ')}`);
    return lines.join('\n');
  }
  const json = JSON.stringify(req.body, null, 2);
  const doc = heredoc(json);
  args.push(`-H 'Content-Type: application/json'`, `--data-binary @- ${doc.start}`);
  lines.push(`curl -sS -i --fail-with-body ${args.join(' \\\n  ')}`, json, doc.end);
  return lines.join('\n');
}
