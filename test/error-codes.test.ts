import {
  AbortError,
  AllModelsFailedError,
  CHATLANE_ERROR_CODES,
  type ChatlaneError,
  type ChatlaneErrorCode,
  CircuitOpenError,
  ClosedError,
  DISCORD_ERROR_CODES,
  DiscordContentError,
  DiscordDeliveryError,
  type DiscordDeliveryErrorCode,
  DiscordQueueFullError,
  InvalidOptionsError,
  InvalidResponseError,
  isChatlaneError,
  OpenRouterConnectionError,
  OpenRouterHttpError,
  PhaseTimerError,
  ProfileLoadError,
  ProfileLoaderMissingError,
  QueueTimeoutError,
  ResponseTooLargeError,
  SessionStoreError,
  SessionStoreTimeoutError,
  TemplateSyntaxError,
  TemplateVariableError,
  TemplateWorkerError,
  TimeoutError,
} from 'chatlane';
import { FakeDiscordWaitTimeoutError, MissingPeerDependencyError } from 'chatlane/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';

const discordFailure = (discordCode: number | undefined) =>
  new DiscordDeliveryError('failed', {
    status: 403,
    discordCode,
    method: 'POST',
    path: '/channels/1/messages',
  });

/**
 * One way to get every code from the public API. Typed as a `Record` over the union, so a code
 * added to `CHATLANE_ERROR_CODES` without a producer here (or the reverse) fails to compile.
 */
const producers: Record<ChatlaneErrorCode, () => ChatlaneError> = {
  INVALID_OPTIONS: () => new InvalidOptionsError('options', ['`x`: bad']),
  ABORTED: () => new AbortError(),
  CLOSED: () => new ClosedError('SessionCache'),
  MISSING_PEER_DEPENDENCY: () => new MissingPeerDependencyError('ws', 'FakeDiscord', new Error('gone')),
  PHASE_ALREADY_STARTED: () => new PhaseTimerError('PHASE_ALREADY_STARTED', 'llm', '0123abcd'),
  PHASE_NOT_STARTED: () => new PhaseTimerError('PHASE_NOT_STARTED', 'llm', '0123abcd'),
  PHASE_ALREADY_ENDED: () => new PhaseTimerError('PHASE_ALREADY_ENDED', 'llm', '0123abcd'),
  OPENROUTER_HTTP: () => new OpenRouterHttpError({ status: 503, body: '', model: 'm' }),
  OPENROUTER_TIMEOUT: () => new TimeoutError('first_token', 1_000, 'm'),
  OPENROUTER_CONNECTION: () => new OpenRouterConnectionError('m', new Error('ECONNRESET')),
  OPENROUTER_CIRCUIT_OPEN: () => new CircuitOpenError('m'),
  OPENROUTER_INVALID_RESPONSE: () => new InvalidResponseError('m', 'no choices', '{}'),
  OPENROUTER_ALL_MODELS_FAILED: () => new AllModelsFailedError({ m: new CircuitOpenError('m') }),
  OPENROUTER_RESPONSE_TOO_LARGE: () =>
    new ResponseTooLargeError({ what: 'event', limitBytes: 1, model: 'm' }),
  OPENROUTER_QUEUE_TIMEOUT: () => new QueueTimeoutError(10, 'm'),
  TEMPLATE_SYNTAX: () => new TemplateSyntaxError('t', 'unclosed tag', { offset: 0, line: 1, column: 1 }),
  TEMPLATE_MISSING_VARIABLES: () => new TemplateVariableError('t', ['name']),
  TEMPLATE_WORKER_FAILED: () => new TemplateWorkerError('worker exited'),
  SESSION_PROFILE_LOAD: () => new ProfileLoadError('u1', new Error('db down')),
  SESSION_STORE: () => new SessionStoreError('getHistory', new Error('ECONNREFUSED')),
  SESSION_STORE_TIMEOUT: () => new SessionStoreTimeoutError('getHistory', 100),
  SESSION_NO_PROFILE_LOADER: () => new ProfileLoaderMissingError(),
  DISCORD_UNKNOWN_CHANNEL: () => discordFailure(DISCORD_ERROR_CODES.UNKNOWN_CHANNEL),
  DISCORD_SLOWMODE: () => discordFailure(DISCORD_ERROR_CODES.SLOWMODE),
  DISCORD_WRITE_LIMIT: () => discordFailure(DISCORD_ERROR_CODES.WRITE_LIMIT),
  DISCORD_MISSING_ACCESS: () => discordFailure(DISCORD_ERROR_CODES.MISSING_ACCESS),
  DISCORD_EMPTY_MESSAGE: () => new DiscordContentError('empty'),
  DISCORD_CANNOT_DM: () => discordFailure(DISCORD_ERROR_CODES.CANNOT_DM),
  DISCORD_MISSING_PERMISSIONS: () => discordFailure(DISCORD_ERROR_CODES.MISSING_PERMISSIONS),
  DISCORD_INVALID_FORM_BODY: () => discordFailure(DISCORD_ERROR_CODES.INVALID_FORM_BODY),
  DISCORD_HTTP: () => discordFailure(undefined),
  DISCORD_QUEUE_FULL: () => new DiscordQueueFullError(10),
  FAKE_DISCORD_WAIT_TIMEOUT: () => new FakeDiscordWaitTimeoutError('1', 10, []),
};

describe('ChatlaneErrorCode', () => {
  it('CHATLANE_ERROR_CODES lists exactly the codes the public errors carry', () => {
    expect(Object.keys(producers).sort()).toEqual(Object.keys(CHATLANE_ERROR_CODES).sort());
    for (const [code, produce] of Object.entries(producers)) {
      const error = produce();
      expect(error.code, error.name).toBe(code);
      expect(isChatlaneError(error)).toBe(true);
      expect(CHATLANE_ERROR_CODES[error.code].length).toBeGreaterThan(0);
    }
  });

  it('a Discord code the sender does not name becomes DISCORD_HTTP, never an unlisted code', () => {
    expect(discordFailure(40_001).code).toBe('DISCORD_HTTP');
    expect(discordFailure(0).code).toBe('DISCORD_HTTP');
  });

  it('each class narrows `code` to its own codes', () => {
    expectTypeOf(new TimeoutError('idle', 1).code).toEqualTypeOf<'OPENROUTER_TIMEOUT'>();
    expectTypeOf(new CircuitOpenError('m').code).toEqualTypeOf<'OPENROUTER_CIRCUIT_OPEN'>();
    expectTypeOf(new SessionStoreTimeoutError('op', 1).code).toEqualTypeOf<'SESSION_STORE_TIMEOUT'>();
    expectTypeOf(new SessionStoreError('op', 1).code).toEqualTypeOf<
      'SESSION_STORE' | 'SESSION_STORE_TIMEOUT'
    >();
    expectTypeOf(discordFailure(1).code).toEqualTypeOf<DiscordDeliveryErrorCode>();
    expectTypeOf<ChatlaneError['code']>().toEqualTypeOf<ChatlaneErrorCode>();
  });
});
