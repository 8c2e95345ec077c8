import { randomUUID } from 'node:crypto';
import { CORR_ID_BYTES } from '../constants.ts';

const HEX_CHARS_PER_BYTE = 2;

/** A pattern matching a correlation id: 8 lowercase hex characters. */
export const CORR_ID_PATTERN = /^[0-9a-f]{8}$/;

/**
 * A new crypto-random correlation id: 8 lowercase hex characters, e.g. `a1b2c3d4`. The first 8
 * characters of a v4 UUID are 32 random bits; `randomUUID()` draws from a buffered entropy pool,
 * several times cheaper per call than `randomBytes(4)`.
 */
export function newCorrId(): string {
  return randomUUID().slice(0, CORR_ID_BYTES * HEX_CHARS_PER_BYTE);
}
