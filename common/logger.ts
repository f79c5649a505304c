// Logging with pino. Nothing that can carry a fødselsnummer, token or password is logged: request lines carry the
// path without its query string (GET variables may hold personal data), headers are never serialised, and the
// redact list below is a second net for anything that slips into a log object by those names.
import { pino, type Logger } from 'pino';

export type { Logger };

const REDACT = [
  'authorization',
  'cookie',
  'password',
  'token',
  'pid',
  'fnr',
  '*.authorization',
  '*.cookie',
  '*.password',
  '*.token',
  '*.pid',
  '*.fnr',
  'headers',
  '*.headers',
  'variables',
  '*.variables',
];

export interface LoggerOptions {
  level: string;
  name: string;
  /** Where log lines go; tests pass a stream to read what was logged. Default: stdout. */
  destination?: pino.DestinationStream;
}

/** A content link (gateway `/documents/content/<link>`, documents subgraph `/content/<link>`) is a secret: the path is
 * logged without it. */
const CONTENT_LINK = /\/content\/[^/?]+/;

function loggedPath(url: unknown): string | undefined {
  return typeof url === 'string'
    ? url.split('?')[0]!.replace(CONTENT_LINK, '/content/[redacted]')
    : undefined;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      // No process id or host name: `pid` is redacted as a field name, and the host says nothing useful here.
      base: { service: options.name },
      level: options.level,
      redact: { paths: REDACT, censor: '[redacted]' },
      serializers: {
        req: (req: { method?: string; url?: string; id?: string }) => ({
          method: req.method,
          path: loggedPath(req.url),
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: pino.stdSerializers.err,
      },
    },
    options.destination,
  );
}
