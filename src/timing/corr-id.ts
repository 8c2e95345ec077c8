import { randomBytes } from 'node:crypto';
import { CORR_ID_BYTES } from '../constants.ts';

/** A pattern matching a correlation id: 8 lowercase hex characters. */
export const CORR_ID_PATTERN = /^[0-9a-f]{8}$/;

/** A new crypto-random correlation id: 8 lowercase hex characters, e.g. `a1b2c3d4`. */
export function newCorrId(): string {
  return randomBytes(CORR_ID_BYTES).toString('hex');
}
