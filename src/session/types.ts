/** Who wrote a chat message (the OpenAI chat-completions roles chatlane stores). */
export type HistoryRole = 'user' | 'assistant' | 'system';

/**
 * One message of a conversation, in the OpenAI chat-completions shape, so a history can be passed
 * straight to the LLM. Extra fields (`name`, ids, …) are kept as given.
 */
export interface HistoryMessage {
  /** Author role. */
  readonly role: HistoryRole;
  /** Plain-text content (token-counted for the history budget). */
  readonly content: string;
  /** Any extra field is stored and returned unchanged. */
  readonly [extra: string]: unknown;
}

/** Which history budget applies: direct messages (800 tokens) or guild channels (1200 tokens). */
export type HistoryKind = 'dm' | 'guild';

/** Counts the tokens of a text; the default is {@link estimateTokens}. */
export type TokenCounter = (text: string) => number;
