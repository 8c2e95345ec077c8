import type { PhaseSummary } from '../timing/phase-timer.ts';
import type { LoggerLike } from './event.ts';

/** Discord ids of the message a pipeline answered. */
export interface PipelineIds {
  guildId?: string | null;
  userId?: string | null;
  msgId?: string | null;
}

/**
 * Writes the one `pipeline_complete` event that ends a request: `detail.corr_id`,
 * `detail.total_duration_ms`, `detail.phases` (ms per phase), plus any `extra` detail.
 */
export function logPipelineComplete(
  logger: LoggerLike,
  summary: PhaseSummary,
  ids: PipelineIds = {},
  extra: Record<string, unknown> = {},
): void {
  logger.info(
    {
      guild_id: ids.guildId ?? null,
      user_id: ids.userId ?? null,
      msg_id: ids.msgId ?? null,
      corr_id: summary.corrId,
      total_duration_ms: summary.totalMs,
      phases: summary.phases,
      ...extra,
    },
    'pipeline_complete',
  );
}
