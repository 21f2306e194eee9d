/**
 * A domain that cannot be parsed or has the wrong structure. Always a client error (HTTP 400); the
 * message names the problem and, for syntax errors, the 0-based character position.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    message: string,
    /** Character offset in the source text, when the error comes from parsing. */
    readonly position?: number,
  ) {
    super(message);
  }
}
