/** The PHP sample: the curl extension, `http_build_query` for the query, `json_encode` for the body. */
import { phpLiteral, phpString } from './literals.ts';
import { ENV, PLACEHOLDER_KEY, type SampleRequest } from './request.ts';

export function phpSample(req: SampleRequest): string {
  const lines = [
    '<?php',
    `// Your API key comes from ${ENV.apiKey}`,
    `// (it looks like ${PLACEHOLDER_KEY}).`,
    `$apiKey = getenv(${phpString(ENV.apiKey)});`,
    'if (!$apiKey) {',
    `    fwrite(STDERR, "Set ${ENV.apiKey} to your API key\\n");`,
    '    exit(1);',
    '}',
    `$baseUrl = getenv(${phpString(ENV.baseUrl)}) ?: ${phpString(req.defaultBaseUrl)};`,
    '',
  ];
  let url = `$baseUrl . ${phpString(req.path)}`;
  if (req.query.length > 0) {
    const params = Object.fromEntries(req.query.map((q) => [q.name, q.array ? q.values : q.values[0]]));
    if (req.query.some((q) => q.array)) {
      // http_build_query writes arrays as name[0]=a; the API wants name=a&name=b.
      lines.push(`$query = preg_replace('/%5B\\d+%5D=/', '=', http_build_query(${phpLiteral(params)}));`);
    } else {
      lines.push(`$query = http_build_query(${phpLiteral(params)});`);
    }
    url = `$baseUrl . ${phpString(`${req.path}?`)} . $query`;
  }
  const headers = [`        'Authorization: Bearer ' . $apiKey,`];
  for (const h of req.headers) {
    if (h.fresh) {
      headers.push('        // One key per top-up: resend with the same key to retry.');
      headers.push(`        ${phpString(`${h.name}: `)} . bin2hex(random_bytes(16)),`);
    } else {
      headers.push(`        ${phpString(`${h.name}: ${h.value}`)},`);
    }
  }
  if (req.body !== undefined) headers.push(`        'Content-Type: application/json',`);
  lines.push(`$ch = curl_init(${url});`, 'curl_setopt_array($ch, [', '    CURLOPT_RETURNTRANSFER => true,');
  if (req.method !== 'GET') lines.push(`    CURLOPT_CUSTOMREQUEST => ${phpString(req.method)},`);
  lines.push('    CURLOPT_HTTPHEADER => [', ...headers, '    ],');
  if (req.body !== undefined) {
    lines.push(`    CURLOPT_POSTFIELDS => json_encode(${phpLiteral(req.body, 1)}, JSON_THROW_ON_ERROR),`);
  }
  lines.push(
    '    CURLOPT_TIMEOUT => 30,',
    ']);',
    '$response = curl_exec($ch);',
    'if ($response === false) {',
    '    fwrite(STDERR, curl_error($ch) . "\\n");',
    '    exit(1);',
    '}',
    '$status = curl_getinfo($ch, CURLINFO_RESPONSE_CODE);',
    'curl_close($ch);',
    'echo $status, "\\n", $response, "\\n";',
    'exit($status >= 200 && $status < 300 ? 0 : 1);',
  );
  return lines.join('\n');
}
