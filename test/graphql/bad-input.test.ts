/**
 * Bad input gives GraphQL errors with the right code, and when the input is already known to be
 * invalid (a malformed domain, a wrong scalar, a bad argument, a deep or huge operation, no
 * credentials) nothing reaches the gateway: the gateway client's request counter does not move.
 */
import { describe, expect, it } from 'vitest';
import { useServer } from '../helpers/use-server.js';
import { codes, graphql, type Caller, type GraphQLResponse } from './graphql-client.js';

const server = useServer();

/** Runs an operation and returns its response and how many gateway requests it caused. */
async function run(
  caller: Caller,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ response: GraphQLResponse; sent: number }> {
  const before = server.app.graphql.gateway.requestCount;
  const response = await graphql(server, caller, query, variables);
  return { response, sent: server.app.graphql.gateway.requestCount - before };
}

async function expectRefusedLocally(
  code: string,
  query: string,
  variables?: Record<string, unknown>,
  message?: RegExp,
): Promise<GraphQLResponse> {
  const { response, sent } = await run('admin', query, variables);
  expect(codes(response), JSON.stringify(response.body)).toEqual([code]);
  if (message) expect(response.body.errors?.[0]?.message).toMatch(message);
  expect(sent).toBe(0);
  return response;
}

const RECORDS = 'query($d: Domain) { records(slug: "sale_order", domain: $d) { total } }';

describe('invalid domains: BAD_USER_INPUT, nothing sent', () => {
  const cases: ReadonlyArray<readonly [string, unknown, RegExp]> = [
    ['an unterminated list', "[('state', '=', 'sale')", /position/],
    ['a Python name', "[(state, '=', 'sale')]", /unexpected name 'state' at position 2/],
    ['a function call', "[('date', '<', now())]", /position/],
    ['an unknown operator', "[('state', '~', 'sale')]", /unknown operator '~'/],
    ['a leaf of two items', "[('state', '=')]", /3 items/],
    ['a dangling operator', "['|', ('state', '=', 'sale')]", /expects 2 operands/],
    ['a JSON list holding an object', [['state', '=', { $ne: 1 }]], /object is not allowed/],
    ['a JSON list with a list for =', [['state', '=', ['sale']]], /use 'in'/],
    ['a number', 42, /Domain expects/],
    ['an object', { state: 'sale' }, /Domain expects/],
  ];
  for (const [name, domain, message] of cases) {
    it(`BI-domain ${name} (variable)`, async () => {
      await expectRefusedLocally('BAD_USER_INPUT', RECORDS, { d: domain }, message);
    });
  }
  it('BI-domain literals: a string, a list and a wrong kind of literal', async () => {
    await expectRefusedLocally(
      'BAD_USER_INPUT',
      `{ records(slug: "sale_order", domain: "[('a', 'is', 1)]") { total } }`,
      undefined,
      /unknown operator 'is'/,
    );
    await expectRefusedLocally(
      'BAD_USER_INPUT',
      '{ records(slug: "sale_order", domain: [["a", "=", {b: 1}]]) { total } }',
      undefined,
      /object is not allowed/,
    );
    await expectRefusedLocally(
      'BAD_USER_INPUT',
      '{ records(slug: "sale_order", domain: 12) { total } }',
      undefined,
      /Domain expects a string or a list/,
    );
  });
});

