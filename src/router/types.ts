/** How much work a message needs. */
export type RouteComplexity = 'simple' | 'moderate' | 'complex';

/** `fast`: answer with the light pipeline; `full`: the whole pipeline. */
export type RoutePath = 'fast' | 'full';

/** What the router needs to know about an incoming message. */
export interface RouteMessage {
  /** The message text (any string; empty, huge and malformed text are all fine). */
  text: string;
  /** True in a direct message. */
  isDM: boolean;
  /** The message carries files or images. @default false */
  hasAttachments?: boolean;
  /** The message carries embeds. @default false */
  hasEmbeds?: boolean;
  /** The message mentions the bot. @default false */
  mentionsBot?: boolean;
  /** Author id (passed on to the classifier). */
  userId?: string;
  /** Guild id, absent in DMs (passed on to the classifier). */
  guildId?: string;
}

/** Pipeline steps the decision lets the caller skip. */
export interface RouteSkip {
  /** Skip loading profile and history (chit-chat needs none). */
  context: boolean;
  /** Skip retrieval (RAG prefilter: obvious chit-chat and simple non-questions). */
  rag: boolean;
  /** Skip modality detection (nothing attached or embedded). */
  modality: boolean;
}

/** Where a decision came from. */
export type RouteSource = 'heuristic' | 'classifier' | 'emergency';

/** The router's answer. */
export interface RouteDecision {
  path: RoutePath;
  complexity: RouteComplexity;
  skip: RouteSkip;
  /** Model id for this complexity (from the `models` option). */
  model: string;
  /** Short machine-readable reason, e.g. `dm-short-text`, `code-block`, `classifier-timeout`. */
  reason: string;
  /** Time the decision took, in milliseconds. */
  decisionMs: number;
  /** True when the classifier overran the budget and the emergency decision was returned. */
  timedOut: boolean;
  /** Who decided. */
  source: RouteSource;
}

/** What a classifier may answer: a complexity, or a verdict with optional overrides. */
export type ClassifierVerdict =
  | RouteComplexity
  | {
      complexity: RouteComplexity;
      /** Force the path (else derived from the complexity and the message). */
      path?: RoutePath;
      /** Override the RAG skip flag. */
      skipRag?: boolean;
      /** Reason reported in the decision. */
      reason?: string;
    };

/**
 * A pluggable async classifier (e.g. a small LLM call). It is raced against the decision budget;
 * when it overruns, `signal` is aborted. Throwing or returning `undefined` falls back to heuristics.
 */
export type RouteClassifier = (
  message: RouteMessage,
  options: { signal: AbortSignal },
) => Promise<ClassifierVerdict | undefined> | ClassifierVerdict | undefined;

/** A failure `route()` absorbed (it still returned a decision), as given to the router's `error` event. */
export interface RouteErrorEvent {
  /**
   * `input`: reading the message threw (a throwing getter or Proxy); `classifier`: the classifier
   * threw or rejected; `verdict`: reading the classifier's answer threw.
   */
  stage: 'input' | 'classifier' | 'verdict';
  /** What was thrown. */
  error: unknown;
}

/** Model id per complexity. */
export interface RouterModels {
  simple: string;
  moderate: string;
  complex: string;
}
