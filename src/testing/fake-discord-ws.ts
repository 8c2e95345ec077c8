/** Loads the optional `ws` peer only when a fake gateway starts, so `chatlane/testing` loads without it. */
import type { WebSocketServer } from 'ws';
import { ChatlaneError } from '../errors.ts';

/** The `WebSocketServer` class of the `ws` package. */
export type WebSocketServerClass = typeof WebSocketServer;

/** An optional peer dependency a feature needs is not installed. */
export class MissingPeerDependencyError extends ChatlaneError {
  declare readonly code: 'MISSING_PEER_DEPENDENCY';
  /** The npm package that could not be loaded, e.g. `ws`. */
  readonly packageName: string;

  constructor(packageName: string, feature: string, cause: unknown) {
    super(
      'MISSING_PEER_DEPENDENCY',
      `${feature} needs the optional peer dependency '${packageName}', which could not be loaded: npm install --save-dev ${packageName}`,
      { cause },
    );
    this.packageName = packageName;
  }
}

/** The `ws` server class; throws {@link MissingPeerDependencyError} when `ws` is not installed. */
export async function loadWebSocketServer(): Promise<WebSocketServerClass> {
  try {
    const ws = await import('ws');
    return (
      ws.WebSocketServer ??
      (ws.default as unknown as { WebSocketServer: WebSocketServerClass }).WebSocketServer
    );
  } catch (error) {
    throw new MissingPeerDependencyError('ws', 'The fake Discord gateway (FakeDiscord)', error);
  }
}
