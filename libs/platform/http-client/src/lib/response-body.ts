import type { Dispatcher } from 'undici';

const ERROR_TEXT_LIMIT = 4096;

function isJson(contentType: string | string[] | undefined): boolean {
  const value = Array.isArray(contentType) ? contentType[0] : contentType;
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
export async function readBody(response: Dispatcher.ResponseData): Promise<unknown> {
  const text = await response.body.text();
  if (text === '') return undefined;
  if (!isJson(response.headers['content-type'])) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidJsonBody(error);
  }
}

/** The body of a non-2xx answer, best effort, for the caller to inspect (never for clients). */
export async function readErrorBody(response: Dispatcher.ResponseData): Promise<unknown> {
  const text = await response.body.text();
  if (text === '') return undefined;
  if (isJson(response.headers['content-type'])) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // fall through to the text
    }
  }
  return text.length > ERROR_TEXT_LIMIT ? text.slice(0, ERROR_TEXT_LIMIT) : text;
}
