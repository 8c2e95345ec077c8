/**
 * Runs one reliability scenario: starts the rig (fakes, real discord.js REST, every primitive
 * real), pushes the messages through `answerMessage` from concurrent pipelines, then classifies
 * each message by what the fake Discord shows, scans every output for the secrets, closes
 * everything and counts the handles left. Every wait is bounded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FAILURE_REPLIES } from 'chatlane';
import { seededRandom } from 'chatlane/testing';
import { answerMessage, type IncomingMessage } from '../../examples/reference-bot/pipeline.ts';
import {
  expectedReply,
  type Rig,
  type RigOptions,
  runWorkers,
  settledResourceCount,
  startRig,
} from '../helpers/pipeline-rig.ts';
import { capture, countLeaks, readLog, watchProcess, within } from './capture.ts';
import {
  DISCORD_TOKEN,
  FAULT_SEED,
  GUILD_CHANNELS,
  LLM_TIMEOUTS,
  MESSAGE_DEADLINE_MS,
  OPENROUTER_API_KEY,
  SETTLE_MS,
} from './settings.ts';

/** What a scenario sets up besides the defaults, and the hooks it runs. */
export interface ScenarioHooks {
  /** Rig options merged over the suite's defaults. */
  options?: RigOptions;
  /** Scripts faults once the rig runs. */
  prepare?(rig: Rig): void;
  /** Called after each answered message (`done` of `total`). */
  progress?(done: number, total: number): void;
  /** Called once every message is answered, before the classification (e.g. end an outage). */
  finish?(): Promise<void>;
  /** Extra checks of the run; each returned string is a violation. */
  checks?(): string[];
  /** Called after the rig is closed (kill processes, delete keys). */
  cleanup?(): Promise<void>;
}

/** One row of the reliability table. */
export interface Scenario {
  /** Test name (`-t` filter) and first column. */
  name: string;
  /** What is injected, for the table. */
  faults: string;
  pipelines: number;
  perPipeline: number;
  /** Text of message `n`. @default `m<n> tell me something about item <n>` */
  content?: (n: number) => string;
  /** The whole answer expected for a message. @default `ok <first word>` */
  expected?: (msg: IncomingMessage) => string;
  /** Deliver every message twice (a replayed gateway event): even ones concurrently, odd ones after. */
  replay?: boolean;
  /** Setup and hooks, made fresh for each run. */
  hooks?: () => Promise<ScenarioHooks>;
  /** Share of the messages that must get the whole answer. */
  minWholeRatio: number;
  /** Every message must get exactly one polite failure notice (every model down). */
  everyReplyNotice?: boolean;
  /** Extra checks; each returned string is a violation. */
  checks?: (rig: Rig) => string[];
}

/** What a run measured. */
export interface ScenarioResult {
  scenario: Scenario;
  messages: number;
  /** Bot messages replying to the scenario's messages. */
  replies: number;
  whole: number;
  notices: number;
  lost: number;
  duplicated: number;
  /** One reply, neither the whole answer nor a polite notice (e.g. a silent short answer). */
  wrong: number;
  /** Messages still unanswered at the suite's per-message deadline. */
  hung: number;
  maxLatencyMs: number;
  /** Log lines and Discord messages containing a configured secret. */
  secretLeaks: number;
  /** Handles left open after `close()` beyond those open before the scenario. */
  openHandles: number;
  /** `close()` did not finish within the deadline. */
  closeHung: boolean;
  /** Violations found by the scenario's own checks. */
  checkFailures: string[];
  /** Up to EXAMPLES_KEPT messages that missed (lost, duplicated, wrong): what Discord shows for them. */
  examples: string[];
  /** Lines the process wrote to the console during the run (outside the bot's logger). */
  strayConsoleLines: number;
  /** Unhandled promise rejections during the run. */
  unhandledRejections: number;
  /** What the primitives counted (client attempts, retries, fallbacks, resets; log events by name). */
  diagnostics: string;
}

/** Missed messages described in a result. */
const EXAMPLES_KEPT = 3;
/** Characters of a reply quoted in an example. */
const EXAMPLE_CHARS = 80;

