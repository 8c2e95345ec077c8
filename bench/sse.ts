/**
 * SseParser on hostile input: one 20 MB `data:` line fed in 64 KiB chunks, each chunk in its own
 * macrotask (as the network delivers it). Reports the total parse time, the longest single
 * `feed()` (an event-loop stall) and the event-loop delay p100 seen by `monitorEventLoopDelay`.
 *
 * Twice: with `maxEventBytes` above the line (the parser does the whole job), and with the
 * default limit (the event is rejected with `ResponseTooLargeError` once it passes 4 MiB).
 *
 * Run alone: `npx node --conditions=chatlane-source bench/sse.ts`
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setImmediate as nextMacrotask, setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { SseParser } from '../src/openrouter/sse.ts';
import { scaled } from './scale.ts';

const LINE_BYTES = scaled(20 * 1024 * 1024, 256 * 1024);
const CHUNK_BYTES = 64 * 1024;

interface SseBenchResult {
  rejected: boolean;
  parseMs: number;
  longestFeedMs: number;
  loopDelayMaxMs: number;
  events: number;
}

/** Feeds one `LINE_BYTES` `data:` line (then its blank line) in `CHUNK_BYTES` chunks. */
async function parseHugeLine(maxEventBytes?: number): Promise<SseBenchResult> {
  const payload = Buffer.alloc(LINE_BYTES, 'x');
  const stream = Buffer.concat([Buffer.from('data: '), payload, Buffer.from('\n\n')]);
  const parser = new SseParser(maxEventBytes === undefined ? {} : { maxEventBytes });
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  let longestFeedMs = 0;
  let events = 0;
  let rejected = false;
  const started = performance.now();
  for (let offset = 0; offset < stream.length && !rejected; offset += CHUNK_BYTES) {
    await nextMacrotask();
    const feedStarted = performance.now();
    try {
      events += parser.feed(stream.subarray(offset, offset + CHUNK_BYTES)).length;
    } catch {
      rejected = true;
    }
    longestFeedMs = Math.max(longestFeedMs, performance.now() - feedStarted);
  }
  const parseMs = performance.now() - started;
  await sleep(20); // lets the histogram's timer record the last stall
  histogram.disable();
  return { rejected, parseMs, longestFeedMs, loopDelayMaxMs: histogram.max / 1e6, events };
}

/** Runs the bench; returns a markdown report. */
export async function runSseBench(): Promise<string> {
  const rows = [
    ['maxEventBytes 64 MiB (accepted)', await parseHugeLine(64 * 1024 * 1024)],
    ['default maxEventBytes 4 MiB', await parseHugeLine()],
  ] as const;
  return [
    '| one 20 MB `data:` line, 64 KiB chunks | outcome | parse ms | longest feed() ms | event-loop delay max ms |',
    '| ------------------------------------- | ------- | -------: | ----------------: | ----------------------: |',
    ...rows.map(
      ([name, r]) =>
        `| ${name} | ${r.rejected ? 'ResponseTooLargeError' : `${r.events} event`} | ${r.parseMs.toFixed(0)} | ${r.longestFeedMs.toFixed(1)} | ${r.loopDelayMaxMs.toFixed(1)} |`,
    ),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(await runSseBench());
