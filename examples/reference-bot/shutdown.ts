/** Graceful shutdown: stop taking messages, let replies in flight finish, close everything. */
import type { Client } from 'discord.js';
import type { Assembled } from './assemble.ts';
import type { RunningBot } from './bot.ts';

/** Stops the bot, waits up to `deadlineMs` for replies in flight, then closes Discord, pools and logs. */
export async function shutdown(
  bot: RunningBot,
  parts: Assembled,
  client: Client,
  deadlineMs: number,
): Promise<{ finished: number; abandoned: number }> {
  const drained = await bot.stop(deadlineMs);
  parts.logger.info({ ...drained }, 'shutdown_drained');
  await client.destroy();
  await parts.close();
  return drained;
}

/** Runs `onSignal` once on SIGINT/SIGTERM; a second signal exits at once. */
export function onShutdownSignal(onSignal: (signal: NodeJS.Signals) => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    onSignal(signal).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
