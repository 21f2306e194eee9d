export * from './gateway-error.js';
export * from './credentials.js';
export * from './gateway-client.js';
export * from './contract-types.js';
export * from './rest-gateway.js';
export * from './loopback-url.js';
