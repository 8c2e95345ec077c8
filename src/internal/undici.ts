/**
 * chatlane's undici, loaded on first use — after Node's own fetch machinery, so that Node's
 * dispatcher keeps the legacy global-dispatcher slot (`Symbol.for('undici.globalDispatcher.1')`).
 *
 * undici 8 claims that slot when it is imported into a process where it is still empty (and it
 * cannot be taken back). Every other undici copy relying on the global dispatcher — discord.js's
 * REST client, for one — would then send its requests through undici 8, which rejects their
 * multipart `FormData` bodies ("FormData from other sources is not supported"): a bot's
 * `message.reply({ files })` would fail only because chatlane was imported. Reading Node's lazy
 * `FormData` global loads Node's undici, which installs its own dispatcher first; chatlane never
 * uses the global dispatcher itself (its client owns its pool).
 */
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

let loaded: typeof Undici | undefined;

/** The undici module (loaded once, after Node's own dispatcher is in place). */
export function undici(): typeof Undici {
  if (loaded !== undefined) return loaded;
  Reflect.get(globalThis, 'FormData');
  loaded = createRequire(import.meta.url)('undici') as typeof Undici;
  return loaded;
}
