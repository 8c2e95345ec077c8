/**
 * Names of the pipeline phases, as recorded by PhaseTimer and watched by SloMonitor.
 * Any string is a valid phase name; these are the ones the library and the reference bot use.
 */
export const PHASES = {
  /** The whole message pipeline, from receipt to the last Discord write. */
  PIPELINE: 'pipeline',
  /** FastPathRouter decision. */
  ROUTER: 'router',
  /** SessionCache: profile and history. */
  CONTEXT: 'context',
  /** TemplateCache: prompt rendering. */
  PROMPT: 'prompt',
  /** The LLM call, request to last token. */
  LLM: 'llm',
  /** The LLM call, request to first content token. */
  LLM_FIRST_TOKEN: 'llm_first_token',
  /** Discord delivery (send, or the streamed edits). */
  DISCORD: 'discord',
} as const;

/** One of the library's phase names. */
export type PhaseName = (typeof PHASES)[keyof typeof PHASES];
