/**
 * The REST contract suite, unchanged, through a BACKEND=proxy instance in front of an embedded server:
 * every clause of docs/rest-contract.md must hold for a caller of the proxy (issue 5).
 */
import { serverMode } from '../helpers/server.js';

serverMode.via = 'proxy';
await import('../rest/contract.test.js');