function example(msg: IncomingMessage, replies: Array<{ content: string }>, expected: string): string {
  const shown = replies.map((r) => JSON.stringify(r.content.slice(0, EXAMPLE_CHARS)));
  return `msg ${msg.id}: expected ${JSON.stringify(expected.slice(0, EXAMPLE_CHARS))}, Discord shows [${shown.join(', ')}]`;
}

function defaultContent(n: number): string {
  return `m${n} tell me something about item ${n}`;
}

function userId(n: number): string {
  return String(440_000_000_000_000_000n + BigInt(n));
}

/** Answers `msg` with a deadline: aborted at the deadline, abandoned (counted as hung) past it. */
async function answerWithin(rig: Rig, msg: IncomingMessage): Promise<boolean> {
  const controller = new AbortController();
  const answering = answerMessage(rig.parts, msg, controller.signal);
  if (await within(answering, MESSAGE_DEADLINE_MS)) return true;
  controller.abort(new Error('reliability suite: message deadline'));
  return within(answering, SETTLE_MS);
}

/** Counters worth reading when a scenario misses its goal. */
function diagnostics(rig: Rig): string {
  const llm = rig.parts.llm.getStats();
  const counts = {
    attempts: llm.attempts,
    retries: llm.retries,
    fallbacks: llm.fallbacks,
    resets: llm.resets,
  };
  const client = Object.entries(counts).map(([name, n]) => `${name} ${n}`);
  const failures = Object.entries(llm.failuresByKind).map(([code, n]) => `${code} ${n}`);
  const events = [...rig.eventCounts]
    .filter(([name]) => !name.startsWith('phase'))
    .map(([name, n]) => `${name} ${n}`);
  return [
    `client: ${client.join(', ')}`,
    `failures: ${failures.join(', ') || 'none'}`,
    `events: ${events.join(', ')}`,
  ].join('; ');
}

interface Sent {
  msg: IncomingMessage;
  latencyMs: number;
  answered: boolean;
}

async function sendAll(rig: Rig, scenario: Scenario, hooks: ScenarioHooks): Promise<Sent[]> {
  const total = scenario.pipelines * scenario.perPipeline;
  const content = scenario.content ?? defaultContent;
  const sent: Sent[] = [];
  await runWorkers(scenario.pipelines, scenario.perPipeline, async (worker, i) => {
    const n = worker * scenario.perPipeline + i;
    const msg =
      worker % 2 === 0
        ? await rig.guildMessage(worker % GUILD_CHANNELS, userId(n), content(n))
        : await rig.dmMessage(userId(1_000_000 + worker), content(n));
    const started = performance.now();
    let answered: boolean;
    if (!scenario.replay) answered = await answerWithin(rig, msg);
    else if (n % 2 === 0)
      answered = (await Promise.all([answerWithin(rig, msg), answerWithin(rig, msg)])).every(Boolean);
    else answered = (await answerWithin(rig, msg)) && (await answerWithin(rig, msg));
    sent.push({ msg, latencyMs: performance.now() - started, answered });
    hooks.progress?.(sent.length, total);
  });
  return sent;
}

function classify(rig: Rig, scenario: Scenario, sent: Sent[], result: ScenarioResult): void {
  const expected = scenario.expected ?? expectedReply;
  const notices = Object.values(FAILURE_REPLIES);
  for (const { msg, latencyMs, answered } of sent) {
    const replies = rig.repliesTo(msg);
    result.replies += replies.length;
    if (!answered) result.hung += 1;
    result.maxLatencyMs = Math.max(result.maxLatencyMs, latencyMs);
    const content = replies[0]?.content ?? '';
    if (replies.length === 1 && content === expected(msg)) result.whole += 1;
    else if (replies.length === 1 && notices.some((notice) => content.endsWith(notice))) result.notices += 1;
    else {
      if (replies.length === 0) result.lost += 1;
      else if (replies.length > 1) result.duplicated += 1;
      else result.wrong += 1;
      if (result.examples.length < EXAMPLES_KEPT) result.examples.push(example(msg, replies, expected(msg)));
    }
  }
}

