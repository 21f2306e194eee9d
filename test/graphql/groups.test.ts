/**
 * The generic `groups` query (issue 18): grouped totals through the REST route `GET /api/<slug>/groups`,
 * over a real server on loopback (embedded store, demo data). Each answer equals the REST answer of the
 * same request, as the same user; record rules change the totals; each group's `__domain`, given to
 * `records`, lists exactly its `__count` records; bad input is refused before anything is sent, or with
 * the gateway's message; the cost limit counts a page of groups as a page of records.
 */
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_COUNT_COST, operationCost, selectOperation } from '../../src/graphql/operation-cost.js';
import { loadSchema } from '../../src/graphql/load-schema.js';
import { useServer } from '../helpers/use-server.js';
import { codes, graphql } from './graphql-client.js';

const server = useServer({ GRAPHQL_MAX_COST: 5000 });

const GROUPS = `query Groups($slug: String!, $domain: Domain, $groupBy: [String!]!, $aggregates: [String!], $order: String, $limit: Int, $offset: Int, $lazy: Boolean) {
  groups(slug: $slug, domain: $domain, groupBy: $groupBy, aggregates: $aggregates, order: $order, limit: $limit, offset: $offset, lazy: $lazy) {
    count
    total
    groups
  }
}`;

interface Request {
  slug: string;
  domain?: string;
  groupBy: string[];
  aggregates?: string[];
  order?: string;
  limit?: number;
  offset?: number;
  lazy?: boolean;
}

/** The REST twin of a `groups` request (the GraphQL default limit, 80, sent explicitly). */
function restPath(r: Request): string {
  const query = new URLSearchParams();
  if (r.domain !== undefined) query.set('domain', r.domain);
  query.set('groupby', r.groupBy.join(','));
  if (r.aggregates?.length) query.set('aggregates', r.aggregates.join(','));
  if (r.order !== undefined) query.set('order', r.order);
  query.set('limit', String(r.limit ?? 80));
  if (r.offset !== undefined) query.set('offset', String(r.offset));
  if (r.lazy !== undefined) query.set('lazy', String(r.lazy));
  return `/api/${r.slug}/groups?${query.toString()}`;
}

async function both(login: string, r: Request): Promise<{ gql: any; rest: any }> {
  const answer = await graphql(server, login, GROUPS, { ...r });
  expect(answer.body.errors, JSON.stringify(answer.body.errors)).toBeUndefined();
  const rest = await server.request(login, 'GET', restPath(r));
  expect(rest.status, rest.text).toBe(200);
  return { gql: answer.body.data!.groups, rest: rest.body };
}

const CASES: Array<[string, Request]> = [
  [
    'leads by stage, sum and avg of one field',
    { slug: 'crm_lead', groupBy: ['stage_id'], aggregates: ['expected_revenue:sum', 'expected_revenue:avg'] },
  ],
  [
    'opportunities by salesperson and month of creation, ordered by count',
    {
      slug: 'crm_lead',
      domain: "[('type', '=', 'opportunity')]",
      groupBy: ['user_id', 'create_date:month'],
      order: '__count desc',
      aggregates: ['id:count'],
    },
  ],
  [
    'orders by customer, a page',
    {
      slug: 'sale_order',
      groupBy: ['partner_id'],
      aggregates: ['amount_total:sum', 'amount_total:max'],
      order: 'amount_total:sum desc',
      limit: 3,
      offset: 1,
    },
  ],
  [
    'orders by state and year, lazily',
    { slug: 'sale_order', groupBy: ['state', 'date_order:year'], aggregates: ['amount_untaxed:sum'], lazy: true },
  ],
];

describe('GQ groups: the REST answer of the same request, as the same user', () => {
  for (const [what, request] of CASES) {
    it(`GQ-01 ${what}: admin and demo each get their REST answer`, async () => {
      for (const login of ['admin', 'demo']) {
        const { gql, rest } = await both(login, request);
        expect(gql).toEqual(rest);
        expect(gql.count).toBe(gql.groups.length);
        for (const group of gql.groups) {
          expect(typeof group.__count).toBe('number');
          expect(Array.isArray(group.__domain)).toBe(true);
        }
      }
    });
  }

  it('GQ-02 record rules change the totals: demo counts fewer leads than admin', async () => {
    const request: Request = { slug: 'crm_lead', groupBy: ['stage_id'], aggregates: ['expected_revenue:sum'] };
    const sum = (page: any) => page.groups.reduce((n: number, g: any) => n + g.__count, 0);
    const admin = (await both('admin', request)).gql;
    const demo = (await both('demo', request)).gql;
    const adminCount = (await server.request('admin', 'GET', '/api/crm_lead?limit=0')).body.total;
    const demoCount = (await server.request('demo', 'GET', '/api/crm_lead?limit=0')).body.total;
    expect(sum(admin)).toBe(adminCount);
    expect(sum(demo)).toBe(demoCount);
    expect(demoCount).toBeLessThan(adminCount);
  });

  it('GQ-03 many2one keys as {id, name} (false for none); each __domain, given to records, lists exactly __count records', async () => {
    const answer = await graphql(
      server,
      'demo',
      `
        {
          groups(slug: "crm_lead", groupBy: ["user_id"], aggregates: ["expected_revenue:sum"]) {
            total
            groups
          }
        }
      `,
    );
    expect(answer.body.errors).toBeUndefined();
    const groups = answer.body.data!.groups.groups as Array<Record<string, any>>;
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      expect(group.user_id === false || (typeof group.user_id.id === 'number' && typeof group.user_id.name === 'string')).toBe(true);
      const listed = await graphql(server, 'demo', 'query($d: Domain) { records(slug: "crm_lead", domain: $d, limit: 0) { total } }', {
        d: group.__domain,
      });
      expect(listed.body.errors).toBeUndefined();
      expect(listed.body.data!.records.total, JSON.stringify(group.__domain)).toBe(group.__count);
    }
  });

  it('GQ-04 `{ total }` alone: the groups are counted, none returned (sent with limit=0)', async () => {
    const answer = await graphql(server, 'admin', '{ groups(slug: "sale_order", groupBy: ["partner_id"]) { total } }');
    expect(answer.body.errors).toBeUndefined();
    const rest = await server.request('admin', 'GET', '/api/sale_order/groups?groupby=partner_id&limit=0');
    expect(rest.body).toMatchObject({ count: 0, groups: [] });
    expect(answer.body.data!.groups.total).toBe(rest.body.total);
    expect(rest.body.total).toBeGreaterThan(0);
  });
});

