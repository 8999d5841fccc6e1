import type { IncomingHttpHeaders } from 'node:http';

const ERROR_TEXT_LIMIT = 4096;

function isJson(headers: IncomingHttpHeaders): boolean {
  const value = headers['content-type'];
  return value !== undefined && value.includes('json');
}

/** Thrown when a 2xx body announced JSON and was not. */
export class InvalidJsonBody extends Error {
  constructor(cause: unknown) {
    super('upstream sent invalid JSON', { cause });
    this.name = 'InvalidJsonBody';
  }
}

/** The body of a 2xx answer: parsed JSON, text, or undefined when empty (204, HEAD). */
export function decodeBody(text: string, headers: IncomingHttpHeaders): unknown {
  if (text === '') return undefined;
  if (!isJson(headers)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidJsonBody(error);
  }
}

/** The body of a non-2xx answer, best effort, for the caller to inspect (never for clients). */
export function decodeErrorBody(text: string, headers: IncomingHttpHeaders): unknown {
  if (text === '') return undefined;
  if (isJson(headers)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // fall through to the text
    }
  }
  return text.length > ERROR_TEXT_LIMIT ? text.slice(0, ERROR_TEXT_LIMIT) : text;
}
