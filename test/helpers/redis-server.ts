/**
 * A private `redis-server` on a free loopback port, for tests that need a Redis outage: it can be
 * killed (by its pid) and started again on the same port. Never the shared Redis at REDIS_URL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** How long a start may take before it fails. */
const START_TIMEOUT_MS = 5_000;
/** Pause between two readiness pings while starting. */
const START_POLL_MS = 25;

/** A free TCP port on 127.0.0.1 (the OS picks it; released before returning). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A probe's socket is destroyed this soon after `disconnect()` (ioredis waits 2 s by default). */
const PROBE_DISCONNECT_TIMEOUT_MS = 100;

async function pingable(url: string): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    disconnectTimeout: PROBE_DISCONNECT_TIMEOUT_MS,
  });
  probe.on('error', () => {}); // refused while the server starts: the answer is `false`
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** A private Redis server process. */
export class PrivateRedis {
  readonly port: number;
  readonly url: string;
  #child: ChildProcess | undefined;

  private constructor(port: number) {
    this.port = port;
    this.url = `redis://127.0.0.1:${port}`;
  }

  /** Starts a server (no persistence) on a free port and waits until it answers PING. */
  static async start(): Promise<PrivateRedis> {
    const server = new PrivateRedis(await freePort());
    await server.restart();
    return server;
  }

  /** True while the process runs. */
  get running(): boolean {
    return this.#child !== undefined;
  }

  /** Starts the process again on the same port (after {@link kill}) and waits for PING. */
  async restart(): Promise<void> {
    if (this.#child) return;
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.#child = child;
    child.once('exit', () => {
      if (this.#child === child) this.#child = undefined;
    });
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (await pingable(this.url)) return;
      await sleep(START_POLL_MS);
    }
    await this.kill();
    throw new Error(`redis-server did not start on port ${this.port}`);
  }

  /** Kills the process (SIGKILL, by its pid: an outage, not a shutdown) and waits for its exit. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || child.pid === undefined) return;
    const exited = once(child, 'exit');
    process.kill(child.pid, 'SIGKILL');
    await exited;
    this.#child = undefined;
  }
}
