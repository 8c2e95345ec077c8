/**
 * Full-pipeline benchmark: the reference bot's `answerMessage` (router → session ∥ template →
 * streamed LLM → streamed Discord reply → history → log → SLO) against both fakes, side by side
 * with a hand-written baseline doing the same network work with raw `undici.request` (one
 * streamed completion, a message created at the first token, one final edit) and nothing else.
 *
 * 1. Library overhead: both fakes at 0 ms, sequential messages, interleaved rounds; the per-message
 *    difference of the p95s is what chatlane adds (SPEC goal: ≤ 1 ms p95 of its own work).
 * 2. Streaming: fake TTFT 150 ms and Discord latency 20 ms; the time to the first visible Discord
 *    text against TTFT + one Discord round trip (SPEC goal: ≤).
 *
 *   npx node --conditions=chatlane-source --expose-gc bench/pipeline.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeDiscord, FakeOpenRouter, snowflake } from 'chatlane/testing';
import { REST } from 'discord.js';
import { request } from 'undici';
import { type Assembled, assemble } from '../examples/reference-bot/assemble.ts';
import { loadConfig } from '../examples/reference-bot/config.ts';
import { answerMessage, type IncomingMessage } from '../examples/reference-bot/pipeline.ts';
import { scaled } from './scale.ts';

const TOKEN = 'bench-token';
const MODEL = 'bench/model';
const ROUNDS = scaled(5);
const MESSAGES_PER_ROUND = scaled(200, 5);
const STREAM_MESSAGES = scaled(20, 2);
const STREAM_TTFT_MS = 150;
const DISCORD_LATENCY_MS = 20;
const USER_ID = '610000000000000001';
const RAW = 'raw undici for both (same I/O, no library)';
const RAW_DJS = 'raw undici + discord.js REST (same I/O)';
const OURS = 'chatlane pipeline (7 primitives, discord.js REST)';

interface Setup {
  openRouter: FakeOpenRouter;
  discord: FakeDiscord;
  parts: Assembled;
  rest: REST;
  channelId: string;
  logDir: string;
  /** `pipeline_complete` phase maps, in order. */
  phases: Array<Record<string, number>>;
}

async function setUp(ttftMs: number, discordLatencyMs: number): Promise<Setup> {
  const openRouter = await FakeOpenRouter.start({ defaultBehaviour: { ttftMs }, record: false });
  const discord = await FakeDiscord.start({
    token: TOKEN,
    latencyMs: discordLatencyMs,
    bucketLimit: 1_000_000,
    globalLimit: false,
  });
  const rest = new REST({ api: discord.apiUrl, globalRequestsPerSecond: 1_000_000 }).setToken(TOKEN);
  const logDir = mkdtempSync(join(tmpdir(), 'chatlane-bench-'));
  const config = loadConfig({
    CHATLANE_LOG_DIR: logDir,
    OPENROUTER_MODELS: MODEL,
    MODEL_SIMPLE: MODEL,
    MODEL_MODERATE: MODEL,
    MODEL_COMPLEX: MODEL,
  });
  const phases: Array<Record<string, number>> = [];
  const parts = await assemble({
    config,
    rest,
    extraSinks: [
      {
        write: (event) => {
          if (event.event === 'pipeline_complete') phases.push(event.detail.phases as Record<string, number>);
        },
      },
    ],
    openRouterApiKey: 'bench',
    openRouterBaseUrl: openRouter.baseUrl,
    loadProfile: async () => ({ displayName: 'Bench', locale: 'en' }),
    console: false,
  });
  return { openRouter, discord, parts, rest, channelId: discord.dmChannelId(USER_ID), logDir, phases };
}

async function tearDown(setup: Setup): Promise<void> {
  await setup.parts.close();
  await Promise.all([setup.openRouter.close(), setup.discord.close()]);
  rmSync(setup.logDir, { recursive: true, force: true });
}

function incoming(channelId: string, i: number): IncomingMessage {
  return {
    id: snowflake(),
    channelId,
    guildId: null,
    authorId: USER_ID,
    authorName: 'bench',
    content: i % 3 === 0 ? 'hi!' : 'Can you summarise what a circuit breaker does, in two sentences?',
    isDM: true,
    mentionsBot: false,
    hasAttachments: false,
  };
}