/** Runs `scenario` end to end and returns its measurements (never throws for a scenario's faults). */
export async function runScenario(scenario: Scenario): Promise<ScenarioResult> {
  const baseline = process.getActiveResourcesInfo().length;
  const hooks = (await scenario.hooks?.()) ?? {};
  const logDir = mkdtempSync(join(tmpdir(), 'chatlane-reliability-'));
  const consoleOut = capture();
  const options = hooks.options ?? {};
  const result: ScenarioResult = {
    scenario,
    messages: scenario.pipelines * scenario.perPipeline,
    ...{ replies: 0, whole: 0, notices: 0, lost: 0, duplicated: 0, wrong: 0, hung: 0, maxLatencyMs: 0 },
    ...{ secretLeaks: 0, openHandles: 0, closeHung: false, checkFailures: [], diagnostics: '' },
    ...{ examples: [], strayConsoleLines: 0, unhandledRejections: 0 },
  };
  const watcher = watchProcess();
  const rig = await startRig({
    guildChannels: GUILD_CHANNELS,
    discord: { bucketLimit: 100_000 },
    ...options,
    env: { LOG_LEVEL: 'DEBUG', ...options.env },
    assemble: {
      ...options.assemble,
      llmOptions: { ...LLM_TIMEOUTS, random: seededRandom(FAULT_SEED), ...options.assemble?.llmOptions },
    },
    logDir,
    console: consoleOut.stream,
    secrets: { discordToken: DISCORD_TOKEN, openRouterApiKey: OPENROUTER_API_KEY },
  }).catch(async (error: unknown) => {
    // The rig did not start (e.g. no Redis): release what the scenario started, then fail.
    watcher.stop();
    await hooks.cleanup?.();
    rmSync(logDir, { recursive: true, force: true });
    throw error;
  });
  try {
    hooks.prepare?.(rig);
    const sent = await sendAll(rig, scenario, hooks);
    await hooks.finish?.();
    await sleep(SETTLE_MS);
    classify(rig, scenario, sent, result);
    result.checkFailures = [...(scenario.checks?.(rig) ?? []), ...(hooks.checks?.() ?? [])];
    result.diagnostics = diagnostics(rig);
    const shown = [...new Set(sent.map((s) => s.msg.channelId))].flatMap((id) =>
      rig.botMessages(id).map((m) => m.content),
    );
    result.secretLeaks += countLeaks(shown);
  } finally {
    result.closeHung = !(await within(rig.close(), MESSAGE_DEADLINE_MS));
    await hooks.cleanup?.();
    const stray = watcher.stop();
    result.strayConsoleLines = stray.lines.length;
    result.unhandledRejections = stray.rejections;
    result.secretLeaks += countLeaks([readLog(rig.parts.jsonlPath), consoleOut.text(), ...stray.lines]);
    rmSync(logDir, { recursive: true, force: true });
    consoleOut.stream.destroy();
  }
  result.openHandles = Math.max(0, (await settledResourceCount(baseline)) - baseline);
  return result;
}

/** The violations of the issue #10 goals in `result`, one readable line each (empty: all met). */
export function violations(result: ScenarioResult): string[] {
  const { scenario: s, messages } = result;
  const problems: string[] = [];
  const ratio = result.whole / messages;
  if (ratio < s.minWholeRatio)
    problems.push(
      `whole answers ${result.whole}/${messages} (${(ratio * 100).toFixed(2)} %) < ${s.minWholeRatio * 100} %`,
    );
  if (s.everyReplyNotice && result.notices !== messages)
    problems.push(`polite notices ${result.notices}/${messages}`);
  if (result.lost > 0) problems.push(`lost ${result.lost}`);
  if (result.duplicated > 0) problems.push(`duplicated ${result.duplicated}`);
  if (result.wrong > 0) problems.push(`wrong (partial or garbled) ${result.wrong}`);
  if (result.hung > 0) problems.push(`hung past the ${MESSAGE_DEADLINE_MS} ms deadline ${result.hung}`);
  if (result.unhandledRejections > 0) problems.push(`unhandled rejections ${result.unhandledRejections}`);
  if (result.secretLeaks > 0) problems.push(`secret in output ${result.secretLeaks}`);
  if (result.closeHung) problems.push('close() did not finish');
  if (result.openHandles > 0) problems.push(`handles open after close ${result.openHandles}`);
  return [...problems, ...result.checkFailures, ...result.examples];
}
