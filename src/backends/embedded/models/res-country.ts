import { defineModel } from '../model-definition.js';
import { grant } from '../security/access-rights.js';

export default defineModel({
  name: 'res.country',
  description: 'Country',
  order: 'name',
  fields: {
    name: { type: 'char', string: 'Country Name', required: true },
    code: {
      type: 'char', string: 'Country Code', required: true, unique: true,
      help: 'The ISO country code in two chars.',
    },
    phone_code: { type: 'integer', string: 'Country Calling Code' },
  },
  access: [
    grant('base.group_public', 'r'),
    grant('base.group_portal', 'r'),
    grant('base.group_user', 'r'),
    grant('base.group_system', 'rwcu'),
  ],
});