describe('wrong scalar inputs and arguments: BAD_USER_INPUT, nothing sent', () => {
  const CREATE = 'mutation($v: JSONObject!) { createRecord(slug: "res_partner", values: $v) { id } }';
  it('BI-scalar JSONObject values that are not an object', async () => {
    await expectRefusedLocally('BAD_USER_INPUT', CREATE, { v: [1, 2] }, /JSONObject cannot represent/);
    await expectRefusedLocally('BAD_USER_INPUT', CREATE, { v: 'name=x' }, /JSONObject cannot represent/);
    await expectRefusedLocally(
      'BAD_USER_INPUT',
      'mutation { createRecord(slug: "res_partner", values: "x") { id } }',
      undefined,
      /JSONObject cannot represent/,
    );
  });
  it('BI-scalar Many2One values that are not an id, {id} or null', async () => {
    for (const parent of [{ id: 'twelve' }, { id: 12, extra: true }, {}, { id: -1 }, { id: 1.5 }]) {
      await expectRefusedLocally(
        'BAD_USER_INPUT',
        CREATE,
        { v: { name: 'x', parent_id: parent } },
        /values\.parent_id expects a record id/,
      );
    }
  });
  it('BI-scalar field names that cannot be field names', async () => {
    await expectRefusedLocally('BAD_USER_INPUT', CREATE, { v: { 'name; drop': 'x' } }, /invalid field name/);
    await expectRefusedLocally(
      'BAD_USER_INPUT',
      '{ records(slug: "sale_order", fields: ["name", "a b"]) { total } }',
      undefined,
      /invalid field name 'a b'/,
    );
    await expectRefusedLocally('BAD_USER_INPUT', '{ record(slug: "sale_order", id: 1, fields: ["x.y"]) }', undefined, /invalid field name/);
  });
  it('BI-scalar Int arguments out of range or of the wrong type', async () => {
    await expectRefusedLocally(
      'BAD_USER_INPUT',
      '{ records(slug: "sale_order", limit: -1) { total } }',
      undefined,
      /'limit' must be an integer >= 0/,
    );
    await expectRefusedLocally('BAD_USER_INPUT', '{ records(slug: "sale_order", offset: -5) { total } }', undefined, /'offset'/);
    await expectRefusedLocally('BAD_USER_INPUT', '{ record(slug: "sale_order", id: 0) }', undefined, /invalid record id 0/);
    await expectRefusedLocally(
      'BAD_USER_INPUT',
      'mutation { deleteRecord(slug: "sale_order", id: -3) { ok } }',
      undefined,
      /invalid record id -3/,
    );
    await expectRefusedLocally(
      'BAD_USER_INPUT',
      'query($n: Int) { records(slug: "sale_order", limit: $n) { total } }',
      { n: 'ten' },
      /Int cannot represent/,
    );
    await expectRefusedLocally(
      'BAD_USER_INPUT',
      'query($n: Int) { records(slug: "sale_order", limit: $n) { total } }',
      { n: 2 ** 40 },
      /Int cannot represent/,
    );
    await expectRefusedLocally('BAD_USER_INPUT', 'query($id: Int!) { record(slug: "sale_order", id: $id) }', {}, /was not provided/);
  });
  it('BI-scalar an order that is not field [asc|desc]', async () => {
    await expectRefusedLocally(
      'BAD_USER_INPUT',
      '{ records(slug: "sale_order", order: "name; DROP TABLE x") { total } }',
      undefined,
      /invalid term/,
    );
  });
  it('BI-scalar a slug that can name no model is NOT_FOUND without asking', async () => {
    await expectRefusedLocally('NOT_FOUND', '{ records(slug: "../../etc/passwd") { total } }', undefined, /unknown model/);
    await expectRefusedLocally('NOT_FOUND', '{ record(slug: "sale_order/1?x=", id: 1) }', undefined, /unknown model/);
  });
  it('BI-scalar a literal of the wrong GraphQL type is a validation error', async () => {
    await expectRefusedLocally('GRAPHQL_VALIDATION_FAILED', '{ records(slug: "sale_order", limit: "ten") { total } }');
  });
});

