/** The Python sample: `requests`, with `params=` for the query and `json=` for the body. */
import { pyFStringText, pyLiteral, pyString } from './literals.ts';
import { ENV, PLACEHOLDER_KEY, type SampleRequest } from './request.ts';

export function pythonSample(req: SampleRequest): string {
  const fresh = req.headers.some((h) => h.fresh);
  const imports = ['import json', 'import os', ...(fresh ? ['import uuid'] : [])];
  const lines = [
    ...imports,
    '',
    'import requests',
    '',
    `# Your API key comes from ${ENV.apiKey}`,
    `# (it looks like ${PLACEHOLDER_KEY}).`,
    `api_key = os.environ.get(${pyString(ENV.apiKey)})`,
    'if not api_key:',
    `    raise SystemExit("Set ${ENV.apiKey} to your API key")`,
    `base_url = os.environ.get(${pyString(ENV.baseUrl)}) or ${pyString(req.defaultBaseUrl)}`,
    '',
    `response = requests.${req.method.toLowerCase()}(`,
    `    f"{base_url}${pyFStringText(req.path)}",`,
  ];
  if (req.query.length > 0) {
    const params = Object.fromEntries(req.query.map((q) => [q.name, q.array ? q.values : q.values[0]]));
    lines.push(`    params=${pyLiteral(params, 1)},`);
  }
  lines.push('    headers={', '        "Authorization": f"Bearer {api_key}",');
  for (const h of req.headers) {
    if (h.fresh) lines.push('        # One key per top-up: resend with the same key to retry.');
    lines.push(`        ${pyString(h.name)}: ${h.fresh ? 'str(uuid.uuid4())' : pyString(h.value)},`);
  }
  lines.push('    },');
  if (req.body !== undefined) lines.push(`    json=${pyLiteral(req.body, 1)},`);
  lines.push(
    '    timeout=30,',
    ')',
    'print(response.status_code, json.dumps(response.json(), indent=2, ensure_ascii=False))',
    'response.raise_for_status()',
  );
  return lines.join('\n');
}
