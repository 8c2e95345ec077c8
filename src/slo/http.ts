import type { IncomingMessage, ServerResponse } from 'node:http';
import { SLO_METRICS_PATH } from '../constants.ts';
import { PROMETHEUS_CONTENT_TYPE } from './prometheus.ts';

/** Options of `SloMonitor#createMetricsHandler()`. */
export interface MetricsHandlerOptions {
  /** Path answered; other paths get 404. `null` answers on every path (when mounted behind a router). @default '/metrics' */
  path?: string | null;
}

/** A node `http` request listener. */
export type MetricsHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * A request listener serving `render()` as the Prometheus text exposition on `GET`/`HEAD`:
 * 404 for another path, 405 for another method, 500 when rendering throws.
 */
export function createMetricsHandler(
  render: () => string,
  options: MetricsHandlerOptions = {},
): MetricsHandler {
  const path = options.path === undefined ? SLO_METRICS_PATH : options.path;
  return (req, res) => {
    const requested = (req.url ?? '/').split('?')[0];
    if (path !== null && requested !== path) return reply(res, 404, 'Not Found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return reply(res, 405, 'Method Not Allowed\n');
    }
    let body: string;
    try {
      body = render();
    } catch {
      return reply(res, 500, 'Internal Server Error\n');
    }
    res.writeHead(200, {
      'content-type': PROMETHEUS_CONTENT_TYPE,
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

function reply(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