describe('what only the gateway knows: one request, its answer mapped', () => {
  it('BI-gw an unknown slug is NOT_FOUND, an unknown field BAD_USER_INPUT', async () => {
    const unknown = await run('admin', '{ records(slug: "no_such_model") { total } }');
    expect([codes(unknown.response), unknown.sent]).toEqual([['NOT_FOUND'], 1]);
    expect(unknown.response.body.errors?.[0]?.message).toBe("unknown model 'no_such_model'");
    const field = await run('admin', '{ records(slug: "sale_order", fields: ["no_such_field"]) { total } }');
    expect([codes(field.response), field.sent]).toEqual([['BAD_USER_INPUT'], 1]);
    const inDomain = await run('admin', RECORDS, { d: [['no_such_field', '=', 1]] });
    expect([codes(inDomain.response), inDomain.sent]).toEqual([['BAD_USER_INPUT'], 1]);
  });
  it('BI-gw an unknown GraphQL field is a validation error, nothing sent', async () => {
    await expectRefusedLocally(
      'GRAPHQL_VALIDATION_FAILED',
      '{ records(slug: "sale_order") { total rows } }',
      undefined,
      /Cannot query field "rows"/,
    );
  });
});

describe('deep or huge operations: refused before execution, nothing sent', () => {
  it('BI-limits a selection deeper than 8 levels', async () => {
    const deep = '{ __type(name: "Query") { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } }';
    await expectRefusedLocally('GRAPHQL_VALIDATION_FAILED', deep, undefined, /depth limit of 8 exceeded/);
  });
  it('BI-limits nested introspection lists (graphql-js MaxIntrospectionDepthRule)', async () => {
    await expectRefusedLocally(
      'GRAPHQL_VALIDATION_FAILED',
      '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }',
      undefined,
      /introspection depth/,
    );
  });
  it('BI-limits more than 15 aliases', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: records(slug: "sale_order") { total }`).join(' ');
    await expectRefusedLocally('GRAPHQL_VALIDATION_FAILED', `{ ${aliases} }`, undefined, /Aliases limit of 15 exceeded/);
  });
  it('BI-limits more than 1000 tokens', async () => {
    await expectRefusedLocally('GRAPHQL_PARSE_FAILED', `{ health { ${'status '.repeat(1000)}} }`, undefined, /Token limit of 1000/);
  });
  it('BI-limits more than 10 directives', async () => {
    await expectRefusedLocally(
      'GRAPHQL_VALIDATION_FAILED',
      `{ health { ${'status @include(if: true) '.repeat(11)}} }`,
      undefined,
      /Directives limit/,
    );
  });
  it('BI-limits a body above BODY_LIMIT is 413', async () => {
    const before = server.app.graphql.gateway.requestCount;
    const response = await graphql(server, 'admin', `{ health { status } } # ${'x'.repeat(server.app.config.BODY_LIMIT)}`);
    expect([response.status, codes(response)]).toEqual([413, ['BAD_REQUEST']]);
    expect(server.app.graphql.gateway.requestCount).toBe(before);
  });
  it("BI-limits GraphiQL's own introspection query passes (as an authenticated caller: the default allows no anonymous introspection)", async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const { response } = await run(
      'admin',
      getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true }),
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.__schema.queryType.name).toBe('Query');
  });
});

