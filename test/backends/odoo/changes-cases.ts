/**
 * The change feed's recorded cases (changes-recorder.ts records them from the lab, changes.test.ts replays
 * them): a lead of its own name, so that the polls see it alone.
 */
import type { DomainNode } from '../../../src/domain/types.js';

export const FEED_LEAD_NAME = 'Change feed recording lead';
export const FEED_DOMAIN: DomainNode = { kind: 'leaf', path: 'name', operator: '=', value: FEED_LEAD_NAME };
export const FEED_FIELDS = ['name', 'expected_revenue'] as const;
