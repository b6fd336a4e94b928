import { pino, type Logger, type LoggerOptions } from 'pino'

/**
 * Pino options shared by the server and the CLI. Request logs carry method, route and status only:
 * query strings, bodies, cookies and client addresses can hold personal data, so they are never logged.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: ['req.headers', 'req.query', 'req.body', '*.email', '*.password', '*.postcode'], remove: true },
    serializers: {
      req: (req: { method: string; routeOptions?: { url?: string }; url: string; id: string }) => ({
        method: req.method,
        route: req.routeOptions?.url ?? stripQuery(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  }
}

function stripQuery(url: string): string {
  const i = url.indexOf('?')
  return i === -1 ? url : url.slice(0, i)
}

/** The process logger (server and CLI). Fastify uses it too, so every line has the same shape. */
export function createLogger(level: string): Logger {
  return pino(loggerOptions(level))
}
