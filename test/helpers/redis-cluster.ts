/**
 * A private 3-node Redis Cluster on free loopback ports, started by the test itself: three
 * `redis-server --cluster-enabled yes` processes (no persistence, config files in a temp dir),
 * the 16,384 slots split between them, joined with CLUSTER MEET, ready once every node reports
 * `cluster_state:ok`. Stopped by pid. Never the shared Redis at REDIS_URL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster, Redis } from 'ioredis';
import { freePort } from './redis-server.ts';

const NODES = 3;
const SLOTS = 16_384;
const READY_TIMEOUT_MS = 15_000;
const POLL_MS = 50;

async function untilTrue(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(POLL_MS);
  }
  throw new Error(`Redis Cluster: ${what} did not happen within ${READY_TIMEOUT_MS} ms`);
}

/** A running private cluster. */
export class PrivateRedisCluster {
  readonly ports: number[];
  readonly #children: ChildProcess[];
  readonly #dir: string;

  private constructor(ports: number[], children: ChildProcess[], dir: string) {
    this.ports = ports;
    this.#children = children;
    this.#dir = dir;
  }

  /** Starts the nodes, assigns the slots, joins them, waits for `cluster_state:ok`. */
  static async start(): Promise<PrivateRedisCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'chatlane-cluster-'));
    const ports: number[] = [];
    for (let i = 0; i < NODES; i += 1) ports.push(await freePort());
    const children = ports.map((port) =>
      spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--dir',
          dir,
        ],
        { stdio: 'ignore' },
      ),
    );
    const cluster = new PrivateRedisCluster(ports, children, dir);
    try {
      await cluster.#form();
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** A cluster client (ioredis `Cluster`) seeded with every node. */
  client(): Cluster {
    return new Cluster(this.ports.map((port) => ({ host: '127.0.0.1', port })));
  }

  async #form(): Promise<void> {
    const admins = this.ports.map((port) => new Redis({ port, host: '127.0.0.1', lazyConnect: true }));
    try {
      for (const admin of admins) {
        admin.on('error', () => {});
        await untilTrue('node start', async () => {
          await admin.connect().catch(() => {});
          return (await admin.ping()) === 'PONG';
        });
      }
      const per = Math.ceil(SLOTS / NODES);
      await Promise.all(
        admins.map((admin, i) =>
          admin.call('CLUSTER', 'ADDSLOTSRANGE', String(i * per), String(Math.min(SLOTS, (i + 1) * per) - 1)),
        ),
      );
      for (const port of this.ports.slice(1))
        await admins[0]!.call('CLUSTER', 'MEET', '127.0.0.1', String(port));
      await untilTrue('cluster_state:ok on every node', async () => {
        const infos = await Promise.all(
          admins.map((admin) => admin.call('CLUSTER', 'INFO') as Promise<string>),
        );
        return infos.every(
          (info) => info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${NODES}`),
        );
      });
    } finally {
      for (const admin of admins) admin.disconnect();
    }
  }

  /** Kills every node (by pid) and removes the config files. */
  async stop(): Promise<void> {
    await Promise.all(
      this.#children.map(async (child) => {
        if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        process.kill(child.pid, 'SIGKILL');
        await exited;
      }),
    );
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
