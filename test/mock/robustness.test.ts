import { connect } from 'node:net';
import { describe, expect, test } from 'vitest';
import { baseUrl, call, errorCode, keys } from './helpers.ts';

/** Sends raw bytes and returns the raw answer (the connection is closed by the server or after the answer). */
function raw(request: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl());
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
      // One full answer is enough: stop at the end of its body.
      const head = data.indexOf('\r\n\r\n');
      const length = /content-length: *(\d+)/i.exec(data)?.[1];
      if (head !== -1 && length !== undefined && data.length >= head + 4 + Number(length)) socket.end();
    });
    socket.on('end', () => resolve(data));
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
  });
}

function bodyOf(response: string): unknown {
  return JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4));
}

async function stillServing(): Promise<void> {
  const reply = await call('GET', '/balance');
  expect(reply.status).toBe(200);
}

/** Nothing in an answer hints at the server's insides. */
function expectNoLeaks(text: string): void {
  expect(text).not.toMatch(/\/work\/|node_modules|\bat \S+ \(|problem\+json|stoplight/i);
}

describe('a malformed request body', () => {
  test('that is not JSON gives 400 MISSING_REQUIRED_FIELD naming the body', async () => {
    const reply = await call('POST', '/topups', { body: '{"phone_number": "+233541112259",' });
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('MISSING_REQUIRED_FIELD');
    expect(reply.body.error.details.fields).toEqual([expect.objectContaining({ field: 'body', issue: 'json' })]);
    expectNoLeaks(reply.text);
    await stillServing();
  });

  test('sent as text/plain gives 400 MISSING_REQUIRED_FIELD naming the content type', async () => {
    const reply = await call('POST', '/topups', {
      body: JSON.stringify({ phone_number: '+233541112259', network_id: 22, product_id: '101' }),
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.details.fields[0].field).toBe('header.Content-Type');
  });

  test('that is a JSON array, or empty, is refused in the envelope', async () => {
    expect(errorCode(await call('POST', '/topups', { body: '[]' }))).toBe('MISSING_REQUIRED_FIELD');
    expect(errorCode(await call('POST', '/topups', { body: '' }))).toBe('MISSING_REQUIRED_FIELD');
  });

  test('of 5 MB with a Content-Length is refused in the envelope and the server keeps serving', async () => {
    const big = JSON.stringify({ phone_number: '+233541112259', network_id: 22, product_id: '101', pad: 'x'.repeat(5 * 1024 * 1024) });
    const reply = await call('POST', '/topups', { body: big });
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('MISSING_REQUIRED_FIELD');
    expect(reply.body.error.details.fields[0].issue).toBe('maxLength');
    await stillServing();
  });

  test('of 5 MB streamed without a Content-Length is refused in the envelope too', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 80) return controller.close();
        sent++;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${baseUrl()}/topups`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${keys().full}`, 'Content-Type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('MISSING_REQUIRED_FIELD');
    await stillServing();
  });
});

describe('an unknown route or method', () => {
  test.each([
    ['GET', '/v2/nothing-here'],
    ['GET', '/v2/topups/1/2/3'],
    ['DELETE', '/v2/balance'],
    ['PUT', '/v2/topups'],
    ['PATCH', '/v2/catalog/networks'],
    ['GET', '/v1/balance'],
    ['GET', '/v2/../../etc/passwd'],
    ['OPTIONS', '/v2/balance'],
  ])('%s %s gives 404 TRANSACTION_NOT_FOUND with resource route', async (method, path) => {
    const url = new URL(baseUrl());
    const reply = await call(method, path, { base: url.origin });
    expect(reply.status).toBe(404);
    expect(errorCode(reply)).toBe('TRANSACTION_NOT_FOUND');
    expect(reply.body.error.details.resource).toBe('route');
    expect(reply.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
    expectNoLeaks(reply.text);
  });
});

describe('hostile headers', () => {
  test('a CR inside a header value is answered with the envelope, not a bare parser error', async () => {
    const response = await raw(`GET /v2/balance HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${keys().full}\rX-Evil: 1\r\n\r\n`);
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
    expect(bodyOf(response)).toMatchObject({ success: false, error: { code: 'MISSING_REQUIRED_FIELD' } });
    await stillServing();
  });

  test('a header line smuggled into Authorization is a separate header and changes nothing', async () => {
    const response = await raw(
      'GET /v2/balance HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ce_live_short\r\nSet-Cookie: pwned=1\r\nConnection: close\r\n\r\n',
    );
    expect(response).toMatch(/^HTTP\/1\.1 401 /);
    expect(response.toLowerCase()).not.toContain('set-cookie');
    expect(bodyOf(response)).toMatchObject({ error: { code: 'INVALID_API_KEY' } });
  });

  test('a 64 KB header is answered with the envelope and the server keeps serving', async () => {
    const response = await raw(`GET /v2/balance HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`);
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
    expect(bodyOf(response)).toMatchObject({ success: false });
    await stillServing();
  });

  test('a request line that is not HTTP is answered with the envelope', async () => {
    const response = await raw('HELLO\r\n\r\n');
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
    expect(bodyOf(response)).toMatchObject({ success: false, error: { code: 'MISSING_REQUIRED_FIELD' } });
    await stillServing();
  });

  test('an Idempotency-Key with control characters is refused as malformed', async () => {
    const response = await raw(
      `POST /v2/topups HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${keys().full}\r\nContent-Type: application/json\r\n` +
        `Idempotency-Key: a\tb\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
    );
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
    const body = bodyOf(response) as { error: { details: { fields: { field: string }[] } } };
    expect(body.error.details.fields.map((f) => f.field)).toContain('header.Idempotency-Key');
  });

  test('a Bearer key with trailing garbage is INVALID_API_KEY, and the answer does not echo it', async () => {
    const reply = await call('GET', '/balance', { key: null, headers: { Authorization: `Bearer ${keys().full}<script>` } });
    expect(reply.status).toBe(401);
    expect(reply.text).not.toContain('<script>');
  });
});

test('percent-encoding that does not decode in a path parameter gives a 400 envelope', async () => {
  const reply = await call('GET', '/topups/%E0%A4%A');
  expect(reply.status).toBe(400);
  expect(errorCode(reply)).toBe('MISSING_REQUIRED_FIELD');
});
