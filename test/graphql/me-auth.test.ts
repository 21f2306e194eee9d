/** `me` and get_session_info with a wrong API key say so, instead of speaking of an expired session. */
import { describe, expect, it } from 'vitest';
import { useServer } from '../helpers/use-server.js';

const server = useServer();

describe('a wrong API key', () => {
  const wrong = { authorization: `Bearer ${'0'.repeat(40)}` };

  it('get_session_info answers Odoo AccessDenied naming the key', async () => {
    const answer = await server.request(
      null,
      'POST',
      '/web/session/get_session_info',
      { jsonrpc: '2.0', method: 'call', params: {}, id: 7 },
      wrong,
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      id: 7,
      error: { data: { name: 'odoo.exceptions.AccessDenied', message: 'invalid or revoked API key' } },
    });
  });

  it('GraphQL me answers UNAUTHENTICATED naming the key', async () => {
    const answer = await server.request(null, 'POST', '/graphql', { query: '{ me { login } }' }, wrong);
    expect(answer.status).toBe(401);
    expect(answer.body.errors[0]).toMatchObject({ message: 'invalid or revoked API key', extensions: { code: 'UNAUTHENTICATED' } });
  });
});