describe('credentials', () => {
  for (const [name, query] of [
    ['records', '{ records(slug: "sale_order") { total } }'],
    ['record', '{ record(slug: "sale_order", id: 1) }'],
    ['me', '{ me { uid } }'],
    ['createRecord', 'mutation { createRecord(slug: "res_partner", values: {name: "x"}) { id } }'],
    ['deleteRecord', 'mutation { deleteRecord(slug: "res_partner", id: 1) { ok } }'],
  ] as const) {
    it(`BI-auth ${name} without credentials: UNAUTHENTICATED, HTTP 401, nothing sent`, async () => {
      const { response, sent } = await run(null, query);
      expect([response.status, codes(response), sent]).toEqual([401, ['UNAUTHENTICATED'], 0]);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.body.errors?.[0]?.message).toBe(
        "authentication required: send 'Authorization: Bearer <API key>' or a session_id cookie",
      );
    });
  }
  it('BI-auth health needs none; with a protected field beside it the data stays and the status is 401', async () => {
    const { response } = await run(null, '{ health { status } me { uid } }');
    expect(response.status).toBe(401);
    expect(response.body.data).toBeNull();
    const alone = await run(null, '{ health { status } }');
    expect([alone.response.status, alone.response.body.data]).toEqual([200, { health: { status: 'ok' } }]);
    const partial = await run(null, '{ health { status } record(slug: "sale_order", id: 1) }');
    expect([partial.response.status, partial.response.body.data]).toEqual([401, { health: { status: 'ok' }, record: null }]);
  });
  it('BI-auth a wrong key is UNAUTHENTICATED with the REST message (the gateway decides)', async () => {
    const response = await graphql(server, null, '{ records(slug: "sale_order") { total } }', undefined, {
      authorization: 'Bearer 0123456789abcdef0123456789abcdef01234567',
    });
    expect([response.status, codes(response), response.body.errors?.[0]?.message]).toEqual([
      401,
      ['UNAUTHENTICATED'],
      'invalid or revoked API key',
    ]);
    const scheme = await graphql(server, null, '{ me { uid } }', undefined, { authorization: 'Basic YWRtaW46YWRtaW4=' });
    expect([scheme.status, codes(scheme)]).toEqual([401, ['UNAUTHENTICATED']]);
  });
});

