/**
 * A request's Odoo context (Caller.context: lang, tz, allowed_company_ids) applied to a user's own
 * UserContext, as Odoo 17's Environment reads its context (odoo/api.py: `lang`, `company`, `companies`).
 */
import type { CallContext } from '../../backend.js';
import { AccessError } from '../../errors.js';
import type { UserContext } from '../model-definition.js';

/** Odoo's message when `allowed_company_ids` names a company the user does not belong to. */
export const UNAUTHORIZED_COMPANIES = 'Access to unauthorized or invalid companies.';

/**
 * `own` as seen with `context`. The companies are getters, as Odoo's `env.companies` is a lazy property:
 * invalid ones raise only when read (a record rule or a company default), so a model without company rules
 * answers anyway, as in Odoo.
 */
export function withCallContext(own: UserContext, context: CallContext): UserContext {
  const { lang, tz, allowedCompanyIds } = context;
  const variant: UserContext = { ...own, ...(lang !== undefined && { lang }), ...(tz !== undefined && { tz }) };
  if (allowedCompanyIds === undefined || allowedCompanyIds.length === 0) return variant;
  const valid = allowedCompanyIds.every((id) => own.companyIds.includes(id));
  const companies = Object.freeze([...allowedCompanyIds]);
  const checked = <T>(value: T): T => {
    if (!valid) throw new AccessError(UNAUTHORIZED_COMPANIES);
    return value;
  };
  return Object.defineProperties(variant, {
    companyIds: { get: () => checked(companies), enumerable: true },
    companyId: { get: () => checked(companies[0]!), enumerable: true },
  });
}
