/** Defaults of FastPathRouter (re-exported by `src/constants.ts`). */

/** Router decision budget. */
export const ROUTER_DECISION_BUDGET_MS = 100;
/** Plain text up to this many characters counts as short (simple) text. */
export const ROUTER_SHORT_TEXT_CHARS = 280;
/** Text over this many characters is complex. */
export const ROUTER_LONG_TEXT_CHARS = 1_200;
/** Text is truncated to this many characters before heuristics run (huge input stays cheap). */
export const ROUTER_MAX_SCAN_CHARS = 8_000;
/** Text with more lines than this is complex (structured input: lists, logs, pasted files). */
export const ROUTER_COMPLEX_LINES = 12;
/** Chit-chat (greetings, thanks, acknowledgements, emoji) is at most this many characters. */
export const ROUTER_CHITCHAT_MAX_CHARS = 40;
/** A fenced code block (```) makes a message complex. */
export const ROUTER_CODE_BLOCK_PATTERN = /```/;
/** A link makes a message at least moderate (it may need fetching or retrieval). */
export const ROUTER_URL_PATTERN = /https?:\/\//i;
/** Phrases of a question that needs retrieval (facts, docs, recent events): RAG is not skipped. */
export const ROUTER_RETRIEVAL_PATTERN =
  /\b(who|what|when|where|which|how (?:many|much|do|does|to)|why|explain|according to|docs?|documentation|source|latest|news|release|version|price|compare|define|search|look up)\b/i;
/** Whole-message chit-chat: greetings, thanks, acknowledgements (RAG and context skipped). */
export const ROUTER_CHITCHAT_PATTERN =
  /^(?:h(?:i+|ello|ey+|owdy)|yo|sup|gm|gn|good (?:morning|night|evening)|thanks?(?: you)?|thx|ty|ok(?:ay)?|k|cool|nice|great|lol+|lmao|haha+|yes|no|yep|nope|sure|bye|cya|see you)\b[\s!.?,:)(]*(?:\p{Extended_Pictographic}|\s)*$/iu;
/** Text made only of emoji, punctuation and spaces counts as chit-chat. */
export const ROUTER_EMOJI_ONLY_PATTERN =
  /^(?:[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\p{P}\s]|\u200d|\ufe0f)+$/u;
/** Default model for simple messages (fast and cheap). */
export const ROUTER_MODEL_SIMPLE = 'openai/gpt-4o-mini';
/** Default model for moderate messages. */
export const ROUTER_MODEL_MODERATE = 'openai/gpt-4o-mini';
/** Default model for complex messages (strong). */
export const ROUTER_MODEL_COMPLEX = 'anthropic/claude-sonnet-4';
/** Decision-time samples kept for p50/p95. */
export const ROUTER_STATS_WINDOW = 1_024;