describe('deep JSON and text no record can hold (issue 13): BAD_USER_INPUT naming the field', () => {
  const CREATE = 'mutation($v: JSONObject!) { createRecord(slug: "crm_lead", values: $v) { id } }';
  const nest = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

  /** POSTs a body written as JSON text (JSON.stringify overflows on a few thousand levels). */
  async function runRaw(body: string): Promise<{ response: GraphQLResponse; sent: number }> {
    const before = server.app.graphql.gateway.requestCount;
    const response = await server.request('admin', 'POST', '/graphql', body);
    return { response, sent: server.app.graphql.gateway.requestCount - before };
  }

  function leads(): Promise<number> {
    return server.truth.count('SELECT id FROM crm_lead');
  }

  it('BI-json a variable nested 5,000 deep (createRecord was "Unexpected error."): 400, nothing sent', async () => {
    const before = await leads();
    for (const [value, where] of [
      [`{"name": ${nest(5000)}}`, /at 'variables\.v\.name\[0\]/],
      [`{"name": "x", "partner_id": ${nest(5000)}}`, /at 'variables\.v\.partner_id\[0\]/],
      [`{"name": "x", "tag_ids": [[6, 0, ${nest(5000)}]]}`, /at 'variables\.v\.tag_ids\[0\]\[2\]\[0\]/],
    ] as const) {
      const { response, sent } = await runRaw(`{"query": ${JSON.stringify(CREATE)}, "variables": {"v": ${value}}}`);
      expect([response.status, codes(response), sent], response.text.slice(0, 300)).toEqual([400, ['BAD_USER_INPUT'], 0]);
      expect(response.body.errors?.[0]?.message).toMatch(/^request body is nested deeper than 64 levels, at /);
      expect(response.body.errors?.[0]?.message).toMatch(where);
    }
    expect(await leads()).toBe(before);
  });

  it('BI-json a literal value nested 100 deep in the operation: BAD_USER_INPUT, nothing sent', async () => {
    await expectRefusedLocally(
      'BAD_USER_INPUT',
      `mutation { createRecord(slug: "crm_lead", values: {name: ${nest(100)}}) { id } }`,
      undefined,
      /^JSONObject value is nested deeper than 64 levels, at 'name\[0\]/,
    );
  });

  it('BI-json GET variables nested 1,000 deep: BAD_USER_INPUT, nothing sent', async () => {
    const before = server.app.graphql.gateway.requestCount;
    const query = encodeURIComponent('query($d: Domain) { records(slug: "sale_order", domain: $d) { total } }');
    const answer = await fetch(`${server.url}/graphql?query=${query}&variables={"d":${nest(1000)}}`, {
      headers: { authorization: server.authorization('admin') },
    });
    const body = (await answer.json()) as GraphQLResponse['body'];
    expect([answer.status, body.errors?.map((e) => e.extensions?.code)]).toEqual([400, ['BAD_USER_INPUT']]);
    expect(body.errors?.[0]?.message).toMatch(/^query parameter 'variables' is nested deeper than 64 levels, at 'd\[0\]/);
    expect(server.app.graphql.gateway.requestCount).toBe(before);
  });

  it('BI-text an unpaired surrogate in a variable (was stored as invalid UTF-8): 400, nothing sent', async () => {
    const before = await leads();
    for (const [value, where] of [
      ['{"name": "\\ud800"}', /at 'variables\.v\.name'/],
      ['{"name": "ok", "description": "a \\udc00 b"}', /at 'variables\.v\.description'/],
    ] as const) {
      const { response, sent } = await runRaw(`{"query": ${JSON.stringify(CREATE)}, "variables": {"v": ${value}}}`);
      expect([response.status, codes(response), sent], response.text).toEqual([400, ['BAD_USER_INPUT'], 0]);
      expect(response.body.errors?.[0]?.message).toMatch(/holds a string with an unpaired UTF-16 surrogate/);
      expect(response.body.errors?.[0]?.message).toMatch(where);
    }
    expect(await leads()).toBe(before);
  });

  it('BI-text an unpaired surrogate escape in a literal of the operation is a syntax error (graphql-js), nothing sent', async () => {
    await expectRefusedLocally(
      'GRAPHQL_PARSE_FAILED',
      'mutation { createRecord(slug: "crm_lead", values: {name: "\\ud800"}) { id } }',
      undefined,
      /Invalid Unicode escape sequence/,
    );
  });

  it('BI-text an unpaired surrogate in a domain string: BAD_USER_INPUT, nothing sent', async () => {
    await expectRefusedLocally(
      'BAD_USER_INPUT',
      `{ records(slug: "sale_order", domain: "[('name', '=', '\\\\ud800')]") { total } }`,
      undefined,
      /^Domain: the value of 'name' holds an unpaired UTF-16 surrogate \(\\ud800\)/,
    );
    await expectRefusedLocally(
      'BAD_USER_INPUT',
      RECORDS,
      { d: "[('name', 'in', ['S00001', '\\udfff'])]" },
      /Domain: the value of 'name' holds an unpaired UTF-16 surrogate \(\\udfff\)/,
    );
    await expectRefusedLocally(
      'BAD_USER_INPUT',
      RECORDS,
      { d: [['name', '=', 'a\u0000']] },
      /Domain: the value of 'name' holds a NUL character/,
    );
  });

  it('BI-text a NUL character in a value: the gateway refuses it, BAD_USER_INPUT naming the field, nothing created', async () => {
    const before = await leads();
    const { response, sent } = await run('admin', CREATE, { v: { name: 'a\u0000b' } });
    expect([codes(response), sent]).toEqual([['BAD_USER_INPUT'], 1]);
    expect(response.body.errors?.[0]?.message).toMatch(/'name' .* the text holds a NUL character/);
    expect(await leads()).toBe(before);
  });

  it('BI-text well-formed text passes: an escaped surrogate pair is one emoji', async () => {
    const { response } = await runRaw(`{"query": ${JSON.stringify(CREATE)}, "variables": {"v": {"name": "smile \\ud83d\\ude00"}}}`);
    expect(response.body.errors, response.text).toBeUndefined();
    const id = response.body.data?.createRecord.id as number;
    const read = await run('admin', `{ record(slug: "crm_lead", id: ${id}, fields: ["name"]) }`);
    expect(read.response.body.data?.record.name).toBe('smile \u{1F600}');
  });
});