/** Discord calls of a baseline: raw undici, or the same discord.js REST the pipeline uses. */
interface DiscordCalls {
  create(channelId: string, content: string): Promise<string>;
  edit(channelId: string, messageId: string, content: string): Promise<void>;
}

function undiciDiscord(setup: Setup): DiscordCalls {
  const headers = { authorization: `Bot ${TOKEN}`, 'content-type': 'application/json' };
  const url = (channelId: string) => `${setup.discord.apiUrl}/v10/channels/${channelId}/messages`;
  return {
    async create(channelId, content) {
      const res = await request(url(channelId), {
        method: 'POST',
        headers,
        body: JSON.stringify({ content }),
      });
      return ((await res.body.json()) as { id: string }).id;
    },
    async edit(channelId, messageId, content) {
      const res = await request(`${url(channelId)}/${messageId}`, {
        method: 'PATCH',
        headers,
        body: JSON.stringify({ content }),
      });
      await res.body.dump();
    },
  };
}

function discordJsDiscord(setup: Setup): DiscordCalls {
  return {
    async create(channelId, content) {
      return (
        (await setup.rest.post(`/channels/${channelId}/messages`, { body: { content } })) as { id: string }
      ).id;
    },
    async edit(channelId, messageId, content) {
      await setup.rest.patch(`/channels/${channelId}/messages/${messageId}`, { body: { content } });
    },
  };
}

/** The same network work as the pipeline, by hand: stream the completion, create at first token, edit at the end. */
async function rawPipeline(setup: Setup, msg: IncomingMessage, discord: DiscordCalls): Promise<void> {
  const res = await request(`${setup.openRouter.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer bench', 'content-type': 'application/json' },
    body: JSON.stringify({ model: MODEL, stream: true, messages: [{ role: 'user', content: msg.content }] }),
  });
  let text = '';
  let buffer = '';
  let created: Promise<string> | undefined;
  for await (const chunk of res.body) {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
      const delta = (JSON.parse(line.slice(6)) as { choices?: Array<{ delta?: { content?: string } }> })
        .choices?.[0]?.delta?.content;
      if (!delta) continue;
      text += delta;
      created ??= discord.create(msg.channelId, text);
    }
  }
  const id = await created;
  if (id === undefined) throw new Error('the stream had no text');
  await discord.edit(msg.channelId, id, text);
}

async function chatlanePipeline(setup: Setup, msg: IncomingMessage): Promise<void> {
  const outcome = await answerMessage(setup.parts, msg, new AbortController().signal);
  if (!outcome.ok) throw new Error(`pipeline failed for ${msg.id}`);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const median = (values: number[]) => percentile(values, 50);

async function timeRound(
  setup: Setup,
  run: (setup: Setup, msg: IncomingMessage) => Promise<void>,
): Promise<{ p50: number; p95: number; cpuUs: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const times: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < MESSAGES_PER_ROUND; i += 1) {
    const msg = incoming(setup.channelId, i);
    const start = performance.now();
    await run(setup, msg);
    times.push(performance.now() - start);
  }
  const used = process.cpuUsage(cpu);
  return {
    p50: median(times),
    p95: percentile(times, 95),
    cpuUs: (used.user + used.system) / MESSAGES_PER_ROUND,
  };
}

async function overheadTable(): Promise<string> {
  const setup = await setUp(0, 0);
  try {
    const viaUndici = undiciDiscord(setup);
    const viaDiscordJs = discordJsDiscord(setup);
    const contenders: Record<string, (setup: Setup, msg: IncomingMessage) => Promise<void>> = {
      [RAW]: (s, m) => rawPipeline(s, m, viaUndici),
      [RAW_DJS]: (s, m) => rawPipeline(s, m, viaDiscordJs),
      [OURS]: chatlanePipeline,
    };
    const results = new Map<string, Array<{ p50: number; p95: number; cpuUs: number }>>();
    for (const run of Object.values(contenders)) await timeRound(setup, run); // warm-up
    for (let round = 0; round < ROUNDS; round += 1) {
      const names = Object.keys(contenders);
      const order = names.map((_, i) => names[(i + round) % names.length]!);
      for (const name of order) {
        results.set(name, [...(results.get(name) ?? []), await timeRound(setup, contenders[name]!)]);
      }
    }
    const row = (name: string) => {
      const rounds = results.get(name)!;
      return {
        p50: median(rounds.map((r) => r.p50)),
        p95: median(rounds.map((r) => r.p95)),
        cpu: median(rounds.map((r) => r.cpuUs)),
      };
    };
    const raw = row(RAW);
    const rawDjs = row(RAW_DJS);
    const ours = row(OURS);
    const line = (name: string, r: { p50: number; p95: number; cpu: number }) =>
      `| ${name} | ${r.p50.toFixed(3)} | ${r.p95.toFixed(3)} | ${r.cpu.toFixed(0)} |`;
    const added = (base: { p50: number; p95: number; cpu: number }) =>
      `**${(ours.p50 - base.p50).toFixed(3)}** | **${(ours.p95 - base.p95).toFixed(3)}** | **${(ours.cpu - base.cpu).toFixed(0)}**`;
    const phases = setup.parts.slo.getCurrentSloStatus().phases;
    const ownPhases = ['router', 'context', 'prompt']
      .map((phase) => `${phase} p95 ${phases[phase]?.p95?.toFixed(3) ?? '—'} ms`)
      .join(', ');
    return [
      `Both fakes in this process at 0 ms, ${MESSAGES_PER_ROUND} sequential messages per round, medians of ${ROUNDS} interleaved rounds.`,
      '',
      '| pipeline | p50 ms/msg | p95 ms/msg | CPU µs/msg (incl. fakes) |',
      '|---|---:|---:|---:|',
      line(RAW, raw),
      line(RAW_DJS, rawDjs),
      line(OURS, ours),
      `| **chatlane's own work** (vs. the same I/O through discord.js REST) | ${added(rawDjs)} |`,
      `| chatlane + discord.js (vs. raw undici) | ${added(raw)} |`,
      '',
      `Library-only phases inside the pipeline: ${ownPhases}.`,
    ].join('\n');
  } finally {
    await tearDown(setup);
  }
}

