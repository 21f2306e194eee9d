/** Defaults that look at other records, as Odoo's do: a new lead starts in the first unfolded stage. */
import { describe, expect, it } from 'vitest';
import { useServer } from '../../helpers/use-server.js';

const server = useServer();

describe('crm.lead stage_id default', () => {
  it('is the first stage by sequence that is not folded ("New" in the demo data); an explicit false stays false', async () => {
    const expected = server.backend.db
      .prepare('SELECT id, name FROM crm_stage WHERE fold IS NULL OR fold = 0 ORDER BY sequence, name, id LIMIT 1')
      .get() as { id: number; name: string };
    const created = await server.request('demo', 'POST', '/api/crm_lead', { name: 'Documented example lead', partner_id: { id: 12 } });
    expect(created.status).toBe(201);
    expect(created.body.record.stage_id).toEqual({ id: expected.id, name: expected.name });
    expect(expected.name).toBe('New');
    const unset = await server.request('demo', 'POST', '/api/crm_lead', { name: 'No stage', stage_id: false });
    expect(unset.body.record.stage_id).toBe(false);
  });
});
