import { ChatlaneError } from '../errors.ts';

/** Where a syntax error is, in the template source (line and column are 1-based). */
export interface TemplatePosition {
  /** 0-based character offset into the source. */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/** The template source is not valid template syntax. `position` points at the offending tag. */
export class TemplateSyntaxError extends ChatlaneError {
  declare readonly code: 'TEMPLATE_SYNTAX';
  /** Id of the template that failed to compile. */
  readonly templateId: string;
  /** Where the error is. */
  readonly position: TemplatePosition;

  constructor(templateId: string, detail: string, position: TemplatePosition) {
    super(
      'TEMPLATE_SYNTAX',
      `Template "${templateId}": ${detail} at line ${position.line}, column ${position.column}`,
    );
    this.templateId = templateId;
    this.position = position;
  }
}

/** `render()` was called without values for variables the template needs. `missing` lists them all. */
export class TemplateVariableError extends ChatlaneError {
  declare readonly code: 'TEMPLATE_MISSING_VARIABLES';
  /** Id of the template being rendered. */
  readonly templateId: string;
  /** Every missing variable name (dotted paths as written), in template order, without repeats. */
  readonly missing: readonly string[];

  constructor(templateId: string, missing: readonly string[]) {
    super(
      'TEMPLATE_MISSING_VARIABLES',
      `Template "${templateId}" is missing variable${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}`,
    );
    this.templateId = templateId;
    this.missing = missing;
  }
}

/** A compile worker thread crashed or exited while compiling. Compiling again may succeed. */
export class TemplateWorkerError extends ChatlaneError {
  declare readonly code: 'TEMPLATE_WORKER_FAILED';
  constructor(message: string, cause?: unknown) {
    super('TEMPLATE_WORKER_FAILED', message, { cause, retryable: true });
  }
}

/** Line and column of `offset` in `source`. */
export function positionOf(source: string, offset: number): TemplatePosition {
  let line = 1;
  let lineStart = 0;
  for (
    let index = source.indexOf('\n');
    index !== -1 && index < offset;
    index = source.indexOf('\n', index + 1)
  ) {
    line += 1;
    lineStart = index + 1;
  }
  return { offset, line, column: offset - lineStart + 1 };
}
