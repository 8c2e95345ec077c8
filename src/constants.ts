/**
 * Every default of chatlane, named once (each can be overridden per instance through options).
 * One file per primitive under `src/constants/`, in pipeline order; a primitive that needs a new
 * default adds it to its own file.
 */

export * from './constants/discord.ts';
export * from './constants/openrouter.ts';
export * from './constants/router.ts';
export * from './constants/session.ts';
export * from './constants/slo.ts';
export * from './constants/templates.ts';
export * from './constants/timing.ts';
