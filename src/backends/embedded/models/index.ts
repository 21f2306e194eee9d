/**
 * Every model of the embedded store, each one after the models its many2one fields point to where that is
 * possible. Partners, companies and users point at each other (`res.partner.user_id`, `res.company.partner_id`,
 * `res.users.partner_id`), so the store must create the tables before it checks the references.
 */
import type { ModelDefinition } from '../model-definition.js';
import crmLead from './crm-lead.js';
import crmLostReason from './crm-lost-reason.js';
import crmStage from './crm-stage.js';
import productProduct from './product-product.js';
import purchaseOrder from './purchase-order.js';
import purchaseOrderLine from './purchase-order-line.js';
import resCompany from './res-company.js';
import resCountry from './res-country.js';
import resGroups from './res-groups.js';
import resPartner from './res-partner.js';
import resPartnerCategory from './res-partner-category.js';
import resUsers from './res-users.js';
import saleOrder from './sale-order.js';
import saleOrderLine from './sale-order-line.js';
import stockMove from './stock-move.js';
import stockPicking from './stock-picking.js';

export const MODELS: readonly ModelDefinition[] = [
  resCountry,
  resPartnerCategory,
  resPartner,
  resCompany,
  resGroups,
  resUsers,
  productProduct,
  crmStage,
  crmLostReason,
  crmLead,
  saleOrder,
  saleOrderLine,
  purchaseOrder,
  purchaseOrderLine,
  stockPicking,
  stockMove,
];
