/**
 * Who may see the schema (issue 13, item 10). By default (`GRAPHQL_INTROSPECTION=authenticated`) only a
 * caller whose API key or session the gateway accepts: anonymous `__schema`/`__type` is
 * INTROSPECTION_DISABLED with nothing sent, and a key or cookie is checked (one session-info call per
 * operation, shared with `me`), never just looked at. The "Did you mean" suggestions of graphql-js,
 * which spell out the schema one guess at a time, come only with `true`: checking a key for them would
 * send something for an invalid operation, and a caller who may introspect has the schema itself.
 * `true` and `false` keep their meaning.
 */
import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/server.js';
import { useServer } from '../helpers/use-server.js';
import { codes, graphql, sessionCookie, type Caller, type GraphQLResponse } from './graphql-client.js';

const SCHEMA = '{ __schema { queryType { name } } }';
const TYPE = '{ __type(name: "SaleOrder") { name } }';
const GRAPHIQL_INTROSPECTION = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  inputValueDeprecation: true,
});
const STRICT = { accept: 'application/graphql-response+json' };

/** Operations whose errors suggest names, each with the message it gives without its suggestion. */
const SUGGESTING: ReadonlyArray<{ name: string; query: string; variables?: Record<string, unknown>; bare: RegExp; suggestion: RegExp }> = [
  {
    name: 'an unknown field',
    query: '{ saleOrdr(id: 1) { id } }',
    bare: /^Cannot query field "saleOrdr" on type "Query"\.$/,
    suggestion: /Did you mean "saleOrder"/,
  },
  {
    name: 'an unknown argument',
    query: '{ saleOrderList(limt: 5) { total } }',
    bare: /^Unknown argument "limt" on field "Query\.saleOrderList"\.$/,
    suggestion: /Did you mean "limit"\?/,
  },
  {
    name: 'an unknown enum value (literal)',
    query: 'mutation { updateCrmLead(id: 1, values: { type: lede }) { id } }',
    bare: /^Value "lede" does not exist in "CrmLeadType" enum\.$/,
    suggestion: /Did you mean the enum value "lead"\?/,
  },
  {
    name: 'an unknown input field (variable)',
    query: 'mutation($v: CrmLeadInput!) { updateCrmLead(id: 1, values: $v) { id } }',
    variables: { v: { typ: 'lead' } },
    bare: /Field "typ" is not defined by type "CrmLeadInput"\.$/,
    suggestion: /Did you mean "type"\?/,
  },
  {
    name: 'an unknown enum value (variable)',
    query: 'mutation($t: CrmLeadType) { updateCrmLead(id: 1, values: { type: $t }) { id } }',
    variables: { t: 'lede' },
    bare: /Value "lede" does not exist in "CrmLeadType" enum\.$/,
    suggestion: /Did you mean the enum value "lead"\?/,
  },
];

