import { defineModel } from '../model-definition.js';
import { grant } from '../security/access-rights.js';

export default defineModel({
  name: 'res.country',
  description: 'Country',
  order: 'name',
  fields: {
    name: { type: 'char', string: 'Country Name', required: true, translate: true },
    code: {
      // Odoo: Char(size=2); a compared value is cut to two characters.
      type: 'char',
      string: 'Country Code',
      required: true,
      unique: true,
      size: 2,
      help: 'The ISO country code in two chars.',
    },
    phone_code: { type: 'integer', string: 'Country Calling Code' },
  },
  // Odoo's Country._name_search (res_country.py): a two-letter name also finds the country with that code,
  // which stays found whatever the operator (a negative one included).
  nameSearch: (operator, name) => [
    typeof name === 'string' && name.length === 2 ? ['|', ['code', 'ilike', name], ['name', operator, name]] : [['name', operator, name]],
  ],
  access: [
    grant('base.group_public', 'r'),
    grant('base.group_portal', 'r'),
    grant('base.group_user', 'r'),
    grant('base.group_system', 'rwcu'),
  ],
});
