/** crm.lead's actions (Odoo 17, addons/crm/models/crm_lead.py), on the embedded store. */
import { normalizeDomain } from '../../../domain/normalize-domain.js';
import { nowUtc } from '../values.js';
import type { ActionEnv, ActionRun } from './index.js';
import { idOf } from './stock-picking-actions.js';

function leadOf({ store, user, model }: ActionEnv, id: number) {
  return store.read(user, model, [id], ['active', 'stage_id'])[0]!;
}

/**
 * The won stage Odoo's `action_set_won` picks (no sales teams here, so among all stages): the first won
 * stage after the lead's stage, else the last won stage before it (or at it).
 */
function wonStage({ store, user }: ActionEnv, stageId: number | null): number | false {
  const won = store.searchRead(user, 'crm.stage', normalizeDomain([['is_won', '=', true]]), ['sequence'], { order: 'sequence, id' });
  const sequence = stageId === null ? 0 : Number(store.read(user, 'crm.stage', [stageId], ['sequence'])[0]?.sequence ?? 0);
  const stage = won.find((s) => Number(s.sequence) > sequence) ?? won.filter((s) => Number(s.sequence) <= sequence).at(-1);
  return stage?.id ?? false;
}

export const CRM_LEAD_ACTIONS: Readonly<Record<string, ActionRun>> = {
  /**
   * `action_set_won`: `action_unarchive` (a lost lead is restored, its lost reason cleared), then the won
   * stage with probability 100; crm.lead's write() dates the closing now. `True`.
   */
  action_set_won(env, id) {
    const lead = leadOf(env, id);
    if (!lead.active) env.store.write(env.user, env.model, [id], { active: true, lost_reason_id: false });
    const stage = wonStage(env, idOf(lead.stage_id));
    env.store.write(env.user, env.model, [id], { stage_id: stage, probability: 100, date_closed: nowUtc() });
    return true;
  },

  /**
   * `action_set_lost`: `action_archive` (an active lead is archived, probability 0, closed now: crm.lead's
   * write() and toggle_active()), then the values given written (`lost_reason_id`). `None`.
   */
  action_set_lost(env, id, kwargs) {
    if (leadOf(env, id).active) env.store.write(env.user, env.model, [id], { active: false, probability: 0, date_closed: nowUtc() });
    if (Object.keys(kwargs).length) env.store.write(env.user, env.model, [id], { ...kwargs });
    return null;
  },
};