function sentBy(server: TestServer) {
  return async (
    caller: Caller,
    query: string,
    variables?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<{ response: GraphQLResponse; sent: number }> => {
    const before = server.app.graphql.gateway.requestCount;
    const response = await graphql(server, caller, query, variables, headers);
    return { response, sent: server.app.graphql.gateway.requestCount - before };
  };
}

describe('GRAPHQL_INTROSPECTION=authenticated (the default)', () => {
  const server = useServer();
  const run = sentBy(server);

  it('IN-01 anonymous __schema and __type are INTROSPECTION_DISABLED (HTTP 400), nothing sent; __typename still works', async () => {
    expect(server.app.config.GRAPHQL_INTROSPECTION).toBe('authenticated');
    for (const query of [SCHEMA, TYPE, GRAPHIQL_INTROSPECTION]) {
      const { response, sent } = await run(null, query, undefined, STRICT);
      expect([response.status, codes(response), sent], query.slice(0, 40)).toEqual([400, ['INTROSPECTION_DISABLED'], 0]);
      expect(response.body.errors?.[0]?.message).toMatch(/introspection needs a valid API key or session/);
    }
    const typename = await run(null, '{ __typename health { status } }');
    expect(typename.response.body).toEqual({ data: { __typename: 'Query', health: { status: 'ok' } } });
  });

  it("IN-02 a valid key (any user's) or session cookie gets GraphiQL's introspection; the check is one call, shared with me", async () => {
    for (const caller of ['portal', { cookie: await sessionCookie(server, 'demo') }] as const) {
      const { response, sent } = await run(caller, GRAPHIQL_INTROSPECTION);
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data?.__schema.queryType.name).toBe('Query');
      expect(sent).toBe(1);
    }
    const both = await run('manager', '{ __type(name: "SaleOrder") { name } me { login } }');
    expect([both.response.body, both.sent]).toEqual([{ data: { __type: { name: 'SaleOrder' }, me: { login: 'manager' } } }, 1]);
  });

  it('IN-03 a wrong key, a revoked key or a destroyed session is refused: the credentials are checked, not just seen', async () => {
    const revoked = server.backend.createApiKey('demo', 'to revoke');
    expect(server.backend.revokeApiKey(revoked.slice(0, 8))).toBe(1);
    const cookie = await sessionCookie(server, 'manager');
    await fetch(`${server.url}/web/session/destroy`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: '{}',
    });
    for (const [name, caller, headers] of [
      ['wrong key', null, { authorization: `Bearer ${'0'.repeat(40)}` }],
      ['revoked key', null, { authorization: `Bearer ${revoked}` }],
      ['not a Bearer key', null, { authorization: 'Basic YWRtaW46YWRtaW4=' }],
      ['destroyed session', { cookie }, {}],
    ] as const) {
      const { response, sent } = await run(caller, SCHEMA, undefined, { ...STRICT, ...headers });
      expect([response.status, codes(response), response.body.data, sent], name).toEqual([400, ['INTROSPECTION_DISABLED'], undefined, 1]);
      expect(response.body.errors?.[0]?.message, name).toMatch(/introspection needs a valid API key or session/);
    }
  });

  for (const { name, query, variables, bare } of SUGGESTING) {
    it(`IN-04 ${name}: no "Did you mean" for anyone (anonymous, a wrong key, a valid key), the code kept, nothing sent`, async () => {
      const anonymous = await run(null, query, variables);
      expect(anonymous.response.body.errors?.[0]?.message).toMatch(bare);
      expect(anonymous.response.body.errors?.[0]?.extensions?.code).toMatch(/^(GRAPHQL_VALIDATION_FAILED|BAD_USER_INPUT)$/);
      for (const [caller, headers] of [
        [null, {}],
        [null, { authorization: `Bearer ${'1'.repeat(40)}` }],
        ['demo', {}],
      ] as const) {
        const answer = await run(caller, query, variables, headers);
        expect(answer.response.body.errors?.[0]?.message).toMatch(bare);
        expect(JSON.stringify(answer.response.body)).not.toMatch(/Did you mean/);
        expect([answer.response.status, answer.response.body.errors?.[0]?.extensions?.code, answer.sent]).toEqual([
          anonymous.response.status,
          anonymous.response.body.errors?.[0]?.extensions?.code,
          0,
        ]);
      }
    });
  }
});

describe('GRAPHQL_INTROSPECTION=false and =true', () => {
  const closed = useServer({ GRAPHQL_INTROSPECTION: false });
  const open = useServer({ GRAPHQL_INTROSPECTION: true });

  it('IN-05 false: refused to everyone, admin included, nothing sent; no suggestions for anyone', async () => {
    const run = sentBy(closed);
    for (const caller of [null, 'admin'] as const) {
      const { response, sent } = await run(caller, SCHEMA, undefined, STRICT);
      expect([response.status, codes(response), sent]).toEqual([400, ['INTROSPECTION_DISABLED'], 0]);
      expect(response.body.errors?.[0]?.message).toMatch(/GRAPHQL_INTROSPECTION=false/);
      for (const { query, variables, bare } of SUGGESTING) {
        const answer = await run(caller, query, variables);
        expect(answer.response.body.errors?.[0]?.message).toMatch(bare);
        expect(JSON.stringify(answer.response.body)).not.toMatch(/Did you mean/);
      }
    }
  });

  it('IN-06 true: anyone may introspect, suggestions included, and nothing is checked', async () => {
    const run = sentBy(open);
    const { response, sent } = await run(null, GRAPHIQL_INTROSPECTION);
    expect([response.body.errors, response.body.data?.__schema.queryType.name, sent]).toEqual([undefined, 'Query', 0]);
    for (const { query, variables, suggestion } of SUGGESTING) {
      const suggested = await run(null, query, variables);
      expect(suggested.response.body.errors?.[0]?.message).toMatch(suggestion);
    }
  });
});
