// JSON logs, one object per line on stdout: time, level (as a word), service, msg, plus the
// request's requestId/method/route/status/durationMs (added by http.js). Synchronous writes: a
// fatal line written just before process.exit() is never lost.
import pino from 'pino';

// Anything that could carry a secret is censored wherever it appears in a log object.
const REDACT_PATHS = [
  'password',
  '*.password',
  'uri',
  '*.uri',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
];

/**
 * createLogger({service, level, destination}): a pino logger. `destination` is any object with
 * write(string) (tests) or a file descriptor; default stdout (fd 1), synchronous.
 */
export function createLogger({ service, level = 'info', destination } = {}) {
  const dest =
    destination && typeof destination.write === 'function'
      ? destination
      : pino.destination({ dest: destination ?? 1, sync: true });
  return pino(
    {
      level,
      base: { service },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    dest,
  );
}
