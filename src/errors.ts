/**
 * An error the user can cause and fix: bad config, a missing file, a source that answers wrongly.
 * The CLI prints its message as one line (no stack unless --debug) and exits with `exitCode`.
 * Anything else is a bug and prints as "Unexpected error".
 */
export class UserError extends Error {
  override name = 'UserError';
  /** 2 for usage and config errors, 1 for a unit that failed at run time. */
  readonly exitCode: number;
  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.exitCode = options.exitCode ?? 1;
  }
}

/** A config or usage error: exit code 2. */
export class ConfigError extends UserError {
  override name = 'ConfigError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { exitCode: 2, cause: options.cause });
  }
}

const SECRET_QUERY = /([?&](?:[^=&#]*(?:key|token|secret|password|passwd|pwd|sig|signature|auth|appid|credential)[^=&#]*)=)[^&#]*/gi;

/**
 * A URL safe to print: userinfo and secret-looking query parameters replaced by `***`.
 * Used for every URL that reaches a log line, an error or the warehouse.
 */
export function redactUrl(url: string): string {
  let out = url.replace(SECRET_QUERY, '$1***');
  out = out.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@\s]+)@/i, '$1***@');
  return out;
}

/** Removes known secret values (from headers, env interpolation) from a message. */
export function redactSecrets(message: string, secrets: Iterable<string>): string {
  let out = message;
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join('***');
  }
  return out;
}
