/**
 * Scale-out, end to end (issue #12): the reference bot started with SHARD_COUNT=auto runs as a
 * discord.js ShardingManager with 3 shard processes (the fake recommends 3), a @discordjs/proxy in
 * the manager, and shared state in the real Redis; one fake Discord, one fake OpenRouter. 300
 * messages across guilds and DMs must each be answered exactly once, Discord's global limit never
 * exceeded (the fake's count), a breaker opened and an invalidation seen by every shard — and
 * after one shard process is SIGKILLed mid-reply, its messages in flight answered by the journal.
 * Bounded: ~40 s; every process it starts is killed by pid in `afterAll`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisSessionStore } from 'chatlane';
import { FakeDiscord, type FakeDiscordMessage, FakeOpenRouter } from 'chatlane/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeys, REDIS_URL, uniqueKeyPrefix } from './helpers/redis-fixture.ts';

const TOKEN = 'scale-out-token';
const SHARDS = 3;
const GUILDS = 9;
const MESSAGES = 300;
/** The shard is killed after this many messages (then the rest arrive, the primary failing from MESSAGES / 2). */
const KILL_AFTER = 100;
const KILLED_SHARD = 1;
/** Messages arrive at 10 per second: ~30 Discord requests/s, under the global 50 with room. */
const ARRIVAL_GAP_MS = 100;
const prefix = uniqueKeyPrefix();
const logDir = mkdtempSync(join(tmpdir(), 'chatlane-scale-out-'));
let manager: ChildProcess | undefined;
let discord: FakeDiscord | undefined;
let openRouter: FakeOpenRouter | undefined;
let stderr = '';
let passed = false;

afterAll(async () => {
  if (process.exitCode || !passed) console.error(`bot stderr (tail):\n${stderr.slice(-4_000)}`);
  if (manager?.pid !== undefined) {
    for (const pid of [...childrenOf(manager.pid), manager.pid]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {} // already gone
    }
  }
  await Promise.all([discord?.close(), openRouter?.close()]);
  await deleteKeys(prefix);
  rmSync(logDir, { recursive: true, force: true });
});

/** Child pids of `pid`, from /proc (field 4 of /proc/<pid>/stat is the parent). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

/** The pid of the manager's child running shard `id` (its SHARDS variable). */
function shardPid(managerPid: number, id: number): number | undefined {
  return childrenOf(managerPid).find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`SHARDS=${id}`);
    } catch {
      return false; // gone meanwhile
    }
  });
}

/** JSONL log lines of shard `id` (a respawned shard appends to the same file). */
function logOf(id: number): Array<{ event: string; detail?: Record<string, unknown> }> {
  const text = readFileSync(join(logDir, `chatlane-bot.shard-${id}.jsonl`), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { event: string; detail?: Record<string, unknown> });
}

/** Progress lines with SCALE_OUT_DEBUG=1. */
const progress = (what: string) => {
  if (process.env.SCALE_OUT_DEBUG) console.error(`${new Date().toISOString()} ${what}`);
};

/** A snowflake timestamp part (ms since Discord's epoch) for the guild ids: 2026. */
const DISCORD_EPOCH_OFFSET = 1_700_000_000_000n - 1_420_070_400_000n;

const shardOfGuild = (guildId: string) => Number((BigInt(guildId) >> 22n) % BigInt(SHARDS));

