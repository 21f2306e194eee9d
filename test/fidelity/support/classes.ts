/**
 * The known classes of differences between the embedded store's domain compiler and Odoo 17, each with its
 * root cause in Odoo's source (/root/odoo-src, Odoo 17.0), and a test on a leaf that differs on its own,
 * so a run can say how many differing domains each class explains, and list those none explains.
 * (See the report of issue 14 for the fix each needs in src/backends/embedded/sql/compile-domain.ts.)
 */
import { leavesOf, type Leaf, type Model, type Term } from './domains.js';

interface FieldInfo {
  readonly type: 'many2one' | 'one2many' | 'many2many' | 'scalar';
  readonly comodel?: Model;
  /** For a one2many: whether the inverse many2one may be empty (Odoo then guards its sub-select with IS NOT NULL). */
  readonly nullableInverse?: boolean;
}

const FIELDS: Readonly<Record<Model, Readonly<Record<string, FieldInfo>>>> = {
  'res.partner': {
    parent_id: { type: 'many2one', comodel: 'res.partner' },
    commercial_partner_id: { type: 'many2one', comodel: 'res.partner' },
    country_id: { type: 'many2one', comodel: 'res.country' },
    child_ids: { type: 'one2many', comodel: 'res.partner', nullableInverse: true },
    category_id: { type: 'many2many', comodel: 'res.partner.category' },
  },
  'res.partner.category': {
    parent_id: { type: 'many2one', comodel: 'res.partner.category' },
    child_ids: { type: 'one2many', comodel: 'res.partner.category', nullableInverse: true },
    partner_ids: { type: 'many2many', comodel: 'res.partner' },
  },
  'res.country': {},
  'crm.lead': {
    partner_id: { type: 'many2one', comodel: 'res.partner' },
    stage_id: { type: 'many2one', comodel: 'crm.stage' },
  },
  'crm.stage': {},
  'sale.order': {
    partner_id: { type: 'many2one', comodel: 'res.partner' },
    order_line: { type: 'one2many', comodel: 'sale.order.line', nullableInverse: false },
  },
  'sale.order.line': {
    product_id: { type: 'many2one', comodel: 'product.product' },
    order_id: { type: 'many2one', comodel: 'sale.order' },
  },
  'product.product': {},
};

const NEGATION: Readonly<Record<string, string>> = {
  '<': '>=',
  '>': '<=',
  '<=': '>',
  '>=': '<',
  '=': '!=',
  '!=': '=',
  in: 'not in',
  'not in': 'in',
  like: 'not like',
  'not like': 'like',
  ilike: 'not ilike',
  'not ilike': 'ilike',
  any: 'not any',
  'not any': 'any',
};
const NEGATIVE = new Set(['!=', 'not in', 'not like', 'not ilike']);
const NUMBER_FIELDS = new Set([
  'expected_revenue',
  'probability',
  'prorated_revenue',
  'amount_total',
  'amount_untaxed',
  'price_unit',
  'product_uom_qty',
  'discount',
  'price_subtotal',
  'list_price',
  'standard_price',
  'sequence',
  'phone_code',
  'color',
  'id',
]);
const LIKES = new Set(['like', 'not like', 'ilike', 'not ilike', '=like', '=ilike']);

