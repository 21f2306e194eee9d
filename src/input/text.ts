/**
 * Text a record may hold, or a domain may search for (issue 13): well-formed Unicode without NUL.
 *
 * - An unpaired UTF-16 surrogate (`"\ud800"` in JSON, `'\ud800'` in a Python-literal domain) is not a
 *   character: SQLite would store it as invalid UTF-8, and it would come back as U+FFFD, or break a client
 *   that decodes strictly. RFC 7493 (I-JSON) rules such strings out.
 * - NUL ends a string in C and cannot be stored by PostgreSQL (Odoo answers an error); SQLite would keep
 *   it and hand it to every client, where it truncates or confuses.
 */
import { isDomainNode, type DomainNode, type DomainValue } from '../domain/types.js';

/** `String.prototype.isWellFormed` (ES2024, in Node 20); this project's TypeScript lib is ES2023. */
export function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What is wrong with `text` as stored text (`an unpaired UTF-16 surrogate (\ud800)`, `a NUL character`), or undefined. */
export function textProblem(text: string): string | undefined {
  if (!isWellFormed(text)) return `an unpaired UTF-16 surrogate (${surrogateShown(text)}), which is not Unicode text`;
  if (text.includes('\0')) return 'a NUL character (\\u0000), which text fields cannot hold';
  return undefined;
}

/** The first unpaired surrogate of an ill-formed string, escaped (`\ud800`). */
function surrogateShown(text: string): string {
  const unit = LONE_SURROGATE.exec(text)?.[0]?.charCodeAt(0) ?? 0xfffd;
  return `\\u${unit.toString(16).padStart(4, '0')}`;
}

/**
 * The first value of a domain that is not storable text (see `textProblem`), as `the value of 'name'
 * holds ...`, or undefined. Domains are at most 32 levels deep (src/domain), so the walk is bounded.
 */
export function domainTextProblem(domain: DomainNode): string | undefined {
  const nodes: DomainNode[] = [domain];
  for (let node = nodes.pop(); node; node = nodes.pop()) {
    switch (node.kind) {
      case 'and':
      case 'or':
        nodes.push(...node.children);
        break;
      case 'not':
        nodes.push(node.child);
        break;
      case 'leaf': {
        if (isDomainNode(node.value)) {
          nodes.push(node.value);
          break;
        }
        const problem = valueTextProblem(node.value);
        if (problem) return `the value of '${node.path.slice(0, 60)}' holds ${problem}`;
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}

function valueTextProblem(value: DomainValue): string | undefined {
  const values: DomainValue[] = [value];
  for (let next = values.pop(); next !== undefined; next = values.pop()) {
    if (typeof next === 'string') {
      const problem = textProblem(next);
      if (problem) return problem;
    } else if (Array.isArray(next)) values.push(...next);
  }
  return undefined;
}
