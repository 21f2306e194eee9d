/**
 * Binary fields as URLs in the typed schema (issue 16): beside every binary field (`image_1920`) a
 * `String` URL field (`image1920Url @odooFile(field: "image_1920")`) giving the path of its bytes on the
 * REST face, `/api/<slug>/<id>/<field>` (src/rest/binary-field-route.ts). Against a real server over
 * loopback: the field and its description for each binary field, the path it gives, the bytes (or 404)
 * that path answers with the caller's credentials, no gateway request for the binary field (seen through a
 * spy on the gateway client, as typed-queries.test.ts sees them), a free field for the cost model, and
 * the reader refusing an `@odooFile` that names no binary field.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationCost, selectOperation } from '../../../src/graphql/operation-cost.js';
import { buildTypedSchema } from '../../../src/graphql/typed/build-typed-schema.js';
import { generateTypedSDL, TYPED_SDL_PRELUDE } from '../../../src/graphql/typed/generate-typed-sdl.js';
import { fileUrlFieldName } from '../../../src/graphql/typed/naming.js';
import { readTypedModels } from '../../../src/graphql/typed/read-typed-models.js';
import { TYPED_FALLBACK_FILE } from '../../../src/graphql/typed/typed-sdl-source.js';
import { useServer } from '../../helpers/use-server.js';
import { graphql, sessionCookie, recordGatewayRequests } from '../graphql-client.js';

const server = useServer();
const run = recordGatewayRequests(server);

/** A real 1x1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const PNG_BYTES = Buffer.from(PNG, 'base64');

/** The `fields` parameter of a request line. */
const fieldsOf = (request: string) => /[?&]fields=([^&]*)/.exec(request)?.[1];

/** GET a path of the server as bytes, with these headers. */
async function fetchBytes(path: string, headers: Record<string, string>) {
  const response = await fetch(`${server.url}${path}`, { headers });
  return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
}

const typedSDL = () => readFileSync(TYPED_FALLBACK_FILE, 'utf8');