export interface DifferenceClass {
  readonly id: string;
  readonly title: string;
  /** Where Odoo decides it. */
  readonly odoo: string;
  /** Whether a leaf (seen after Odoo's distribution of `!`) on `model` belongs to the class. */
  matches(leaf: Leaf, negated: boolean, model: Model): boolean;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const hasString = (v: unknown) => isString(v) || (Array.isArray(v) && v.some(isString));
const effective = (op: string, negated: boolean) => (negated ? (NEGATION[op] ?? `! ${op}`) : op);
const head = (path: string) => path.split('.')[0]!;
const fieldOf = (model: Model, path: string): FieldInfo => FIELDS[model][head(path)] ?? { type: 'scalar' };

export const CLASSES: readonly DifferenceClass[] = [
  {
    id: 'B',
    title:
      "'!' over a many2one path: Odoo negates the path as a whole, ('country_id', 'not any', [...]), which also matches rows whose many2one is empty; the embedded compiler negates the leaf's operator inside the path",
    odoo: "odoo/osv/expression.py: _anyfy_leaves (a dotted leaf becomes (head, any, [rest])), _tree_not (any -> not any), parse() many2one not any: (left not in ids) OR (left = False). (Odoo's is_false() shortcut, called first by models.py _search, takes ('path', 'not in', []) for TRUE and ('path', 'in', []) for FALSE even through a path: a domain it proves false answers nothing without this semantics)",
    // Any operator: _anyfy_leaves runs before '!' is distributed, so even '=?' or '=like' under '!' becomes 'not any'.
    matches: (leaf, negated, model) => negated && leaf[0].includes('.') && fieldOf(model, leaf[0]).type === 'many2one',
  },
  {
    id: 'C1',
    title:
      "'!' over an x2many path: in Odoo it means 'has no related record matching' (not any); the embedded compiler makes it 'has a related record not matching'",
    odoo: 'odoo/osv/expression.py: _anyfy_leaves, _tree_not (any -> not any); parse() one2many/many2many not any -> (left not in subquery)',
    matches: (leaf, negated, model) => negated && leaf[0].includes('.') && ['one2many', 'many2many'].includes(fieldOf(model, leaf[0]).type),
  },
  {
    id: 'C2',
    title:
      "one2many 'not any' (and a negative operator with a name) compiles to NOT (id IN (SELECT parent_id ...)) without 'parent_id IS NOT NULL': one row without parent in the sub-select makes it NULL for every row",
    odoo: "odoo/osv/expression.py parse(), one2many with right not False: ids2.add_where('<inverse> IS NOT NULL') unless the inverse is required",
    matches: (leaf, negated, model) => {
      const field = fieldOf(model, leaf[0]);
      if (field.type !== 'one2many' || !field.nullableInverse) return false;
      const op = effective(leaf[1], negated);
      if (leaf[0].includes('.')) return negated; // becomes 'not any' in Odoo
      return op === 'not any' || (NEGATIVE.has(op) && hasString(leaf[2]));
    },
  },
  {
    id: 'H',
    title:
      "child_of / parent_of on a relational field to the same model (parent_id, commercial_partner_id, child_ids): Odoo matches the records of the hierarchy walked along THAT field (id in X and its descendants/ancestors); the embedded compiler matches records whose field points into X's parent_id hierarchy",
    odoo: "odoo/osv/expression.py parse(): many2one/one2many with comodel == model -> HIERARCHY_FUNCS[operator]('id', ids2, model, parent=left) (child_of_domain / parent_of_domain walk `parent`)",
    matches: (leaf, _negated, model) =>
      (leaf[1] === 'child_of' || leaf[1] === 'parent_of') && !leaf[0].includes('.') && fieldOf(model, leaf[0]).comodel === model,
  },
  {
    id: 'N',
    title:
      "a name compared with a res.partner relation (parent_id, commercial_partner_id, child_ids, child_of 'name') goes through res.partner's name search, which looks at complete_name, email, ref, vat and company_registry (AND of the negated comparisons for a negative operator), and for child_of/parent_of names only among active partners; the embedded compiler looks at complete_name only, archived partners included",
    odoo: "odoo/addons/base/models/res_partner.py: _rec_names_search = ['complete_name', 'email', 'ref', 'vat', 'company_registry']; odoo/models.py _name_search (OR, or AND for negative operators); expression.py to_ids() for child_of names",
    matches: (leaf, _negated, model) => {
      const field = fieldOf(model, leaf[0]);
      if (leaf[0].includes('.') || leaf[1] === 'any' || leaf[1] === 'not any') return false;
      const partnerRelation = field.comodel === 'res.partner' || (leaf[0] === 'id' && model === 'res.partner');
      return partnerRelation && hasString(leaf[2]);
    },
  },
  {
    id: 'CN',
    title:
      'a two-letter name compared with a res.country relation also matches the country code (code ilike name), and those countries stay matched under a negative operator',
    odoo: 'odoo/addons/base/models/res_country.py: Country._name_search (len(name) == 2 -> code ilike name, ids kept before the name search)',
    matches: (leaf, _negated, model) =>
      !leaf[0].includes('.') &&
      fieldOf(model, leaf[0]).comodel === 'res.country' &&
      (isString(leaf[2]) ? leaf[2].length === 2 : Array.isArray(leaf[2]) && leaf[2].length === 2),
  },
  {
    id: 'D',
    title:
      "a leaf on display_name: in Odoo 17 display_name is computed, not stored, without a search method, so the leaf is dropped (matches everything, logged as 'Non-stored field res.partner.display_name cannot be searched'); the embedded compiler searches complete_name",
    odoo: 'odoo/osv/expression.py parse(): `elif not field.store: if not field.search: _logger.error(...); domain = []`',
    matches: (leaf) => leaf[0].split('.').includes('display_name'),
  },
  {
    id: 'E',
    title:
      "the empty string: ('f', '!=', '') does not match NULL in Odoo (the NULL clause is added only for a truthy value), and ('f', 'like'/'ilike', '') matches NULL too (`need_wildcard and not right`); the embedded compiler does the opposite in both",
    odoo: 'odoo/osv/expression.py __leaf_to_sql: `if (need_wildcard and not right) or (right and operator in NEGATIVE_TERM_OPERATORS): sql = (sql OR f IS NULL)`',
    matches: (leaf, negated) => leaf[2] === '' && ['!=', 'like', 'ilike'].includes(effective(leaf[1], negated)),
  },
  {
    id: 'F',
    title:
      "a LIKE-family operator with False/None: Odoo 17 answers (like/ilike False: pattern '%False%' OR NULL; not like/not ilike False: NOT LIKE '%False%' OR NULL; =like/=ilike False: LIKE NULL, nothing); the embedded compiler refuses it with a 400",
    odoo: 'odoo/osv/expression.py __leaf_to_sql, general case: f"%{pycompat.to_text(right)}%" and the NULL clause above',
    matches: (leaf) => LIKES.has(leaf[1]) && (leaf[2] === false || leaf[2] === null),
  },
  {
    id: 'M',
    title:
      "a many2many 'in'/'not in' list holding False: Odoo drops False from the ids (so ('category_id', 'in', [False]) matches nothing and 'not in' [False] everything); the embedded compiler reads False as 'has no tag'",
    odoo: 'odoo/osv/expression.py parse(), many2many with right not False: `tuple(it for it in ids2 if it) or (None,)`',
    matches: (leaf, _negated, model) =>
      !leaf[0].includes('.') &&
      fieldOf(model, leaf[0]).type === 'many2many' &&
      (leaf[1] === 'in' || leaf[1] === 'not in') &&
      Array.isArray(leaf[2]) &&
      leaf[2].some((v) => v === false || v === null),
  },
  {
    id: 'S',
    title:
      "res.country.code is Char(size=2): Odoo truncates a compared value to 2 characters (=, !=, <, >, =like, =ilike, in...; not like/ilike), so ('code', '=like', '%US%') is code LIKE '%U'; the embedded store knows no field size",
    odoo: 'odoo/fields.py Char.convert_to_column: pycompat.to_text(value)[:self.size]; expression.py __leaf_to_sql converts the value with it',
    matches: (leaf) =>
      leaf[0].endsWith('country_id.code') || leaf[0] === 'code'
        ? !['like', 'not like', 'ilike', 'not ilike'].includes(leaf[1]) &&
          (isString(leaf[2]) ? leaf[2].length > 2 : Array.isArray(leaf[2]) && leaf[2].some((v) => isString(v) && v.length > 2))
        : false,
  },
  {
    id: 'AT',
    title:
      "inside a many2one 'any' or path, Odoo searches the comodel with active_test=False and every nested search inherits it: an x2many hop there (child_ids, category_id) also counts archived children and tags; the embedded compiler applies the active filter again in nested x2many sub-queries",
    odoo: 'odoo/osv/expression.py parse(): many2one any -> comodel.with_context(active_test=False)._search(right); the nested x2many any -> comodel.with_context(**field.context)._search(right) keeps that context',
    // Decided by classify(), which knows whether the leaf sits under a many2one hop.
    matches: () => false,
  },
  {
    id: 'HM',
    title:
      "child_of / parent_of through a many2many (category_id): Odoo searches the hierarchy's ids again with the active filter, so an archived tag (and archived descendants) drops out; the embedded compiler keeps them",
    odoo: "odoo/osv/expression.py parse(), many2many with HIERARCHY_FUNCS: `ids2 = comodel._search(domain)` (the caller's active_test), not the sudo/active_test=False search of the many2one/one2many branches",
    matches: (leaf, _negated, model) =>
      (leaf[1] === 'child_of' || leaf[1] === 'parent_of') && !leaf[0].includes('.') && fieldOf(model, leaf[0]).type === 'many2many',
  },
  {
    id: 'P',
    title:
      "a name compared with a product relation goes through product.product's name search: default_code = name first, then default_code or name <op> name; the embedded compiler compares the name only",
    odoo: 'addons/product/models/product_product.py ProductProduct._name_search',
    matches: (leaf, _negated, model) =>
      !leaf[0].includes('.') && fieldOf(model, leaf[0]).comodel === 'product.product' && hasString(leaf[2]),
  },
  {
    id: 'Z',
    title:
      "an ordering comparison (<, >, <=, >=) of a number field with False/None: Odoo compares with 0 (so ('probability', '>', False) is probability > 0); the embedded compiler matches nothing",
    odoo: 'odoo/fields.py Integer.convert_to_column: int(value or 0), Float.convert_to_column: float(value or 0.0); expression.py __leaf_to_sql general case',
    matches: (leaf) =>
      ['<', '>', '<=', '>='].includes(leaf[1]) &&
      (leaf[2] === false || leaf[2] === null) &&
      NUMBER_FIELDS.has(leaf[0].slice(leaf[0].lastIndexOf('.') + 1)),
  },
];

/**
 * The ids of the classes a differing leaf (and the leaves inside its `any` sub-domains) belongs to. `inactive`:
 * the leaf sits under a many2one hop, where Odoo searches with active_test=False (class AT).
 */
export function classify(leaf: Leaf, negated: boolean, model: Model = 'res.partner', inactive = false): Set<string> {
  const out = new Set<string>();
  for (const c of CLASSES) if (c.matches(leaf, negated, model)) out.add(c.id);
  const [path, operator, value] = leaf;
  const field = fieldOf(model, path);
  const hop = path.includes('.') || operator === 'any' || operator === 'not any';
  if (inactive && (field.type === 'one2many' || field.type === 'many2many') && (hop || hasString(value))) out.add('AT');
  const inner = inactive || field.type === 'many2one';
  // Dotted paths: the rest of the path is a leaf on the comodel (negation distributed as Odoo does, into 'not any').
  if (path.includes('.') && field.comodel) {
    for (const id of classify([path.slice(path.indexOf('.') + 1), operator, value], false, field.comodel, inner)) out.add(id);
  }
  if ((operator === 'any' || operator === 'not any') && field.comodel) {
    for (const leafInside of leavesOf(value as readonly Term[]))
      for (const id of classify(leafInside.leaf, leafInside.negated, field.comodel, inner)) out.add(id);
  }
  return out;
}
