/**
 * One fake Discord + discord.js REST + DiscordSender setup for the Discord test files: registers
 * the beforeEach/afterEach hooks and hands the live objects out through getters.
 */
import { DiscordSender, type DiscordSenderOptions } from 'chatlane';
import { FakeDiscord, type FakeDiscordOptions, type FakeDiscordRequest } from 'chatlane/testing';
import { REST, type RESTOptions } from 'discord.js';
import { afterEach, beforeEach } from 'vitest';

/** Fake Discord options without the token (the fixture sets it from {@link DiscordFixtureOptions.token}). */
export type FixtureDiscordOptions = Omit<FakeDiscordOptions, 'token'>;

export interface DiscordFixtureOptions {
  /** Bot token: the fake checks it, the REST client sends it. @default 'fixture-token' */
  token?: string;
  /** Fake Discord options, or a function making them afresh for every test. @default {} */
  discord?: FixtureDiscordOptions | (() => FixtureDiscordOptions);
  /** Extra discord.js REST options. @default { retries: 1 } */
  rest?: Partial<RESTOptions>;
}

export interface DiscordFixture {
  /** The fake Discord of the running test. */
  readonly discord: FakeDiscord;
  /** A real discord.js REST client pointed at {@link discord}. */
  readonly rest: REST;
  /** The sender made last by {@link makeSender} in the running test. */
  readonly sender: DiscordSender | undefined;
  /** A DiscordSender on {@link rest}, closed after the test (methods work destructured). */
  makeSender(options?: Omit<DiscordSenderOptions, 'rest'>): DiscordSender;
  /** Recorded message creates (`POST …/messages`), optionally only those on `path`. */
  creates(path?: string): FakeDiscordRequest[];
  /** Closes the fake and starts a new one (with these extra options) plus a new REST client. */
  restart(discord?: FixtureDiscordOptions): Promise<void>;
}

const DEFAULT_TOKEN = 'fixture-token';

export function useDiscordFixture(options: DiscordFixtureOptions = {}): DiscordFixture {
  const token = options.token ?? DEFAULT_TOKEN;
  const discordOptions = () =>
    typeof options.discord === 'function' ? options.discord() : (options.discord ?? {});
  let discord: FakeDiscord | undefined;
  let rest: REST | undefined;
  let sender: DiscordSender | undefined;
  const senders: DiscordSender[] = [];

  async function start(extra: FixtureDiscordOptions = {}): Promise<void> {
    discord = await FakeDiscord.start({ token, ...discordOptions(), ...extra });
    rest = new REST({ api: discord.apiUrl, retries: 1, ...options.rest }).setToken(token);
  }

  async function stop(): Promise<void> {
    rest?.clearHashSweeper();
    rest?.clearHandlerSweeper();
    await discord?.close();
  }

  function live<T>(value: T | undefined): T {
    if (value === undefined) throw new Error('the Discord fixture is only live inside a test');
    return value;
  }

  beforeEach(() => start());

  afterEach(async () => {
    await Promise.all(senders.splice(0).map((made) => made.close()));
    sender = undefined;
    await stop();
  });

  return {
    get discord() {
      return live(discord);
    },
    get rest() {
      return live(rest);
    },
    get sender() {
      return sender;
    },
    makeSender(senderOptions = {}) {
      sender = new DiscordSender({ rest: live(rest), ...senderOptions });
      senders.push(sender);
      return sender;
    },
    creates(path) {
      return live(discord).requests.filter(
        (r) => r.method === 'POST' && r.path.endsWith('/messages') && (!path || r.path === path),
      );
    },
    async restart(extra) {
      await stop();
      await start(extra);
    },
  };
}
