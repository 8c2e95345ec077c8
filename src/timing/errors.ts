import { ChatlaneError } from '../errors.ts';

/** Codes of {@link PhaseTimerError}. */
export type PhaseTimerErrorCode = 'PHASE_ALREADY_STARTED' | 'PHASE_NOT_STARTED' | 'PHASE_ALREADY_ENDED';

/** A phase was started twice, ended without a start, or ended twice. `phase` names it. */
export class PhaseTimerError extends ChatlaneError {
  declare readonly code: PhaseTimerErrorCode;
  /** The phase the mistake was made with. */
  readonly phase: string;

  constructor(code: PhaseTimerErrorCode, phase: string, corrId: string) {
    const what = {
      PHASE_ALREADY_STARTED: 'was started twice',
      PHASE_NOT_STARTED: 'was ended but never started',
      PHASE_ALREADY_ENDED: 'was already ended',
    }[code];
    super(code, `Phase "${phase}" ${what} (corr_id ${corrId})`);
    this.phase = phase;
  }
}
