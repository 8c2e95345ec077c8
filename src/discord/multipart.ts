import { randomUUID } from 'node:crypto';

/** A file sent with a message. */
export interface MessageFile {
  /** File name shown in Discord, e.g. `reply.txt`. */
  name: string;
  /** UTF-8 text content. */
  data: string;
}

const CRLF = '\r\n';
const TEXT_FILE_TYPE = 'text/plain; charset=utf-8';

/** A quoted-string parameter value of a Content-Disposition header. */
function quoted(value: string): string {
  return value.replace(/["\r\n\\]/g, (char) => encodeURIComponent(char));
}

/**
 * The multipart/form-data body Discord takes for a message with files: `payload_json` (the JSON
 * body) and `files[n]`. Encoded here rather than with discord.js's `files` option, whose global
 * `FormData` an undici ≥ 7 global dispatcher (undici 8 is loaded by chatlane) refuses.
 */
export function encodeMultipart(
  payload: unknown,
  files: readonly MessageFile[],
): { body: Buffer; contentType: string } {
  const boundary = `chatlane-${randomUUID()}`;
  const sections = [
    `--${boundary}${CRLF}Content-Disposition: form-data; name="payload_json"${CRLF}` +
      `Content-Type: application/json${CRLF}${CRLF}${JSON.stringify(payload)}${CRLF}`,
    ...files.map(
      (file, index) =>
        `--${boundary}${CRLF}Content-Disposition: form-data; name="files[${index}]"; filename="${quoted(file.name)}"${CRLF}` +
        `Content-Type: ${TEXT_FILE_TYPE}${CRLF}${CRLF}${file.data}${CRLF}`,
    ),
    `--${boundary}--${CRLF}`,
  ];
  return {
    body: Buffer.from(sections.join(''), 'utf8'),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}