describe('typed schema: binary fields as URLs', () => {
  let withImage = 0;
  let empty = 0;

  it('BU-00 setup: a partner with a PNG image (REST PUT, base64), another with none', async () => {
    const list = await server.request('admin', 'GET', '/api/res_partner?fields=id&limit=2&order=id');
    expect(list.status, list.text).toBe(200);
    [withImage, empty] = list.body.results.map((record: { id: number }) => record.id);
    for (const [id, image_1920] of [
      [withImage, PNG],
      [empty, false],
    ] as const) {
      const written = await server.request('admin', 'PUT', `/api/res_partner/${id}`, { image_1920 });
      expect(written.status, written.text).toBe(200);
    }
  });

  it('BU-01 every binary field of every typed model has its URL field (String, @odooFile), with the description', async () => {
    const typed = readTypedModels(parse(typedSDL()));
    let binaries = 0;
    for (const model of typed.byType.values()) {
      const meta = await server.request('admin', 'GET', `/api/${model.slug}/fields`);
      expect(meta.status, meta.text).toBe(200);
      const binary = Object.entries(meta.body as Record<string, { type: string }>)
        .filter(([, field]) => field.type === 'binary')
        .map(([name]) => name);
      binaries += binary.length;
      // The SDL (checked in: schema-print.test.ts holds it to the server's) says the same as the metadata.
      expect(new Map([...model.files.values()].map((file) => [file.name, file.field]))).toEqual(
        new Map(binary.map((field) => [fileUrlFieldName(field), field])),
      );
      const introspection = await graphql(
        server,
        'admin',
        `{ __type(name: "${model.type}") { fields { name description type { kind name } } } }`,
      );
      expect(introspection.body.errors).toBeUndefined();
      const fields = new Map<string, { description: string; type: { kind: string; name: string } }>(
        introspection.body.data!.__type.fields.map((field: any) => [field.name, field]),
      );
      for (const field of binary) {
        const url = fields.get(fileUrlFieldName(field));
        expect(url, `${model.type}.${fileUrlFieldName(field)}`).toBeDefined();
        expect(url!.type).toEqual({ kind: 'SCALAR', name: 'String' });
        // The base64 field stays as it was.
        expect(fields.get(field)!.type).toEqual({ kind: 'SCALAR', name: 'String' });
        const description = url!.description;
        expect(description).toContain(`\`/api/${model.slug}/<id>/${field}\` on this server`);
        expect(description).toContain("resolve against the server's URL");
        expect(description).toMatch(/session cookie .* `<img>`/);
        expect(description).toMatch(/Bearer key, fetch it with the `Authorization` header/);
        expect(description).toContain('404 when the field is empty');
        expect(description).toContain('costs no request');
      }
    }
    // The demo models have one: res.partner's image_1920 (image1920Url).
    expect(binaries).toBeGreaterThanOrEqual(1);
    expect(fileUrlFieldName('image_1920')).toBe('image1920Url');
    expect(typedSDL()).toContain('image1920Url: String @odooFile(field: "image_1920")');
  });

  it('BU-02 image1920Url is /api/res_partner/<id>/image_1920, from one request that does not ask for image_1920', async () => {
    const answer = await run(
      'admin',
      `{ resPartnerList(domain: [["id", "in", [${withImage}, ${empty}]]], order: "id") { results { id image1920Url } } }`,
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data!.resPartnerList.results).toEqual([
      { id: withImage, image1920Url: `/api/res_partner/${withImage}/image_1920` },
      { id: empty, image1920Url: `/api/res_partner/${empty}/image_1920` },
    ]);
    expect(answer.requests).toHaveLength(1);
    expect(answer.requests[0]).toMatch(/^GET \/api\/res_partner\?/);
    // Only the id is read: the URL field adds nothing to the fields asked of REST.
    expect(fieldsOf(answer.requests[0]!)).toBe('id');

    const single = await run('admin', `{ resPartner(id: ${withImage}) { name image1920Url } }`);
    expect(single.body.errors).toBeUndefined();
    expect(single.body.data!.resPartner).toEqual({ name: expect.any(String), image1920Url: `/api/res_partner/${withImage}/image_1920` });
    expect(single.requests).toHaveLength(1);
    expect(fieldsOf(single.requests[0]!)).toBe('name');
    for (const request of [...answer.requests, ...single.requests]) expect(request).not.toContain('image_1920');
  });

  it('BU-03 the path, fetched with the same Bearer key, answers the PNG as image/png; 404 when the field is empty', async () => {
    const answer = await run('admin', `{ a: resPartner(id: ${withImage}) { image1920Url } b: resPartner(id: ${empty}) { image1920Url } }`);
    expect(answer.body.errors).toBeUndefined();
    const authorization = server.authorization('admin');
    const image = await fetchBytes(answer.body.data!.a.image1920Url, { authorization });
    expect(image.status).toBe(200);
    expect(image.type).toMatch(/^image\//);
    expect(image.type).toBe('image/png');
    expect(image.bytes.equals(PNG_BYTES)).toBe(true);
    expect((await fetchBytes(answer.body.data!.b.image1920Url, { authorization })).status).toBe(404);
    // Without credentials: refused (the same access rules as a retrieve).
    expect((await fetchBytes(answer.body.data!.a.image1920Url, {})).status).toBe(401);
  });

  it('BU-04 with a session cookie (what an <img> sends), the query and the path both work', async () => {
    const cookie = await sessionCookie(server, 'admin');
    const answer = await run({ cookie }, `{ resPartner(id: ${withImage}) { image1920Url } }`);
    expect(answer.body.errors).toBeUndefined();
    const image = await fetchBytes(answer.body.data!.resPartner.image1920Url, { cookie });
    expect(image.status).toBe(200);
    expect(image.bytes.equals(PNG_BYTES)).toBe(true);
  });

  it('BU-05 through a many2one selecting only id and the URL: answered from the link, no request for the partners', async () => {
    const answer = await run(
      'admin',
      `{ saleOrderList(limit: 3, order: "id") { results { partner_id partnerRecord { id image1920Url } } } }`,
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.requests).toHaveLength(1);
    expect(answer.requests[0]).toMatch(/^GET \/api\/sale_order\?/);
    expect(fieldsOf(answer.requests[0]!)).toBe('partner_id');
    for (const order of answer.body.data!.saleOrderList.results) {
      expect(order.partnerRecord).toEqual({ id: order.partner_id.id, image1920Url: `/api/res_partner/${order.partner_id.id}/image_1920` });
    }
  });

  it('BU-06 the cost model counts the URL field as a scalar (one per record), like any other', () => {
    const schema = buildTypedSchema(typedSDL());
    const cost = (query: string) => {
      const document = parse(query);
      return operationCost(schema, document, selectOperation(document)!, {}, { defaultListSize: 80, maxListSize: 1000 });
    };
    const withUrl = cost('{ resPartnerList(limit: 10) { results { id image1920Url } } }');
    expect(withUrl).toBe(cost('{ resPartnerList(limit: 10) { results { id name } } }'));
    expect(withUrl).toBe(cost('{ resPartnerList(limit: 10) { results { id } } }') + 10);
  });

  it('BU-07 the reader refuses an @odooFile that names no binary (String) field of its type, saying which', () => {
    const sdl = (urlField: string) => `${TYPED_SDL_PRELUDE}
type Thing @odooModel(name: "x.thing") {
  id: Int!
  image: String
  is_done: Boolean
  partner_id: Many2One
  ${urlField}
}
scalar Many2One
`;
    // What the generator writes reads back.
    expect([
      ...readTypedModels(parse(sdl('imageUrl: String @odooFile(field: "image")')))
        .byType.get('Thing')!
        .files.values(),
    ]).toEqual([{ name: 'imageUrl', field: 'image' }]);
    expect(() => readTypedModels(parse(sdl('isDoneUrl: String @odooFile(field: "is_done")')))).toThrow(
      "typed GraphQL schema: Thing.isDoneUrl must give the URL of a binary field (@odooFile), but 'is_done' is a boolean field, not binary (a binary field is a String)",
    );
    expect(() => readTypedModels(parse(sdl('partnerUrl: String @odooFile(field: "partner_id")')))).toThrow(
      /Thing\.partnerUrl must give the URL of a binary field \(@odooFile\), but 'partner_id' is a many2one field, not binary/,
    );
    expect(() => readTypedModels(parse(sdl('avatarUrl: String @odooFile(field: "avatar")')))).toThrow(
      /Thing\.avatarUrl must give the URL of a binary field \(@odooFile\), but 'avatar' is no field of Thing/,
    );
    expect(() => readTypedModels(parse(sdl('imageUrl: Int @odooFile(field: "image")')))).toThrow(
      /Thing\.imageUrl .* it has type Int, not String/,
    );
  });

  it('BU-08 the generator writes a URL field per binary field, and only for binary ones; the build stops on a clash', () => {
    const sdl = generateTypedSDL(
      [
        {
          model: 'x.thing',
          fields: {
            name: { type: 'char', string: 'Name' },
            datas: { type: 'binary', string: 'File' },
            image_128: { type: 'binary', string: 'Small image' },
          },
        },
      ],
      { types: [], queryFields: [], mutationFields: [] },
    );
    const files = readTypedModels(parse(sdl)).byType.get('XThing')!.files;
    expect([...files.values()]).toEqual([
      { name: 'datasUrl', field: 'datas' },
      { name: 'image128Url', field: 'image_128' },
    ]);
    expect(sdl).not.toContain('nameUrl');
    expect(() =>
      generateTypedSDL([{ model: 'x.thing', fields: { foo_1: { type: 'binary', string: 'A' }, foo1: { type: 'binary', string: 'B' } } }], {
        types: [],
        queryFields: [],
        mutationFields: [],
      }),
    ).toThrow(/'foo1Url' would be both the URL field of x.thing.foo_1 and the URL field of x.thing.foo1/);
  });
});
