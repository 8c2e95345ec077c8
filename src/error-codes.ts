/**
 * Every `code` a chatlane error can carry, with what it means. The keys form
 * {@link ChatlaneErrorCode}; each error class narrows `code` to its own codes, so a `switch` over
 * `error.code` is checked by the compiler.
 */
export const CHATLANE_ERROR_CODES = Object.freeze({
  // ─── Every primitive ───
  INVALID_OPTIONS: 'Options given to a constructor or method failed validation.',
  ABORTED: 'The operation was cancelled through its AbortSignal or by close().',
  CLOSED: 'The primitive was used after close().',
  MISSING_PEER_DEPENDENCY: 'An optional peer dependency the feature needs is not installed.',
  // ─── PhaseTimer ───
  PHASE_ALREADY_STARTED: 'A phase was started twice.',
  PHASE_NOT_STARTED: 'A phase was ended but never started.',
  PHASE_ALREADY_ENDED: 'A phase was ended twice.',
  // ─── OpenRouterClient ───
  OPENROUTER_HTTP: 'OpenRouter answered with an error status or an in-band error object.',
  OPENROUTER_TIMEOUT: 'A connect, read, first-token, idle or total timeout fired.',
  OPENROUTER_CONNECTION: 'The connection failed or was reset.',
  OPENROUTER_CIRCUIT_OPEN: 'A model was skipped because its circuit breaker is open.',
  OPENROUTER_INVALID_RESPONSE: 'The response body was not the expected shape.',
  OPENROUTER_ALL_MODELS_FAILED: 'Every model of the ladder failed or was skipped.',
  OPENROUTER_RESPONSE_TOO_LARGE: 'An SSE event or a chat() body outgrew its byte limit.',
  OPENROUTER_QUEUE_TIMEOUT: 'A request waited too long for a pooled connection.',
  // ─── TemplateCache ───
  TEMPLATE_SYNTAX: 'The template source is not valid template syntax.',
  TEMPLATE_MISSING_VARIABLES: 'render() was called without values the template needs.',
  TEMPLATE_WORKER_FAILED: 'A compile worker thread crashed or exited.',
  // ─── SessionCache ───
  SESSION_PROFILE_LOAD: 'The loadProfile callback failed or returned undefined.',
  SESSION_STORE: 'A session store operation failed (for example Redis unreachable).',
  SESSION_STORE_TIMEOUT: 'A session store operation did not answer within storeTimeoutMs.',
  SESSION_NO_PROFILE_LOADER: 'getProfile was called on a SessionCache without loadProfile.',
  // ─── DiscordSender ───
  DISCORD_UNKNOWN_CHANNEL: 'Discord 10003: unknown channel (deleted, or not visible to the bot).',
  DISCORD_SLOWMODE: 'Discord 20016: the channel is in slowmode.',
  DISCORD_WRITE_LIMIT: "Discord 20028: the channel's write rate limit was hit.",
  DISCORD_MISSING_ACCESS: 'Discord 50001: missing access to the channel.',
  DISCORD_EMPTY_MESSAGE: 'The content is empty after normalising (Discord 50006).',
  DISCORD_CANNOT_DM: 'Discord 50007: the user cannot be sent a direct message.',
  DISCORD_MISSING_PERMISSIONS: 'Discord 50013: missing permissions.',
  DISCORD_INVALID_FORM_BODY: 'Discord 50035: invalid form body.',
  DISCORD_HTTP: 'Any other failed Discord REST call (HTTP status, network failure).',
  DISCORD_QUEUE_FULL: 'The send queue is full (backpressure); nothing queued was dropped.',
  // ─── chatlane/testing ───
  FAKE_DISCORD_WAIT_TIMEOUT: 'A FakeDiscord wait ended before what it waited for happened.',
} as const);

/** Every `code` a {@link ChatlaneError} can carry (see {@link CHATLANE_ERROR_CODES}). */
export type ChatlaneErrorCode = keyof typeof CHATLANE_ERROR_CODES;