describe('N bot processes behave as one bot', () => {
  it('300 messages on 3 shards: each answered once, global limit kept, breaker and invalidation shared, a SIGKILL survived', async () => {
    discord = await FakeDiscord.start({ token: TOKEN, recommendedShards: SHARDS });
    const fakeDiscord = discord;
    // Guild ids chosen so that each shard has GUILDS / SHARDS of them (`(id >> 22) % SHARDS`).
    const guilds = Array.from({ length: GUILDS }, (_, g) =>
      fakeDiscord.addGuild({ id: String((DISCORD_EPOCH_OFFSET + BigInt(g)) << 22n), channels: [{}, {}, {}] }),
    );
    openRouter = await FakeOpenRouter.start({
      record: false,
      defaultBehaviour: {
        ttftMs: 100,
        tokenIntervalMs: 150, // ~1.3 s per answer: a few are always in flight
        reply: (request) => {
          const last = (request.body.messages as Array<{ content: string }>).at(-1)?.content ?? '';
          return `ok ${/q\d+/.exec(last)?.[0] ?? '?'} and a few more words`;
        },
      },
    });
    manager = spawn(process.execPath, ['--conditions=chatlane-source', 'examples/reference-bot/main.ts'], {
      env: {
        ...process.env,
        DISCORD_TOKEN: TOKEN,
        OPENROUTER_API_KEY: 'sk-or-scale-out',
        OPENROUTER_BASE_URL: openRouter.baseUrl,
        DISCORD_API_URL: discord.apiUrl,
        SHARD_COUNT: 'auto',
        SESSION_REDIS_URL: REDIS_URL,
        SESSION_REDIS_PREFIX: prefix,
        CHATLANE_LOG_DIR: logDir,
        OPENROUTER_MODELS: 'primary,fallback',
        MODEL_SIMPLE: 'primary',
        MODEL_MODERATE: 'primary',
        MODEL_COMPLEX: 'primary',
        LOG_LEVEL: 'INFO',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    manager.stderr?.on('data', (chunk: Buffer) => {
      // Kept without the INFO lines (printed if the test fails).
      const lines = chunk
        .toString()
        .split('\n')
        .filter((line) => line.trim() !== '' && !/ INFO /.test(line));
      stderr = `${stderr}${lines.join('\n')}\n`.slice(-40_000);
    });
    await discord.waitForGateway(SHARDS);
    progress('shards ready');
    const botId = discord.botUser.id;

    // One message in three is a DM (shard 0); the others go round the guilds (every shard).
    const guildOf = (i: number) => guilds[Math.floor(i / 3) % GUILDS]!;
    const asked: Array<{ message: FakeDiscordMessage; tag: string; shard: number; at: number }> = [];
    const ask = async (i: number) => {
      const tag = `q${i}`;
      const dm = i % 3 === 0;
      const guild = guildOf(i);
      const guildId = guild.id;
      const message = dm
        ? await fakeDiscord.injectMessage({
            content: `${tag} hello`,
            author: { id: `7000000000000${i}`, username: `u${i}` },
          })
        : await fakeDiscord.injectMessage({
            guildId,
            channelId: guild.channels[i % 3]!.id,
            content: `<@${botId}> ${tag} hello`,
            author: { id: `7000000000000${i}`, username: `u${i}` },
          });
      asked.push({ message, tag, shard: dm ? 0 : shardOfGuild(guildId), at: Date.now() });
    };

    // The first messages, then a few more to shard 1's guilds at once; once shard 1 has accepted
    // all of its messages (they are in the journal), SIGKILL it: those replies are in flight
    // (each takes over a second).
    for (let i = 0; i < KILL_AFTER; i += 1) {
      await ask(i);
      await sleep(ARRIVAL_GAP_MS);
    }
    for (let i = KILL_AFTER; i < KILL_AFTER + 2 * GUILDS; i += 1) {
      if (i % 3 !== 0 && shardOfGuild(guildOf(i).id) === KILLED_SHARD) await ask(i);
    }
    const journal = `${prefix}{journal}`;
    const redis = new Redis(REDIS_URL);
    const mine = asked.filter((a) => a.shard === KILLED_SHARD).map((a) => a.message.id);
    const held = async () => {
      const [inFlight, done] = await Promise.all([
        redis.hkeys(`${journal}:entries`),
        redis.zrange(`${journal}:done`, '0', '-1'),
      ]);
      return {
        inFlight: mine.filter((id) => inFlight.includes(id)),
        done: mine.filter((id) => done.includes(id)),
      };
    };
    for (
      let state = await held();
      state.inFlight.length + state.done.length < mine.length;
      state = await held()
    )
      await sleep(5);
    const victim = shardPid(manager.pid!, KILLED_SHARD);
    expect(victim).toBeDefined();
    const identified = discord.identifies.length;
    process.kill(victim!, 'SIGKILL');
    const killedAt = Date.now();
    const { inFlight: unfinished } = await held();
    // The ShardingManager respawns it: a new IDENTIFY for shard 1, and 3 sessions again. (Events
    // dispatched to a shard while it is down are not replayed to a new session, so none are sent.)
    while (!(discord.identifies.length > identified && discord.gatewayConnections === SHARDS))
      await sleep(20);
    progress(`shard ${KILLED_SHARD} respawned; ${unfinished.length} in flight at the kill`);

    // The rest, the primary failing from the middle on (a breaker opens somewhere); an invalidation.
    const admin = new Redis(REDIS_URL);
    const store = new RedisSessionStore({ redis: admin, keyPrefix: prefix });
    await store.ready();
    for (let i = KILL_AFTER; i < MESSAGES; i += 1) {
      if (i === MESSAGES / 2) openRouter.script('primary', { status: 503 });
      if (asked.some((a) => a.tag === `q${i}`)) continue; // sent before the kill
      await ask(i);
      await sleep(ARRIVAL_GAP_MS);
    }
    await store.deleteGuild(guilds[0]!.id);
    progress('all sent');

    // Every message: its whole answer arrives (the edits queue behind the global limit) …
    const answer = (tag: string) => `ok ${tag} and a few more words`;
    for (const { message, tag } of asked) {
      progress(`waiting for ${tag}`);
      await discord.waitForMessages(message.channel_id, (ms) => ms.some((m) => m.content === answer(tag)));
    }
    await sleep(1_500); // … and nothing else follows: no second reply, no late edit
    const answersPerTag = new Map<string, number>();
    for (const channelId of new Set(asked.map((a) => a.message.channel_id))) {
      for (const m of discord.messages(channelId).filter((x) => x.author.id === botId)) {
        const tag = /^ok (q\d+) /.exec(m.content)?.[1] ?? m.content;
        answersPerTag.set(tag, (answersPerTag.get(tag) ?? 0) + 1);
      }
    }
    expect([...answersPerTag.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(answersPerTag.size).toBe(MESSAGES);
    expect(discord.globalLimitViolations).toBe(0);

    const logs = [0, 1, 2].map(logOf);
    for (const log of logs) {
      expect(log.some((line) => line.event === 'breaker_open')).toBe(true);
      expect(
        log.some((line) => line.event === 'session_invalidated' && line.detail?.origin === 'remote'),
      ).toBe(true);
    }
    const recovered = logs.flat().filter((line) => line.event === 'reply_recovered');
    const lateness = asked
      .filter((a) => unfinished.includes(a.message.id))
      .map((a) => {
        const reply = discord!.messages(a.message.channel_id).find((m) => m.content === answer(a.tag));
        return reply ? Date.parse(reply.edited_timestamp ?? reply.timestamp) - killedAt : Number.NaN;
      });
    console.log(
      JSON.stringify({
        inFlightAtKill: unfinished.length,
        recovered: recovered.length,
        latenessAfterKillMs: { max: Math.max(...lateness), min: Math.min(...lateness) },
        invalidRequests: discord.invalidRequests,
      }),
    );
    expect(unfinished.length).toBeGreaterThan(0); // the kill did catch replies in flight …
    expect(recovered.length).toBeGreaterThanOrEqual(unfinished.length); // … and each was taken over
    await redis.quit();
    await admin.quit();
    await store.close();

    // Graceful stop: the manager stops its shards and exits.
    const exited = new Promise((resolve) => manager!.once('exit', resolve));
    manager.kill('SIGTERM');
    await exited;
    passed = true;
  }, 120_000);
});
