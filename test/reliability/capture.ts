/**
 * What the reliability runner captures around a scenario: the console output of the bot's logger
 * and of the process, unhandled rejections, secrets in any of it, and bounded waits.
 */
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { DISCORD_TOKEN, OPENROUTER_API_KEY } from './settings.ts';

/** The secrets configured in every scenario. */
const SECRETS = [DISCORD_TOKEN, OPENROUTER_API_KEY];
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/** Records what the process writes through `console` and its unhandled rejections, until `stop()`. */
export function watchProcess() {
  const lines: string[] = [];
  let rejections = 0;
  const originals = CONSOLE_METHODS.map((name) => [name, console[name]] as const);
  for (const [name, original] of originals) {
    console[name] = (...args: unknown[]) => {
      lines.push(args.map((a) => (a instanceof Error ? `${a.stack}` : String(a))).join(' '));
      original.apply(console, args);
    };
  }
  const onRejection = () => {
    rejections += 1;
  };
  process.on('unhandledRejection', onRejection);
  return {
    stop() {
      for (const [name, original] of originals) console[name] = original;
      process.off('unhandledRejection', onRejection);
      return { lines, rejections };
    },
  };
}

/** Resolves with `true` if `promise` settled within `ms`, else `false` (the promise is left running). */
export async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const deadline = new AbortController();
  const settled = promise.then(
    () => true,
    () => true,
  );
  const timedOut = sleep(ms, false, { signal: deadline.signal }).catch(() => false);
  const done = await Promise.race([settled, timedOut]);
  deadline.abort();
  return done;
}

/** A stream for the bot's console sink, and the text written to it. */
export function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return { stream, text: () => chunks.join('') };
}

/** Lines of `texts` containing a configured secret. */
export function countLeaks(texts: string[]): number {
  return texts.flatMap((text) => text.split('\n')).filter((line) => SECRETS.some((s) => line.includes(s)))
    .length;
}

/** A log file's text ('' if it was never written). */
export function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