async function streamingTable(): Promise<string> {
  const setup = await setUp(STREAM_TTFT_MS, DISCORD_LATENCY_MS);
  try {
    const firstVisible: number[] = [];
    const firstToken: number[] = [];
    const roundTrips: number[] = [];
    for (let i = 0; i < STREAM_MESSAGES; i += 1) {
      const rtStart = performance.now();
      await setup.rest.get('/users/@me');
      roundTrips.push(performance.now() - rtStart);
      const msg = incoming(setup.channelId, i);
      const start = performance.timeOrigin + performance.now(); // the clock of the fake's `at`
      await answerMessage(setup.parts, msg, new AbortController().signal);
      const create = setup.discord.requests.find((r) => r.method === 'POST' && r.path.endsWith('/messages'));
      if (!create) throw new Error('no message was created');
      // The message is visible when Discord answers the create: its arrival plus the fake's latency.
      firstVisible.push(create.at - start + DISCORD_LATENCY_MS);
      // The model's first token as the bot sees it: router, then context ∥ prompt, then the LLM's TTFT.
      const p = setup.phases.at(-1) ?? {};
      firstToken.push((p.router ?? 0) + Math.max(p.context ?? 0, p.prompt ?? 0) + (p.llm_first_token ?? 0));
      setup.discord.clearRequests();
    }
    const visible = median(firstVisible);
    const budget = median(firstToken) + median(roundTrips);
    return [
      `Fake TTFT ${STREAM_TTFT_MS} ms, fake Discord latency ${DISCORD_LATENCY_MS} ms, ${STREAM_MESSAGES} sequential messages (medians).`,
      '',
      '| measure | ms |',
      '|---|---:|',
      `| first visible Discord text (from message receipt) | ${visible.toFixed(1)} |`,
      `| first token seen by the bot (from message receipt) | ${median(firstToken).toFixed(1)} |`,
      `| one Discord round trip (GET /users/@me) | ${median(roundTrips).toFixed(1)} |`,
      `| TTFT + one Discord round trip (goal: first text ≤ this) | ${budget.toFixed(1)} |`,
      `| margin | ${(budget - visible).toFixed(1)} |`,
    ].join('\n');
  } finally {
    await tearDown(setup);
  }
}

/** Runs both measurements and returns markdown. */
export async function runPipelineBench(): Promise<string> {
  return `${await overheadTable()}\n\n${await streamingTable()}`;
}

if (import.meta.main) console.log(await runPipelineBench());
