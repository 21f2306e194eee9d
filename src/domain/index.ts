export * from './types.js';
export * from './domain-error.js';
export * from './parse-python-literal.js';
export * from './normalize-domain.js';
export * from './domain-cost.js';
export * from './print-domain.js';
export * from './parse-domain.js';
export * from './domain-to-list.js';
