/**
 * Binary fields readable as URLs (extension, src/rest/binary-field-route.ts): `GET /api/<slug>/<id>/<field>`
 * answers the bytes of a binary field under the rules of a retrieve, typed by their magic numbers, with a
 * strong ETag of the bytes and 304 on `If-None-Match`; every refusal in the contract's `{"error"}` shape.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import { binaryContentType } from '../../src/rest/binary-field-route.js';
import { useServer } from '../helpers/use-server.js';
import { databaseFingerprint, expectError } from './support.js';

const server = useServer();

/** A real 1x1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const PNG_BYTES = Buffer.from(PNG, 'base64');
/** SVG can carry script: it is served sandboxed. */
const SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';

/** A request whose answer is read as bytes (the helper's `request` reads text). */
async function fetchBytes(login: string | null, path: string, method = 'GET', headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: login ? { ...headers, authorization: server.authorization(login) } : headers,
  });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

const ids = async (login: string) =>
  ((await server.request(login, 'GET', '/api/res_partner?fields=id&limit=1000')).body.results as { id: number }[]).map((r) => r.id);

describe('binary fields as URLs', () => {
  let partner = 0;
  let hidden = 0;
  let empty = 0;
  let svgPartner = 0;
  let textPartner = 0;
  let before: Record<string, string> = {};

  it('BIN-00 setup: an image written as admin; a partner the portal user cannot see', async () => {
    const portalIds = new Set(await ids('portal'));
    const all = await ids('admin');
    partner = [...portalIds][0]!;
    hidden = all.find((id) => !portalIds.has(id))!;
    const [first = 0, second = 0, third = 0] = all.filter((id) => id !== partner && id !== hidden);
    [empty, svgPartner, textPartner] = [first, second, third];
    expect(hidden).toBeGreaterThan(0);
    expect(textPartner).toBeGreaterThan(0);
    const images: [number, string | false][] = [
      [partner, PNG],
      [hidden, PNG],
      [empty, false],
      [svgPartner, Buffer.from(SVG).toString('base64')],
      [textPartner, Buffer.from('just text').toString('base64')],
    ];
    for (const [id, image_1920] of images) {
      const written = await server.request('admin', 'PUT', `/api/res_partner/${id}`, { image_1920 });
      expect(written.status, written.text).toBe(200);
    }
    before = databaseFingerprint(server);
  });

  it('BIN-01 GET answers the bytes as image/png, inline, with a strong ETag; If-None-Match gets 304', async () => {
    const path = `/api/res_partner/${partner}/image_1920`;
    const answer = await fetchBytes('admin', path);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('image/png');
    expect(answer.bytes.equals(PNG_BYTES)).toBe(true);
    expect(answer.headers.get('content-length')).toBe(String(PNG_BYTES.length));
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('content-disposition')).toBe(`inline; filename="res_partner-${partner}-image_1920.png"`);
    expect(answer.headers.get('cache-control')).toBe('private, no-cache');
    const tag = answer.headers.get('etag')!;
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);

    const again = await fetchBytes('admin', path, 'GET', { 'if-none-match': tag });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
    expect(again.headers.get('etag')).toBe(tag);
    expect((await fetchBytes('admin', path, 'GET', { 'if-none-match': '"other"' })).status).toBe(200);
    // The portal user sees the same bytes of a partner they may read.
    const asPortal = await fetchBytes('portal', path);
    expect(asPortal.status).toBe(200);
    expect(asPortal.bytes.equals(PNG_BYTES)).toBe(true);
  });

  it('BIN-02 HEAD answers the headers without the body', async () => {
    const head = await fetchBytes('admin', `/api/res_partner/${partner}/image_1920`, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('image/png');
    expect(head.headers.get('etag')).toMatch(/^"/);
    expect(head.headers.get('content-length')).toBe(String(PNG_BYTES.length));
    expect(head.bytes.length).toBe(0);
  });

  it('BIN-03 refusals: 401, 404 model, record or field, 403 hidden record or field, 400 non-binary field, 404 empty', async () => {
    expectError(await server.request(null, 'GET', `/api/res_partner/${partner}/image_1920`), 401);
    expectError(await server.request('admin', 'GET', `/api/no_such_model/${partner}/image_1920`), 404, "unknown model 'no_such_model'");
    expectError(await server.request('admin', 'GET', '/api/res_partner/999999/image_1920'), 404, /999999/);
    expectError(await server.request('portal', 'GET', `/api/res_partner/${hidden}/image_1920`), 403);
    // A field the model does not have: the contract's unknown route (C-TRANSPORT-06), naming the field.
    expectError(
      await server.request('admin', 'GET', `/api/res_partner/${partner}/no_such_field`),
      404,
      `no route GET /api/res_partner/${partner}/no_such_field: res.partner has no field 'no_such_field'`,
    );
    expectError(await server.request('admin', 'GET', `/api/res_partner/${partner}/fields`), 404, /has no field 'fields'/);
    expectError(await server.request('admin', 'GET', `/api/res_partner/${partner}/name`), 400, /'name'.*not binary/);
    // A field the portal user may not read (employee-only): 403, whatever its type.
    expectError(await server.request('portal', 'GET', `/api/res_partner/${partner}/comment`), 403);
    expectError(await server.request('admin', 'GET', `/api/res_partner/abc/image_1920`), 400, /invalid record id 'abc'/);
    expectError(await server.request('admin', 'GET', `/api/res_partner/${partner}/bad-name`), 400, /invalid field name 'bad-name'/);
    expectError(
      await server.request('admin', 'GET', `/api/res_partner/${empty}/image_1920`),
      404,
      `res.partner record ${empty} has no image_1920`,
    );
    // Other methods: unknown routes, as the contract has them (`POST /api/sale_order/1/confirm` is 404).
    // POST on this path is a business action's (action-route.ts): a field is no action.
    expectError(
      await server.request('admin', 'POST', `/api/res_partner/${partner}/image_1920`, {}),
      404,
      "res.partner has no action 'image_1920' (it has no actions here)",
    );
  });

  it('BIN-04 the static /fields route still answers the field metadata', async () => {
    const fields = await server.request('admin', 'GET', '/api/sale_order/fields');
    expect(fields.status).toBe(200);
    expect(fields.body.name.type).toBe('char');
  });

  it('BIN-05 the bytes are typed by their magic numbers; SVG is sandboxed', async () => {
    expect(binaryContentType(Buffer.from('\xff\xd8\xff\xe0', 'latin1')).mediaType).toBe('image/jpeg');
    expect(binaryContentType(Buffer.from('GIF89a...')).mediaType).toBe('image/gif');
    expect(binaryContentType(Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1')).mediaType).toBe('image/webp');
    expect(binaryContentType(Buffer.from('%PDF-1.7')).mediaType).toBe('application/pdf');
    expect(binaryContentType(Buffer.from('<?xml version="1.0"?><svg xmlns="x"/>')).mediaType).toBe('image/svg+xml');
    expect(binaryContentType(Buffer.from('<?xml version="1.0"?><html/>'))).toEqual({
      mediaType: 'application/octet-stream',
      inline: false,
    });

    const answer = await fetchBytes('admin', `/api/res_partner/${svgPartner}/image_1920`);
    expect(answer.headers.get('content-type')).toBe('image/svg+xml');
    expect(answer.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox");
    expect(answer.bytes.toString()).toBe(SVG);

    const plain = await fetchBytes('admin', `/api/res_partner/${textPartner}/image_1920`);
    expect(plain.headers.get('content-type')).toBe('application/octet-stream');
    expect(plain.headers.get('content-disposition')).toBe(`attachment; filename="res_partner-${textPartner}-image_1920"`);
  });

  it('BIN-06 BACKEND=proxy forwards the route: the same bytes and headers, 304 and refusals', async () => {
    const proxy = await createApp(testConfig({ LOG_LEVEL: 'silent', BACKEND: 'proxy', UPSTREAM_URL: server.url }));
    try {
      const url = await proxy.server.listen({ host: '127.0.0.1', port: 0 });
      const authorization = server.authorization('admin');
      const direct = await fetchBytes('admin', `/api/res_partner/${svgPartner}/image_1920`);
      const proxied = await fetch(`${url}/api/res_partner/${svgPartner}/image_1920`, { headers: { authorization } });
      expect(proxied.status).toBe(200);
      expect(Buffer.from(await proxied.arrayBuffer()).equals(direct.bytes)).toBe(true);
      for (const name of ['content-type', 'content-length', 'content-disposition', 'content-security-policy', 'etag', 'cache-control']) {
        expect(proxied.headers.get(name), name).toBe(direct.headers.get(name));
      }
      const tag = direct.headers.get('etag')!;
      const again = await fetch(`${url}/api/res_partner/${svgPartner}/image_1920`, { headers: { authorization, 'if-none-match': tag } });
      expect(again.status).toBe(304);
      const refused = await fetch(`${url}/api/res_partner/${svgPartner}/name`, { headers: { authorization } });
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-security-policy')).not.toMatch(/sandbox/);
      expect(((await refused.json()) as { error: string }).error).toMatch(/'name'/);
    } finally {
      await proxy.close();
    }
  });

  it('BIN-07 /openapi.json documents it as getBinaryField: binary content, 304, the field name as a path parameter', async () => {
    const doc = (await server.request(null, 'GET', '/openapi.json')).body;
    const operation = doc.paths['/api/{slug}/{id}/{field}'].get;
    expect(operation.operationId).toBe('getBinaryField');
    expect(operation.responses['200'].content['image/png'].schema).toEqual({ type: 'string', format: 'binary' });
    expect(operation.responses['200'].content['application/octet-stream'].schema).toEqual({ type: 'string', format: 'binary' });
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['304', '400', '401', '403', '404']));
    expect(operation.parameters.find((p: { name: string }) => p.name === 'field')).toMatchObject({ in: 'path', required: true });
  });

  it('BIN-08 none of these reads changed the database', () => {
    expect(databaseFingerprint(server)).toEqual(before);
  });
});