describe('GQ groups: errors as the other root fields', () => {
  const refusedLocally: Array<[string, string, RegExp]> = [
    ['no key', 'groups(slug: "crm_lead", groupBy: [])', /'groupBy' needs at least one key/],
    [
      'an unknown granularity',
      'groups(slug: "crm_lead", groupBy: ["create_date:decade"])',
      /invalid key 'create_date:decade' in 'groupBy'/,
    ],
    [
      'an unknown aggregator',
      'groups(slug: "crm_lead", groupBy: ["stage_id"], aggregates: ["expected_revenue:median"])',
      /invalid aggregate 'expected_revenue:median'/,
    ],
    [
      'an aggregate without aggregator',
      'groups(slug: "crm_lead", groupBy: ["stage_id"], aggregates: ["expected_revenue"])',
      /invalid aggregate 'expected_revenue'/,
    ],
    ['a negative limit', 'groups(slug: "crm_lead", groupBy: ["stage_id"], limit: -1)', /'limit' must be an integer >= 0/],
    [
      'a bad order term',
      'groups(slug: "crm_lead", groupBy: ["stage_id"], order: "stage_id; drop")',
      /invalid term 'stage_id; drop' in 'order'/,
    ],
    ['a bad domain', 'groups(slug: "crm_lead", groupBy: ["stage_id"], domain: "[(\'name\', \'=\'")', /./],
  ];
  for (const [what, field, message] of refusedLocally) {
    it(`GQ-10 ${what}: BAD_USER_INPUT`, async () => {
      const answer = await graphql(server, 'admin', `{ ${field} { total } }`);
      expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
      expect(answer.body.errors![0]!.message).toMatch(message);
    });
  }

  it("GQ-11 a field the model lacks, or that cannot be grouped: BAD_USER_INPUT with the gateway's message naming it", async () => {
    const unknown = await graphql(server, 'admin', '{ groups(slug: "crm_lead", groupBy: ["no_such_field"]) { total } }');
    expect(codes(unknown)).toEqual(['BAD_USER_INPUT']);
    expect(unknown.body.errors![0]!.message).toMatch(/no_such_field/);
    const sumOfText = await graphql(
      server,
      'admin',
      '{ groups(slug: "crm_lead", groupBy: ["stage_id"], aggregates: ["name:sum"]) { total } }',
    );
    expect(codes(sumOfText)).toEqual(['BAD_USER_INPUT']);
    expect(sumOfText.body.errors![0]!.message).toMatch(/name/);
  });

  it('GQ-12 an unknown model: NOT_FOUND; no credentials: UNAUTHENTICATED', async () => {
    expect(codes(await graphql(server, 'admin', '{ groups(slug: "no_such_model", groupBy: ["name"]) { total } }'))).toEqual(['NOT_FOUND']);
    expect(codes(await graphql(server, 'admin', '{ groups(slug: "not a slug!", groupBy: ["name"]) { total } }'))).toEqual(['NOT_FOUND']);
    expect(codes(await graphql(server, null, '{ groups(slug: "crm_lead", groupBy: ["stage_id"]) { total } }'))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });
});

describe('GQ groups: cost as a page of records', () => {
  const schema = loadSchema();
  const cost = (query: string) => {
    const document = parse(query);
    return operationCost(schema, document, selectOperation(document)!, {}, { defaultListSize: 80, maxListSize: 1000 });
  };

  it('GQ-20 a page of groups costs its count, its fields and one per group, sized by the limit (80 without one)', () => {
    expect(cost('{ groups(slug: "crm_lead", groupBy: ["stage_id"], limit: 50) { total groups } }')).toBe(
      1 + DEFAULT_COUNT_COST + 1 + 1 + 50,
    );
    expect(cost('{ groups(slug: "crm_lead", groupBy: ["stage_id"]) { groups } }')).toBe(1 + DEFAULT_COUNT_COST + 1 + 80);
    expect(cost('{ groups(slug: "crm_lead", groupBy: ["stage_id"], limit: 5000) { total } }')).toBe(1 + DEFAULT_COUNT_COST + 1);
  });

  it('GQ-21 above GRAPHQL_MAX_COST: COST_LIMIT_EXCEEDED, as for records', async () => {
    const aliases = Array.from(
      { length: 6 },
      (_, i) => `g${i}: groups(slug: "crm_lead", groupBy: ["stage_id"], limit: 1000) { groups }`,
    ).join(' ');
    const answer = await graphql(server, 'admin', `{ ${aliases} }`);
    expect(codes(answer)).toEqual(['COST_LIMIT_EXCEEDED']);
  });
});
